package flow

import "math"

// Network is a maximum-flow network with float capacities, solved by
// Dinic's algorithm.
//
// Arcs are stored once, in the order they were added; each node's list of
// arcs is a window of one compressed-sparse-row array built on the first
// search (adjacency). The capacity check of a plan builds networks of
// millions of arcs: per-node slices grown by append held about twice
// that, and growing the arc array copied it at every doubling (Reserve
// sizes it once).
type Network struct {
	edges []edge  // arc 2k is edges[k] forwards, arc 2k+1 its residual twin
	start []int32 // node u's arcs are out[start[u]:start[u+1]], in insertion order
	out   []int32
	level []int32
	next  []int32
	steps int64 // arcs visited, for the work budget
}

// edge is an added arc: 24 bytes where an arc and its twin stored apart
// took 48. Negation is exact in floating point, so the twin's flow (the
// former separate -= of every push) is always exactly -flow and its
// residual 0 - (-flow) = flow.
type edge struct {
	from, to  int32
	cap, flow float64
}

// head is the node arc e points to; tail the node it leaves.
func (n *Network) head(e int32) int {
	if e&1 == 0 {
		return int(n.edges[e>>1].to)
	}
	return int(n.edges[e>>1].from)
}

func (n *Network) tail(e int32) int32 {
	if e&1 == 0 {
		return n.edges[e>>1].from
	}
	return n.edges[e>>1].to
}

// flow is the flow on arc e (negative on a twin).
func (n *Network) flow(e int32) float64 {
	if e&1 == 0 {
		return n.edges[e>>1].flow
	}
	return -n.edges[e>>1].flow
}

// push sends d more along arc e (and d back along its twin).
func (n *Network) push(e int32, d float64) {
	if e&1 == 0 {
		n.edges[e>>1].flow += d
	} else {
		n.edges[e>>1].flow -= d
	}
}

// NewNetwork returns a network of nodes 0..nodes-1 and no arcs.
func NewNetwork(nodes int) *Network {
	return &Network{start: make([]int32, nodes+1), level: make([]int32, nodes), next: make([]int32, nodes)}
}

// Reserve makes room for adds more calls to Add without reallocating.
func (n *Network) Reserve(adds int) {
	if need := len(n.edges) + adds; need > cap(n.edges) {
		a := make([]edge, len(n.edges), need)
		copy(a, n.edges)
		n.edges = a
	}
}

// Add adds an arc from u to v of capacity c (and its residual twin).
func (n *Network) Add(u, v int, c float64) {
	n.edges = append(n.edges, edge{from: int32(u), to: int32(v), cap: c})
}

// adjacency builds each node's arc list when arcs were added since the
// last build. Arc 2k leaves the node its twin 2k+1 points to and the
// other way round; scanning arcs by index keeps every node's arcs in the
// order they were added, the order searches visit them in.
func (n *Network) adjacency() {
	arcs := 2 * len(n.edges)
	if len(n.out) == arcs {
		return
	}
	nodes := len(n.level)
	clear(n.start)
	for e := int32(0); e < int32(arcs); e++ {
		n.start[n.tail(e)+1]++
	}
	for u := 0; u < nodes; u++ {
		n.start[u+1] += n.start[u]
	}
	if cap(n.out) >= arcs {
		n.out = n.out[:arcs]
	} else {
		n.out = make([]int32, arcs)
	}
	pos := n.next // scratch: the searches reset it before use
	copy(pos, n.start[:nodes])
	for e := int32(0); e < int32(arcs); e++ {
		u := n.tail(e)
		n.out[pos[u]] = e
		pos[u]++
	}
}

// adj is node u's arcs.
func (n *Network) adj(u int) []int32 { return n.out[n.start[u]:n.start[u+1]] }

const flowEps = 1e-9

func (n *Network) residual(e int32) float64 {
	if e&1 == 0 {
		ed := &n.edges[e>>1]
		return ed.cap - ed.flow
	}
	return n.edges[e>>1].flow
}

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
		n.steps += int64(len(n.adj(u)))
		for _, e := range n.adj(u) {
			if v := n.head(e); n.level[v] < 0 && n.residual(e) > flowEps {
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
	adj := n.adj(u)
	for ; n.next[u] < int32(len(adj)); n.next[u]++ {
		n.steps++
		e := adj[n.next[u]]
		v := n.head(e)
		if n.level[v] != n.level[u]+1 || n.residual(e) <= flowEps {
			continue
		}
		if d := n.dfs(v, t, min(push, n.residual(e))); d > 0 {
			n.push(e, d)
			return d
		}
	}
	return 0
}

// MaxFlow sends as much flow as the capacities allow from s to t and
// returns it.
func (n *Network) MaxFlow(s, t int) float64 {
	n.adjacency()
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
	n.adjacency()
	seen := make([]bool, len(n.level))
	seen[s] = true
	q := []int{s}
	for len(q) > 0 {
		u := q[0]
		q = q[1:]
		for _, e := range n.adj(u) {
			if v := n.head(e); !seen[v] && n.residual(e) > flowEps {
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
	n.adjacency()
	for _, e := range n.adj(u) {
		fn(n.head(e), n.flow(e))
	}
}

// Visited counts the arcs the searches have visited so far: the work done.
func (n *Network) Visited() int64 { return n.steps }
