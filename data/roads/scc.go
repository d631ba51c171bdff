package roads

// largestSCC marks the nodes of the largest strongly connected component
// (ties: the one Tarjan completes first, which is deterministic for a given
// arc order). Tarjan's algorithm runs with an explicit stack: recursion would
// overflow on long rural chains of hundreds of thousands of nodes.
func largestSCC(n int, arcs []Arc) []bool {
	off := make([]int32, n+1)
	for _, a := range arcs {
		off[a.From+1]++
	}
	for i := 0; i < n; i++ {
		off[i+1] += off[i]
	}
	head := make([]int32, len(arcs))
	pos := make([]int32, n)
	copy(pos, off[:n])
	for _, a := range arcs {
		head[pos[a.From]] = a.To
		pos[a.From]++
	}

	const unvisited = -1
	index := make([]int32, n)
	low := make([]int32, n)
	onStack := make([]bool, n)
	for i := range index {
		index[i] = unvisited
	}
	comp := make([]int32, n)
	var stack []int32
	type frame struct{ v, next int32 }
	var calls []frame
	var counter, ncomp int32
	bestComp, bestSize := int32(-1), 0

	for s := int32(0); s < int32(n); s++ {
		if index[s] != unvisited {
			continue
		}
		index[s], low[s] = counter, counter
		counter++
		stack = append(stack, s)
		onStack[s] = true
		calls = append(calls, frame{s, off[s]})
		for len(calls) > 0 {
			f := &calls[len(calls)-1]
			v := f.v
			if f.next < off[v+1] {
				w := head[f.next]
				f.next++
				if index[w] == unvisited {
					index[w], low[w] = counter, counter
					counter++
					stack = append(stack, w)
					onStack[w] = true
					calls = append(calls, frame{w, off[w]})
				} else if onStack[w] && index[w] < low[v] {
					low[v] = index[w]
				}
				continue
			}
			calls = calls[:len(calls)-1]
			if low[v] == index[v] {
				size := 0
				for {
					w := stack[len(stack)-1]
					stack = stack[:len(stack)-1]
					onStack[w] = false
					comp[w] = ncomp
					size++
					if w == v {
						break
					}
				}
				if size > bestSize {
					bestComp, bestSize = ncomp, size
				}
				ncomp++
			}
			if len(calls) > 0 {
				if p := calls[len(calls)-1].v; low[v] < low[p] {
					low[p] = low[v]
				}
			}
		}
	}
	keep := make([]bool, n)
	for v := range keep {
		keep[v] = comp[v] == bestComp && bestSize > 1
	}
	return keep
}
