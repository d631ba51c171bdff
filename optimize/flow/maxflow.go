package flow

import "math"

// Network is a maximum-flow network with float capacities, solved by
// Dinic's algorithm.
type Network struct {
	adj   [][]int32 // node -> arc indices
	arcs  []flowArc
	level []int32
	next  []int32
	steps int64 // arcs visited, for the work budget
}

type flowArc struct {
	to        int
	cap, flow float64
}

// NewNetwork returns a network of nodes 0..nodes-1 and no arcs.
func NewNetwork(nodes int) *Network {
	return &Network{adj: make([][]int32, nodes), level: make([]int32, nodes), next: make([]int32, nodes)}
}

// Add adds an arc from u to v of capacity c (and its residual twin).
func (n *Network) Add(u, v int, c float64) {
	n.adj[u] = append(n.adj[u], int32(len(n.arcs)))
	n.arcs = append(n.arcs, flowArc{to: v, cap: c})
	n.adj[v] = append(n.adj[v], int32(len(n.arcs)))
	n.arcs = append(n.arcs, flowArc{to: u, cap: 0})
}

const flowEps = 1e-9

func (n *Network) residual(e int32) float64 { return n.arcs[e].cap - n.arcs[e].flow }

func (n *Network) bfs(s, t int) bool {
	n.steps += int64(len(n.level))
	for i := range n.level {
		n.level[i] = -1
	}
	n.level[s] = 0
	q := []int{s}
	for len(q) > 0 {
		u := q[0]
		q = q[1:]
		n.steps += int64(len(n.adj[u]))
		for _, e := range n.adj[u] {
			if v := n.arcs[e].to; n.level[v] < 0 && n.residual(e) > flowEps {
				n.level[v] = n.level[u] + 1
				q = append(q, v)
			}
		}
	}
	return n.level[t] >= 0
}

func (n *Network) dfs(u, t int, push float64) float64 {
	if u == t {
		return push
	}
	for ; n.next[u] < int32(len(n.adj[u])); n.next[u]++ {
		n.steps++
		e := n.adj[u][n.next[u]]
		v := n.arcs[e].to
		if n.level[v] != n.level[u]+1 || n.residual(e) <= flowEps {
			continue
		}
		if d := n.dfs(v, t, min(push, n.residual(e))); d > 0 {
			n.arcs[e].flow += d
			n.arcs[e^1].flow -= d
			return d
		}
	}
	return 0
}

// MaxFlow sends as much flow as the capacities allow from s to t and
// returns it.
func (n *Network) MaxFlow(s, t int) float64 {
	total := 0.0
	for n.bfs(s, t) {
		clear(n.next)
		for {
			d := n.dfs(s, t, math.Inf(1))
			if d <= 0 {
				break
			}
			total += d
		}
	}
	return total
}

// Reachable marks the nodes reachable from s in the residual network: after
// MaxFlow, the source side of a minimum cut.
func (n *Network) Reachable(s int) []bool {
	seen := make([]bool, len(n.adj))
	seen[s] = true
	q := []int{s}
	for len(q) > 0 {
		u := q[0]
		q = q[1:]
		for _, e := range n.adj[u] {
			if v := n.arcs[e].to; !seen[v] && n.residual(e) > flowEps {
				seen[v] = true
				q = append(q, v)
			}
		}
	}
	return seen
}

// Arcs calls fn with the head and the flow of every arc leaving u, residual
// twins included (their flow is negative), in the order they were added.
func (n *Network) Arcs(u int, fn func(to int, flow float64)) {
	for _, e := range n.adj[u] {
		fn(n.arcs[e].to, n.arcs[e].flow)
	}
}

// Visited counts the arcs the searches have visited so far: the work done.
func (n *Network) Visited() int64 { return n.steps }
