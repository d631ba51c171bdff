package route

// sortKeys sorts packed (time, node) keys in place with an LSD radix sort
// on 11-bit digits, skipping digits that are zero in every key; tmp must be
// as long as keys. For the tens of thousands of keys of a 30-minute reach
// set it is about three times faster than slices.Sort.
func sortKeys(keys, tmp []uint64) {
	if len(keys) < 2 {
		return
	}
	var or uint64
	for _, k := range keys {
		or |= k
	}
	src, dst := keys, tmp
	for shift := uint(0); shift < 64 && or>>shift != 0; shift += 11 {
		if (or>>shift)&0x7ff == 0 {
			continue
		}
		var count [2048 + 1]int32
		for _, k := range src {
			count[(k>>shift)&0x7ff+1]++
		}
		for i := 1; i < len(count); i++ {
			count[i] += count[i-1]
		}
		for _, k := range src {
			d := (k >> shift) & 0x7ff
			dst[count[d]] = k
			count[d]++
		}
		src, dst = dst, src
	}
	if &src[0] != &keys[0] {
		copy(keys, src)
	}
}
