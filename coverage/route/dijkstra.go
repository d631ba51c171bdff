package route

import (
	"context"
	"fmt"
	"math"
)

// unreached marks a node without a tentative time; paths that would reach it
// only after ~49 days are treated as unreachable too.
const unreached = math.MaxUint32

// Source is one start of a multi-source search: a node and the time already
// spent before reaching it (e.g. walking from a door to the road).
type Source struct {
	Node    int32
	Seconds float64
}

// MultiSource runs one Dijkstra from all sources at once on the forward
// graph: secs[v] is the least time FROM any source TO v (math.Inf(1) if
// unreachable) and origin[v] the index into sources of the source that
// achieves it (-1 if unreachable; among equal times the source whose path
// is settled first). secs and origin must have length NumNodes.
func (g *Graph) MultiSource(ctx context.Context, sources []Source, secs []float64, origin []int32) error {
	return g.multiSource(ctx, false, sources, secs, origin, nil)
}

// MultiSourceReverse is MultiSource on the reversed graph: secs[v] is the
// least time FROM v TO any source. With offices as sources this is each
// resident's time to the nearest office, which is what coverage needs
// (one-way streets make the two directions differ).
func (g *Graph) MultiSourceReverse(ctx context.Context, sources []Source, secs []float64, origin []int32) error {
	return g.multiSource(ctx, true, sources, secs, origin, nil)
}

// MultiSource is Graph.MultiSource (reverse=false) or MultiSourceReverse
// (reverse=true) reusing the Searcher's buffers, for callers that run many
// full searches (e.g. an optimizer trying office sets): it allocates
// nothing after warm-up.
func (s *Searcher) MultiSource(ctx context.Context, sources []Source, reverse bool, secs []float64, origin []int32) error {
	for _, v := range s.touched {
		s.dist[v] = unreached
	}
	s.touched = s.touched[:0]
	err := s.g.multiSource(ctx, reverse, sources, secs, origin, s)
	// A full search touches nearly every node: refilling beats tracking.
	for i := range s.dist {
		s.dist[i] = unreached
	}
	return err
}

// ctxEvery is how many settled nodes pass between context checks: often
// enough to stop within a millisecond, rare enough to cost nothing.
const ctxEvery = 1 << 14

// multiSource runs the search with the buffers of buf (all times unreached
// on entry), or fresh ones when buf is nil.
func (g *Graph) multiSource(ctx context.Context, reverse bool, sources []Source, secs []float64, origin []int32, buf *Searcher) error {
	n := g.NumNodes()
	if len(secs) != n || len(origin) != n {
		return fmt.Errorf("route: secs and origin need length %d (NumNodes), got %d and %d", n, len(secs), len(origin))
	}
	for i, s := range sources {
		if s.Node < 0 || int(s.Node) >= n {
			return fmt.Errorf("route: source %d: node %d out of range [0,%d)", i, s.Node, n)
		}
		if !(s.Seconds >= 0) || math.IsInf(s.Seconds, 1) {
			return fmt.Errorf("route: source %d: start offset %v seconds must be finite and non-negative", i, s.Seconds)
		}
	}
	off, arcs, ch := g.off, g.fwd, g.cfwd
	if reverse {
		off, arcs, ch = g.roff, g.rev, g.crev
	}
	var (
		dist    []uint32
		h       *radixHeap
		onChain []chainSeed
	)
	if buf != nil {
		dist, h, onChain = buf.dist, &buf.h, buf.seeds[:0]
		h.reset()
		defer func() { buf.seeds = onChain[:0] }()
	} else {
		dist, h = make([]uint32, n), &radixHeap{}
		for i := range dist {
			dist[i] = unreached
		}
	}
	for i := range origin {
		origin[i] = -1
	}
	for i, s := range sources {
		ms := toMillis(s.Seconds)
		if ms < dist[s.Node] {
			dist[s.Node] = ms
			origin[s.Node] = int32(i)
		}
		if ch == nil || ch.member[s.Node][0] < 0 {
			h.push(pack(ms, s.Node))
			continue
		}
		// A start on a shape point runs along its stretch(es): to the
		// stretch's head junction now, to the later shape points after.
		for _, e := range ch.member[s.Node] {
			if e < 0 {
				continue
			}
			st := ch.stretchOf(e)
			onChain = append(onChain, chainSeed{entry: e, end: ch.start[st+1], ms: ms, src: int32(i)})
			hd := ch.head[st]
			if nd := uint64(ms) + uint64(ch.total[st]-ch.entries[e].ms); nd < uint64(dist[hd]) {
				dist[hd] = uint32(nd)
				origin[hd] = int32(i)
				h.push(pack(uint32(nd), hd))
			}
		}
	}
	if ch != nil {
		off, arcs = ch.off, ch.arcs
	}
	settled := 0
	for h.len() > 0 {
		d, v := unpack(h.pop())
		if d != dist[v] {
			continue // stale entry
		}
		if settled++; settled%ctxEvery == 0 {
			if err := ctx.Err(); err != nil {
				return fmt.Errorf("route: multi-source search: %w", err)
			}
		}
		o := origin[v]
		for _, a := range arcs[off[v]:off[v+1]] {
			u := a.head
			nd := uint64(d) + uint64(a.w)
			if nd < uint64(dist[u]) {
				dist[u] = uint32(nd)
				origin[u] = o
				h.push(pack(uint32(nd), u))
			}
		}
	}
	if ch != nil {
		ch.fill(dist, origin, onChain)
	}
	for v, d := range dist {
		if d == unreached {
			secs[v] = math.Inf(1)
		} else {
			secs[v] = float64(d) / 1000
		}
	}
	return nil
}

// chainSeed is a search start on a shape point: entries (entry, end) of its
// stretch lie ahead of it.
type chainSeed struct {
	entry, end int32
	ms         uint32
	src        int32
}

// fill gives every shape point the better of the times through its
// stretches (from each stretch's tail) and from starts on its stretch.
func (c *chains) fill(dist []uint32, origin []int32, seeds []chainSeed) {
	for s, u := range c.tail {
		du := dist[u]
		if du == unreached {
			continue
		}
		o := origin[u]
		for _, e := range c.entries[c.start[s]:c.start[s+1]] {
			if nd := uint64(du) + uint64(e.ms); nd < uint64(dist[e.node]) {
				dist[e.node] = uint32(nd)
				origin[e.node] = o
			}
		}
	}
	for _, sd := range seeds {
		base := c.entries[sd.entry].ms
		for _, e := range c.entries[sd.entry+1 : sd.end] {
			if nd := uint64(sd.ms) + uint64(e.ms-base); nd < uint64(dist[e.node]) {
				dist[e.node] = uint32(nd)
				origin[e.node] = sd.src
			}
		}
	}
}
