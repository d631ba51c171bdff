package flow

import (
	"container/heap"
	"math"
)

// Arc is a demand point's allowed destination and the cost of serving the
// whole point there.
type Arc struct {
	To   int32
	Cost float64
}

// Assignment is the solution of a transportation problem.
type Assignment struct {
	Shares [][]Share // per demand point, its destinations and their shares
	Cost   float64
	// Scanned counts the arcs the shortest-path searches visited: the work
	// the solve took.
	Scanned int64
}

// Transport assigns demand to destinations at least cost within their
// capacities: a min-cost flow (successive shortest paths with Dijkstra on
// reduced costs) where one unit is one unit of supply. Costs are per unit,
// so a demand point may be split between destinations when one is full;
// its shares are flow / supply. ok is false when the capacities cannot
// absorb every unit.
//
// supply[i] > 0 for every demand point; arcs[i] lists its allowed
// destinations with the cost of serving the whole point; capacity is per
// destination. unserved[i] >= 0 allows point i to stay unserved at that
// cost (for the whole point); a negative value forbids it.
func Transport(supply []float64, arcs [][]Arc, capacity []float64, unserved []float64) (a Assignment, ok bool) {
	a.Shares, a.Cost, ok = transport(supply, arcs, capacity, unserved, &a.Scanned)
	return a, ok
}

func transport(supply []float64, arcs [][]Arc, cap []float64, unserved []float64, scanned *int64) ([][]Share, float64, bool) {
	n, m := len(supply), len(cap)
	// Nodes: 0 source, 1..n demand, n+1..n+m candidates, n+m+1 sink.
	src, sink := 0, n+m+1
	g := &flowGraph{head: make([]int32, n+m+2)}
	for k := range g.head {
		g.head[k] = -1
	}
	total := 0.0
	for i := 0; i < n; i++ {
		g.add(src, 1+i, supply[i], 0)
		total += supply[i]
		for _, a := range arcs[i] {
			g.add(1+i, n+1+int(a.To), math.Inf(1), a.Cost/supply[i])
		}
		if unserved[i] >= 0 {
			g.add(1+i, sink, math.Inf(1), unserved[i]/supply[i])
		}
	}
	for j := 0; j < m; j++ {
		if cap[j] > 0 {
			g.add(n+1+j, sink, cap[j], 0)
		}
	}
	pot := make([]float64, len(g.head))
	dist := make([]float64, len(g.head))
	prev := make([]int32, len(g.head))
	sent, cost := 0.0, 0.0
	eps := 1e-9 * max(1, total)
	for total-sent > eps {
		for k := range dist {
			dist[k], prev[k] = math.Inf(1), -1
		}
		dist[src] = 0
		pq := &distHeap{{int32(src), 0}}
		for pq.Len() > 0 {
			it := heap.Pop(pq).(distItem)
			if it.d > dist[it.v] {
				continue
			}
			for e := g.head[it.v]; e >= 0; e = g.next[e] {
				*scanned++
				if g.capa[e] <= eps*1e-3 {
					continue
				}
				w := g.to[e]
				nd := it.d + g.cost[e] + pot[it.v] - pot[w]
				if nd < dist[w]-1e-12 {
					dist[w], prev[w] = nd, e
					heap.Push(pq, distItem{w, nd})
				}
			}
		}
		if math.IsInf(dist[sink], 1) {
			return nil, 0, false
		}
		// Capping at the sink's distance keeps every residual reduced cost
		// non-negative, also for nodes Dijkstra did not reach.
		for k := range pot {
			pot[k] += min(dist[k], dist[sink])
		}
		f := math.Inf(1)
		for v := int32(sink); v != int32(src); v = g.to[prev[v]^1] {
			f = min(f, g.capa[prev[v]])
		}
		for v := int32(sink); v != int32(src); v = g.to[prev[v]^1] {
			e := prev[v]
			g.capa[e] -= f
			g.capa[e^1] += f
			cost += f * g.cost[e]
		}
		sent += f
	}
	out := make([][]Share, n)
	for i := 0; i < n; i++ {
		for e := g.head[1+i]; e >= 0; e = g.next[e] {
			if e&1 == 1 {
				continue // reverse arc
			}
			fl := g.capa[e^1]
			if fl <= eps*1e-3 {
				continue
			}
			c := int32(-1)
			if w := g.to[e]; w != int32(sink) {
				c = w - int32(n+1)
			}
			out[i] = append(out[i], Share{Cand: c, Share: fl / supply[i]})
		}
	}
	return out, cost, true
}

// Share is the share of a demand point served by destination Cand (-1:
// unserved).
type Share struct {
	Cand  int32   `json:"cand"`
	Share float64 `json:"share"`
}

type flowGraph struct {
	head, next, to []int32
	capa, cost     []float64
}

func (g *flowGraph) add(u, v int, c, w float64) {
	for _, a := range [2][3]float64{{float64(v), c, w}, {float64(u), 0, -w}} {
		g.to = append(g.to, int32(a[0]))
		g.capa = append(g.capa, a[1])
		g.cost = append(g.cost, a[2])
		from := u
		if len(g.to)%2 == 0 {
			from = v
		}
		g.next = append(g.next, g.head[from])
		g.head[from] = int32(len(g.to) - 1)
	}
}

type distItem struct {
	v int32
	d float64
}

type distHeap []distItem

func (h distHeap) Len() int { return len(h) }
func (h distHeap) Less(a, b int) bool {
	if h[a].d != h[b].d {
		return h[a].d < h[b].d
	}
	return h[a].v < h[b].v
}
func (h distHeap) Swap(a, b int) { h[a], h[b] = h[b], h[a] }
func (h *distHeap) Push(x any)   { *h = append(*h, x.(distItem)) }
func (h *distHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}
