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
// start offset included), in non-decreasing time order (ties in an order
// fixed by the graph, so runs repeat exactly).
// With reverse the search runs on the reversed graph, so secs is the time
// FROM v TO src. A src out of range or a start beyond cutoff visits nothing.
// It allocates nothing once its buffers have grown to the largest search.
func (s *Searcher) Within(src int32, start, cutoff float64, reverse bool, visit func(v int32, secs float64)) {
	for _, v := range s.touched {
		s.dist[v] = unreached
	}
	s.touched = s.touched[:0]
	s.h.reset()
	g := s.g
	if src < 0 || int(src) >= len(g.pts) || !(start >= 0) || math.IsNaN(cutoff) || start > cutoff {
		return
	}
	limit := uint64(unreached - 1)
	if c := math.Floor(cutoff * 1000); c < float64(limit) {
		limit = uint64(c)
	}
	d0 := toMillis(start)
	if uint64(d0) > limit {
		return
	}
	ch := g.cfwd
	if reverse {
		ch = g.crev
	}
	if ch == nil {
		s.plain(src, d0, uint32(limit), reverse, visit)
		return
	}
	s.contracted(ch, src, d0, uint32(limit), visit)
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

// contracted runs on the junction graph. Settling a junction queues the
// shape points of its stretches with their times (up to the cut-off) so
// they are still visited in time order, but they are never expanded: their
// only way on is the stretch already accounted for.
func (s *Searcher) contracted(ch *chains, src int32, d0, limit uint32, visit func(v int32, secs float64)) {
	s.relax(src, d0)
	for _, e := range ch.member[src] { // a start inside a stretch runs along it
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
	dist := s.dist
	for s.h.len() > 0 {
		d, v := unpack(s.h.pop())
		if d != dist[v] {
			continue
		}
		visit(v, float64(d)/1000)
		for k := ch.off[v]; k < ch.off[v+1]; k++ {
			a := ch.arcs[k]
			if st := ch.stretch[k]; st >= 0 {
				for _, x := range ch.entries[ch.start[st]:ch.start[st+1]] {
					nd := uint64(d) + uint64(x.ms)
					if nd > uint64(limit) {
						break
					}
					s.relax(x.node, uint32(nd))
				}
			}
			if nd := uint64(d) + uint64(a.w); nd <= uint64(limit) {
				s.relax(a.head, uint32(nd))
			}
		}
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
