package roads

import (
	"math"
	"slices"

	"github.com/paulmach/orb"
)

// hilbertSort orders the node indices in ids along a Hilbert curve over the
// bounding box of those nodes (65536×65536 cells), ties by index.
func hilbertSort(pts []orb.Point, ids []int32) {
	if len(ids) < 2 {
		return
	}
	minX, minY := math.Inf(1), math.Inf(1)
	maxX, maxY := math.Inf(-1), math.Inf(-1)
	for _, v := range ids {
		p := pts[v]
		minX, maxX = math.Min(minX, p[0]), math.Max(maxX, p[0])
		minY, maxY = math.Min(minY, p[1]), math.Max(maxY, p[1])
	}
	const side = 1 << 16
	sx := (side - 1) / math.Max(maxX-minX, 1e-12)
	sy := (side - 1) / math.Max(maxY-minY, 1e-12)
	// Curve position in the high half, node index in the low half: one
	// sort of plain integers orders by position and breaks ties by index.
	keys := make([]uint64, len(ids))
	for i, v := range ids {
		p := pts[v]
		keys[i] = hilbertIndex(uint32((p[0]-minX)*sx), uint32((p[1]-minY)*sy))<<32 | uint64(uint32(v))
	}
	slices.Sort(keys)
	for i, k := range keys {
		ids[i] = int32(uint32(k))
	}
}

// hilbertIndex maps a cell of the 2^16 grid to its distance along the curve
// (the classic rotate-and-reflect construction).
func hilbertIndex(x, y uint32) uint64 {
	var d uint64
	for s := uint32(1 << 15); s > 0; s >>= 1 {
		var rx, ry uint32
		if x&s != 0 {
			rx = 1
		}
		if y&s != 0 {
			ry = 1
		}
		d += uint64(s) * uint64(s) * uint64((3*rx)^ry)
		if ry == 0 {
			if rx == 1 {
				x = s - 1 - x
				y = s - 1 - y
			}
			x, y = y, x
		}
	}
	return d
}
