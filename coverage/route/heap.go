package route

// heap4 is a 4-ary min-heap of packed keys (milliseconds<<32 | node).
// Packing keeps each entry 8 bytes and breaks ties by node id, so the
// settle order — and with it which source claims a tied node — is
// deterministic. Stale entries are skipped on pop (lazy deletion), which is
// cheaper than tracking positions for decrease-key on road graphs, where
// few nodes are improved twice. A 4-ary layout halves the depth of a binary
// heap and keeps the children of a node in one cache line.
type heap4 []uint64

func pack(ms uint32, v int32) uint64 { return uint64(ms)<<32 | uint64(uint32(v)) }

func unpack(k uint64) (ms uint32, v int32) { return uint32(k >> 32), int32(uint32(k)) }

func (h *heap4) push(k uint64) {
	a := append(*h, k)
	i := len(a) - 1
	for i > 0 {
		p := (i - 1) >> 2
		if a[p] <= k {
			break
		}
		a[i] = a[p]
		i = p
	}
	a[i] = k
	*h = a
}

func (h *heap4) pop() uint64 {
	a := *h
	top := a[0]
	n := len(a) - 1
	last := a[n]
	a = a[:n]
	*h = a
	if n == 0 {
		return top
	}
	i := 0
	for {
		c := 4*i + 1
		if c >= n {
			break
		}
		m, mk := c, a[c]
		end := min(c+4, n)
		for j := c + 1; j < end; j++ {
			if a[j] < mk {
				m, mk = j, a[j]
			}
		}
		if mk >= last {
			break
		}
		a[i] = mk
		i = m
	}
	a[i] = last
	return top
}
