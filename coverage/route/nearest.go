package route

import (
	"math"

	"github.com/onestop/onestop/data/earth"
	"github.com/paulmach/orb"
)

// grid is a uniform lon/lat bucket index over the nodes. It is simpler than
// an R-tree for points, needs two flat arrays, and makes Nearest exact with
// a ring search that stops once no unvisited cell can hold a closer node.
type grid struct {
	minLon, minLat float64
	cell           float64 // cell side in degrees
	nx, ny         int
	start          []int32 // nodes of cell c are items[start[c]:start[c+1]], by node id
	items          []int32
	cosMax         float64 // cos of the largest |lat| in the grid: lower-bounds metres per lon degree
}

func newGrid(pts []orb.Point) grid {
	if len(pts) == 0 {
		return grid{}
	}
	minLon, minLat, maxLon, maxLat := pts[0][0], pts[0][1], pts[0][0], pts[0][1]
	for _, p := range pts {
		minLon, maxLon = math.Min(minLon, p[0]), math.Max(maxLon, p[0])
		minLat, maxLat = math.Min(minLat, p[1]), math.Max(maxLat, p[1])
	}
	w, h := maxLon-minLon, maxLat-minLat
	// About two nodes per cell on average; road nodes cluster, so most
	// cells are empty and the populated ones hold a handful.
	cell := math.Sqrt(w * h / math.Max(1, float64(len(pts))/2))
	if !(cell > 1e-4) {
		cell = math.Max(1e-4, math.Max(w, h)/math.Max(1, float64(len(pts))))
	}
	nx, ny := int(w/cell)+1, int(h/cell)+1
	for nx*ny > 4*len(pts)+16 {
		cell *= 1.5
		nx, ny = int(w/cell)+1, int(h/cell)+1
	}
	g := grid{minLon: minLon, minLat: minLat, cell: cell, nx: nx, ny: ny}
	g.cosMax = math.Cos(math.Max(math.Abs(minLat), math.Abs(maxLat)) * math.Pi / 180)
	g.start = make([]int32, nx*ny+1)
	cellOf := make([]int32, len(pts))
	for i, p := range pts {
		cx, cy := g.coords(p)
		c := int32(cy*nx + cx)
		cellOf[i] = c
		g.start[c+1]++
	}
	for c := 0; c < nx*ny; c++ {
		g.start[c+1] += g.start[c]
	}
	pos := make([]int32, nx*ny)
	copy(pos, g.start[:nx*ny])
	g.items = make([]int32, len(pts))
	for i, c := range cellOf {
		g.items[pos[c]] = int32(i)
		pos[c]++
	}
	return g
}

// coords returns the cell column and row of p, clamped to the grid.
func (g *grid) coords(p orb.Point) (int, int) {
	cx := int(math.Floor((p[0] - g.minLon) / g.cell))
	cy := int(math.Floor((p[1] - g.minLat) / g.cell))
	return min(max(cx, 0), g.nx-1), min(max(cy, 0), g.ny-1)
}

// Nearest returns the road node closest to p (lon/lat) by great-circle
// distance, if one lies within maxMeters; ties go to the lower node id.
func (g *Graph) Nearest(p orb.Point, maxMeters float64) (node int32, meters float64, ok bool) {
	gr := &g.grid
	if len(g.pts) == 0 || math.IsNaN(p[0]) || math.IsNaN(p[1]) || !(maxMeters >= 0) {
		return -1, 0, false
	}
	// Unclamped cell of p; it may lie outside the grid.
	fx := math.Floor((p[0] - gr.minLon) / gr.cell)
	fy := math.Floor((p[1] - gr.minLat) / gr.cell)
	if math.Abs(fx) > 1e9 || math.Abs(fy) > 1e9 {
		return -1, 0, false
	}
	cx, cy := int(fx), int(fy)
	// Rings closer than the grid's edge hold no cells; start at the first
	// ring that reaches it, and stop after the one that covers it.
	dx0 := max(0, -cx, cx-(gr.nx-1))
	dy0 := max(0, -cy, cy-(gr.ny-1))
	rmin := max(dx0, dy0)
	rmax := max(cx, gr.nx-1-cx, cy, gr.ny-1-cy)
	// Metres per degree lower bound, for both axes, wherever p and the grid are.
	cosLat := math.Min(gr.cosMax, math.Cos(p[1]*math.Pi/180))
	perDeg := 0.99 * 1000 * earth.KmPerDegree * math.Max(cosLat, 0)
	best, bestD := int32(-1), math.Inf(1)
	for r := rmin; r <= rmax; r++ {
		// Every node in ring r or beyond is at least (r-1) cells away from p
		// along one axis (p may sit anywhere inside its own cell).
		if lb := float64(r-1) * gr.cell * perDeg; r > 0 && (lb > bestD || lb > maxMeters) {
			break
		}
		for y := cy - r; y <= cy+r; y++ {
			if y < 0 || y >= gr.ny {
				continue
			}
			step := 2 * r
			if y == cy-r || y == cy+r || r == 0 {
				step = 1
			}
			for x := cx - r; x <= cx+r; x += step {
				if x < 0 || x >= gr.nx {
					continue
				}
				c := y*gr.nx + x
				for _, v := range gr.items[gr.start[c]:gr.start[c+1]] {
					d := earth.Distance(p, g.pts[v])
					if d < bestD || d == bestD && v < best {
						best, bestD = v, d
					}
				}
			}
		}
	}
	if best < 0 || bestD > maxMeters {
		return -1, 0, false
	}
	return best, bestD, true
}
