package route

import "math"

// Searcher holds the state of one search so that thousands of bounded
// searches reuse it: the time array is reset through the list of nodes the
// last search touched, not by clearing every node. Use one per goroutine.
type Searcher struct {
	g       *Graph
	dist    []uint32
	touched []int32
	h       radixHeap
	seeds   []chainSeed // MultiSource's starts on shape points
	keys    []uint64    // Within's (time, node) keys to sort
	tmp     []uint64    // radix sort buffer
}

// NewSearcher returns a Searcher for g.
func (g *Graph) NewSearcher() *Searcher {
	dist := make([]uint32, g.NumNodes())
	for i := range dist {
		dist[i] = unreached
	}
	return &Searcher{g: g, dist: dist, touched: make([]int32, 0, 1024)}
}

// Within visits every node reachable from src within cutoff seconds (the
// start offset included), in non-decreasing time order, ties by node id.
// With reverse the search runs on the reversed graph, so secs is the time
// FROM v TO src. A src out of range or a start beyond cutoff visits nothing.
// It allocates nothing once its buffers have grown to the largest search.
//
// It is Reach followed by a radix sort of the (time, node) keys: measured
// on Delaware, cheaper than keeping every shape point in the priority queue.
func (s *Searcher) Within(src int32, start, cutoff float64, reverse bool, visit func(v int32, secs float64)) {
	s.keys = s.keys[:0]
	s.Reach(src, start, cutoff, reverse, func(v int32, _ float64) {
		s.keys = append(s.keys, pack(s.dist[v], v))
	})
	if n := len(s.keys); n > 0 {
		if cap(s.tmp) < n {
			s.tmp = make([]uint64, n, cap(s.keys))
		}
		sortKeys(s.keys, s.tmp[:n])
	}
	for _, k := range s.keys {
		d, v := unpack(k)
		visit(v, float64(d)/1000)
	}
}

// Reach visits the same nodes with the same times as Within, each once, but
// in no particular order (the same order on every run), saving Within's
// sort — use it to build reach sets. Shape points never enter the queue:
// junctions are searched first and the stretches filled afterwards.
func (s *Searcher) Reach(src int32, start, cutoff float64, reverse bool, visit func(v int32, secs float64)) {
	d0, limit, ok := s.begin(src, start, cutoff)
	if !ok {
		return
	}
	ch := s.chains(reverse)
	if ch == nil {
		s.plain(src, d0, limit, reverse, visit)
		return
	}
	s.seed(ch, src, d0, limit)
	dist := s.dist
	for s.h.len() > 0 {
		d, v := unpack(s.h.pop())
		if d != dist[v] {
			continue
		}
		for _, a := range ch.arcs[ch.off[v]:ch.off[v+1]] {
			if nd := uint64(d) + uint64(a.w); nd <= uint64(limit) {
				s.relax(a.head, uint32(nd))
			}
		}
	}
	// Every junction touched is final now; its stretches give the shape
	// points their times (the better of both ends for two-way stretches).
	junctions := len(s.touched)
	for _, u := range s.touched[:junctions] {
		d := dist[u]
		for k := ch.off[u]; k < ch.off[u+1]; k++ {
			st := ch.stretch[k]
			if st < 0 {
				continue
			}
			for _, x := range ch.entries[ch.start[st]:ch.start[st+1]] {
				nd := uint64(d) + uint64(x.ms)
				if nd > uint64(limit) {
					break
				}
				if dx := dist[x.node]; nd < uint64(dx) {
					if dx == unreached {
						s.touched = append(s.touched, x.node)
					}
					dist[x.node] = uint32(nd)
				}
			}
		}
	}
	for _, v := range s.touched {
		visit(v, float64(dist[v])/1000)
	}
}

// begin resets the state left by the previous search and converts the
// bounds to milliseconds; ok is false when nothing can be visited.
func (s *Searcher) begin(src int32, start, cutoff float64) (d0, limit uint32, ok bool) {
	for _, v := range s.touched {
		s.dist[v] = unreached
	}
	s.touched = s.touched[:0]
	s.h.reset()
	if src < 0 || int(src) >= len(s.g.pts) || !(start >= 0) || math.IsNaN(cutoff) || start > cutoff {
		return 0, 0, false
	}
	lim := uint64(unreached - 1)
	if c := math.Floor(cutoff * 1000); c < float64(lim) {
		lim = uint64(c)
	}
	d0 = toMillis(start)
	if uint64(d0) > lim {
		return 0, 0, false
	}
	return d0, uint32(lim), true
}

func (s *Searcher) chains(reverse bool) *chains {
	if reverse {
		return s.g.crev
	}
	return s.g.cfwd
}

// seed starts a contracted search at src; a start inside a stretch runs
// along it to the later shape points and to the stretch's head.
func (s *Searcher) seed(ch *chains, src int32, d0, limit uint32) {
	s.relax(src, d0)
	for _, e := range ch.member[src] {
		if e < 0 {
			continue
		}
		st := ch.stretchOf(e)
		base := ch.entries[e].ms
		for _, x := range ch.entries[e+1 : ch.start[st+1]] {
			nd := uint64(d0) + uint64(x.ms-base)
			if nd > uint64(limit) {
				break
			}
			s.relax(x.node, uint32(nd))
		}
		if nd := uint64(d0) + uint64(ch.total[st]-base); nd <= uint64(limit) {
			s.relax(ch.head[st], uint32(nd))
		}
	}
}

// relax records time nd for node u if it improves on what u has.
func (s *Searcher) relax(u int32, nd uint32) {
	if du := s.dist[u]; nd < du {
		if du == unreached {
			s.touched = append(s.touched, u)
		}
		s.dist[u] = nd
		s.h.push(pack(nd, u))
	}
}

// plain is Dijkstra on the full graph, for graphs without contraction.
func (s *Searcher) plain(src int32, d0, limit uint32, reverse bool, visit func(v int32, secs float64)) {
	g := s.g
	off, arcs := g.off, g.fwd
	if reverse {
		off, arcs = g.roff, g.rev
	}
	dist := s.dist
	s.relax(src, d0)
	for s.h.len() > 0 {
		d, v := unpack(s.h.pop())
		if d != dist[v] {
			continue
		}
		visit(v, float64(d)/1000)
		for _, a := range arcs[off[v]:off[v+1]] {
			if nd := uint64(d) + uint64(a.w); nd <= uint64(limit) {
				s.relax(a.head, uint32(nd))
			}
		}
	}
}
