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
	off, arcs := g.off, g.fwd
	if reverse {
		off, arcs = g.roff, g.rev
	}
	dist := s.dist
	dist[src] = d0
	s.touched = append(s.touched, src)
	s.h.push(pack(d0, src))
	for s.h.len() > 0 {
		d, v := unpack(s.h.pop())
		if d != dist[v] {
			continue
		}
		visit(v, float64(d)/1000)
		for _, a := range arcs[off[v]:off[v+1]] {
			u := a.head
			nd := uint64(d) + uint64(a.w)
			if nd > limit {
				continue
			}
			if du := dist[u]; nd < uint64(du) {
				if du == unreached {
					s.touched = append(s.touched, u)
				}
				dist[u] = uint32(nd)
				s.h.push(pack(uint32(nd), u))
			}
		}
	}
}
