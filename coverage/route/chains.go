package route

// chains is a graph with its shape points contracted away, for full (uncut)
// searches. On OSM road graphs about three nodes in four are shape points in
// the middle of a road: one way in, one way on. Dijkstra runs on the
// remaining junctions ("core") with one shortcut arc per stretch of road;
// the shape points' times are filled in afterwards by one linear pass over
// the stretches, which is exact because a shape point can only be reached
// along its stretch.
type chains struct {
	off     []int32 // core CSR over all node ids; shape points have no arcs
	arcs    []arc
	stretch []int32 // per core arc: the stretch it short-cuts, -1 for a plain arc

	// Stretch s runs tail[s] → head[s] through the shape points
	// entries[start[s]:start[s+1]], each with its time from tail[s].
	start   []int32
	tail    []int32
	head    []int32
	total   []uint32
	entries []chainEntry

	// member[v] holds the (at most two) entries of shape point v, -1 if
	// none; used only when a search starts on a shape point.
	member [][2]int32
}

type chainEntry struct {
	node int32
	ms   uint32 // time from the stretch's tail
}

// maxChainMillis keeps stretch times and their sums with a tail's time
// inside uint32 arithmetic; a longer stretch disables contraction.
const maxChainMillis = 1 << 31

// newChains contracts the graph given as forward CSR (off, arcs) with its
// reverse (roff, rev). It returns nil when contraction does not apply (a
// stretch longer than ~24 days of travel); plain Dijkstra is used then.
func newChains(off []int32, arcs []arc, roff []int32, rev []arc) *chains {
	n := len(off) - 1
	core := make([]bool, n)
	for v := range n {
		core[v] = !isShapePoint(int32(v), arcs[off[v]:off[v+1]], rev[roff[v]:roff[v+1]])
	}
	c, seen := buildChains(off, arcs, core)
	if c == nil {
		return nil
	}
	// A ring made only of shape points has no junction to start from: make
	// its lowest node a junction. Such a ring is a component of its own, so
	// other stretches do not change; contraction is simply redone.
	rings := false
	for v := range n {
		if core[v] || seen[v] {
			continue
		}
		rings = true
		core[v] = true
		prev, cur := int32(-1), int32(v)
		for {
			seen[cur] = true
			out := arcs[off[cur]:off[cur+1]]
			next := out[0].head
			if len(out) == 2 && next == prev {
				next = out[1].head
			}
			if next == int32(v) || seen[next] {
				break
			}
			prev, cur = cur, next
		}
	}
	if rings {
		c, _ = buildChains(off, arcs, core)
	}
	return c
}

// buildChains walks every stretch from every junction. seen marks the shape
// points reached.
func buildChains(off []int32, arcs []arc, core []bool) (*chains, []bool) {
	n := len(off) - 1
	c := &chains{off: make([]int32, n+1), start: []int32{0}, member: make([][2]int32, n)}
	for v := range c.member {
		c.member[v] = [2]int32{-1, -1}
	}
	seen := make([]bool, n)
	for u := range int32(n) {
		if !core[u] {
			continue
		}
		for _, a := range arcs[off[u]:off[u+1]] {
			if core[a.head] {
				c.arcs = append(c.arcs, a)
				c.stretch = append(c.stretch, -1)
				continue
			}
			prev, cur, cum := u, a.head, uint64(a.w)
			for !core[cur] {
				if cum >= maxChainMillis || seen[cur] && c.member[cur][1] >= 0 {
					return nil, nil // too long, or a walk that does not end
				}
				seen[cur] = true
				m := &c.member[cur]
				if m[0] < 0 {
					m[0] = int32(len(c.entries))
				} else {
					m[1] = int32(len(c.entries))
				}
				c.entries = append(c.entries, chainEntry{cur, uint32(cum)})
				out := arcs[off[cur]:off[cur+1]]
				next := out[0]
				if len(out) == 2 && next.head == prev {
					next = out[1]
				}
				prev, cur, cum = cur, next.head, cum+uint64(next.w)
			}
			if cum >= maxChainMillis {
				return nil, nil
			}
			c.tail = append(c.tail, u)
			c.head = append(c.head, cur)
			c.total = append(c.total, uint32(cum))
			c.start = append(c.start, int32(len(c.entries)))
			c.arcs = append(c.arcs, arc{cur, uint32(cum)})
			c.stretch = append(c.stretch, int32(len(c.tail)-1))
		}
		c.off[u+1] = int32(len(c.arcs))
	}
	for v := range n { // shape points have empty core rows
		c.off[v+1] = max(c.off[v+1], c.off[v])
	}
	return c, seen
}

// stretchOf returns the stretch holding entry e.
func (c *chains) stretchOf(e int32) int32 {
	lo, hi := 0, len(c.start)-1 // start[lo] <= e < start[hi]
	for hi-lo > 1 {
		mid := (lo + hi) / 2
		if c.start[mid] <= e {
			lo = mid
		} else {
			hi = mid
		}
	}
	return int32(lo)
}

// isShapePoint reports whether v only continues a road: one arc in and one
// out (a one-way stretch), or a two-way stretch with the same two distinct
// neighbours in and out.
func isShapePoint(v int32, out, in []arc) bool {
	switch {
	case len(out) == 1 && len(in) == 1:
		return out[0].head != in[0].head && out[0].head != v && in[0].head != v
	case len(out) == 2 && len(in) == 2:
		a, b := out[0].head, out[1].head
		x, y := in[0].head, in[1].head
		return a != b && a != v && b != v && (a == x && b == y || a == y && b == x)
	}
	return false
}
