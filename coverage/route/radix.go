package route

import "math/bits"

// radixHeap is a monotone priority queue for Dijkstra's integer times: a
// key is filed in the bucket numbered by the highest bit in which it
// differs from the last minimum popped, so a push is O(1) and each key
// moves down at most 32 buckets over its lifetime. On Delaware it settles
// nodes faster than the 4-ary heap (see docs/roads.md). Keys are packed
// milliseconds<<32 | node; it requires that no key pushed is smaller than
// the last popped one, which Dijkstra with non-negative weights guarantees.
type radixHeap struct {
	last    uint32
	n       int
	buckets [33][]uint64
	mins    [33]uint32 // least time in each non-empty bucket, saving a pass per pop
}

func (h *radixHeap) reset() {
	h.last, h.n = 0, 0
	for i := range h.buckets {
		h.buckets[i] = h.buckets[i][:0]
	}
}

func (h *radixHeap) len() int { return h.n }

func (h *radixHeap) push(k uint64) {
	d := uint32(k >> 32)
	b := bits.Len32(d ^ h.last)
	if len(h.buckets[b]) == 0 || d < h.mins[b] {
		h.mins[b] = d
	}
	h.buckets[b] = append(h.buckets[b], k)
	h.n++
}

// pop returns a key with the least time. Among equal times the order is
// fixed by the sequence of pushes, so results stay reproducible.
func (h *radixHeap) pop() uint64 {
	if len(h.buckets[0]) == 0 {
		i := 1
		for len(h.buckets[i]) == 0 {
			i++
		}
		src := h.buckets[i]
		m := h.mins[i]
		h.last = m
		for _, k := range src {
			d := uint32(k >> 32)
			b := bits.Len32(d ^ m)
			if len(h.buckets[b]) == 0 || d < h.mins[b] {
				h.mins[b] = d
			}
			h.buckets[b] = append(h.buckets[b], k)
		}
		h.buckets[i] = src[:0]
	}
	b0 := h.buckets[0]
	k := b0[len(b0)-1]
	h.buckets[0] = b0[:len(b0)-1]
	h.n--
	return k
}

// pack makes a queue key ordered by time, then node id.
func pack(ms uint32, v int32) uint64 { return uint64(ms)<<32 | uint64(uint32(v)) }

func unpack(k uint64) (ms uint32, v int32) { return uint32(k >> 32), int32(uint32(k)) }
