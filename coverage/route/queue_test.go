package route

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// heap4 is the baseline the radix heap replaced, kept in the tests so that
// BenchmarkQueue can re-measure the choice. It is a 4-ary min-heap of packed keys (milliseconds<<32 | node).
// Packing keeps each entry 8 bytes and breaks ties by node id, so the
// settle order — and with it which source claims a tied node — is
// deterministic. Stale entries are skipped on pop (lazy deletion), which is
// cheaper than tracking positions for decrease-key on road graphs, where
// few nodes are improved twice. A 4-ary layout halves the depth of a binary
// heap and keeps the children of a node in one cache line.
type heap4 []uint64

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

func TestHeapOrder(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	var h heap4
	var prev uint64
	for round := range 5 {
		for range 1000 {
			h.push(pack(uint32(rng.IntN(1e6)), int32(rng.IntN(1e5))))
		}
		prev = 0
		for len(h) > 500*round/4 {
			k := h.pop()
			if k < prev {
				t.Fatalf("heap popped %d after %d", k, prev)
			}
			prev = k
		}
	}
}

func TestRadixHeapOrder(t *testing.T) {
	rng := rand.New(rand.NewPCG(2, 2))
	var h radixHeap
	for round := range 3 {
		h.reset()
		var last uint32
		// Monotone use, as in Dijkstra: pushes are never below the last pop.
		for i := range 20000 {
			if h.len() == 0 || rng.IntN(3) > 0 || i < 10 {
				h.push(pack(last+uint32(rng.IntN(5000*(round+1))), int32(i)))
				continue
			}
			d, _ := unpack(h.pop())
			if d < last {
				t.Fatalf("round %d: popped %d after %d", round, d, last)
			}
			last = d
		}
		for h.len() > 0 {
			d, _ := unpack(h.pop())
			if d < last {
				t.Fatalf("round %d drain: popped %d after %d", round, d, last)
			}
			last = d
		}
	}
}

// BenchmarkQueue compares the two priority queues on a one-to-all search
// over Delaware with otherwise identical loops.
func BenchmarkQueue(b *testing.B) {
	_, g := loadDelaware(b)
	dist := make([]uint32, g.NumNodes())
	src := seededNodes(g.NumNodes(), 1, 1)[0]
	b.Run("heap4", func(b *testing.B) {
		b.ReportAllocs()
		defer cpuClock(b)()
		for b.Loop() {
			for i := range dist {
				dist[i] = unreached
			}
			h := make(heap4, 0, 1024)
			dist[src] = 0
			h.push(pack(0, src))
			for len(h) > 0 {
				d, v := unpack(h.pop())
				if d != dist[v] {
					continue
				}
				for _, a := range g.fwd[g.off[v]:g.off[v+1]] {
					if nd := d + a.w; nd < dist[a.head] {
						dist[a.head] = nd
						h.push(pack(nd, a.head))
					}
				}
			}
		}
	})
	b.Run("radix", func(b *testing.B) {
		b.ReportAllocs()
		defer cpuClock(b)()
		var h radixHeap
		for b.Loop() {
			for i := range dist {
				dist[i] = unreached
			}
			h.reset()
			dist[src] = 0
			h.push(pack(0, src))
			for h.len() > 0 {
				d, v := unpack(h.pop())
				if d != dist[v] {
					continue
				}
				for _, a := range g.fwd[g.off[v]:g.off[v+1]] {
					if nd := d + a.w; nd < dist[a.head] {
						dist[a.head] = nd
						h.push(pack(nd, a.head))
					}
				}
			}
		}
	})
}

func TestSortKeys(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 3))
	for _, n := range []int{0, 1, 2, 10, 1000, 50000} {
		for _, spread := range []int{1, 1000, 1 << 30} {
			keys := make([]uint64, n)
			for i := range keys {
				keys[i] = pack(uint32(rng.IntN(spread)), int32(rng.IntN(1<<20)))
			}
			want := slices.Clone(keys)
			slices.Sort(want)
			sortKeys(keys, make([]uint64, n))
			if !slices.Equal(keys, want) {
				t.Fatalf("n=%d spread=%d: radix sort differs from slices.Sort", n, spread)
			}
		}
	}
}
