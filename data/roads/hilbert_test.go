package roads

import "testing"

// The origin's 64×64 square is the first 4096 steps of the curve, and each
// step moves to a neighbouring cell.
func TestHilbertIndex(t *testing.T) {
	const side = 64
	cell := make([][2]uint32, side*side)
	seen := make([]bool, side*side)
	for x := uint32(0); x < side; x++ {
		for y := uint32(0); y < side; y++ {
			d := hilbertIndex(x, y)
			if d >= side*side || seen[d] {
				t.Fatalf("hilbertIndex(%d,%d) = %d: out of range or repeated", x, y, d)
			}
			seen[d] = true
			cell[d] = [2]uint32{x, y}
		}
	}
	for d := 1; d < side*side; d++ {
		a, b := cell[d-1], cell[d]
		dx, dy := int(a[0])-int(b[0]), int(a[1])-int(b[1])
		if dx*dx+dy*dy != 1 {
			t.Fatalf("steps %d→%d jump from %v to %v", d-1, d, a, b)
		}
	}
}
