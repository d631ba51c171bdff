package audit

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"math/bits"
	"slices"

	"github.com/onestop/onestop/data"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
	h3 "github.com/uber/h3-go/v4"
)

// cell is one H3 cell of the province as the audit lists it.
type cell struct {
	h3       h3.Cell
	lon, lat float64
	commune  int // index into the dataset's communes
	pop      int64
}

// listCells fills every commune with H3 cells at resolution res and spreads
// the census population over them, following docs/coverage.md ("The
// index"): a cell belongs to the commune whose polygon contains its centre
// (smallest code on overlaps), else to the claiming commune with the
// smallest code; a commune without a cell gets the cell of an interior
// point; population by largest remainder, weighted by gridded records.
// Cells come back sorted by H3 id.
func listCells(ctx context.Context, ds *data.Dataset, res int) ([]cell, error) {
	claims := map[h3.Cell][]int{}
	for i := range ds.Communes {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("audit: list cells: %w", err)
		}
		c := &ds.Communes[i]
		for _, p := range c.Geometry {
			hs, err := fill(p, res)
			if err != nil {
				return nil, fmt.Errorf("audit: commune %s (%s): %w", c.Code, c.Name, err)
			}
			for _, h := range hs {
				if cl := claims[h]; len(cl) == 0 || cl[len(cl)-1] != i {
					claims[h] = append(cl, i)
				}
			}
		}
	}
	bounds := make([]orb.Bound, len(ds.Communes))
	for i, c := range ds.Communes {
		bounds[i] = c.Geometry.Bound()
	}
	smallest := func(cs []int) int {
		best := cs[0]
		for _, c := range cs[1:] {
			if ds.Communes[c].Code < ds.Communes[best].Code {
				best = c
			}
		}
		return best
	}
	owner := make(map[h3.Cell]int, len(claims))
	var inside []int
	for h, cl := range claims {
		ll := h.LatLng()
		pt := orb.Point{ll.Lng, ll.Lat}
		inside = inside[:0]
		for i := range ds.Communes {
			if bounds[i].Contains(pt) && planar.MultiPolygonContains(ds.Communes[i].Geometry, pt) {
				inside = append(inside, i)
			}
		}
		if len(inside) > 0 {
			owner[h] = smallest(inside)
		} else {
			owner[h] = smallest(cl)
		}
	}
	count := make([]int, len(ds.Communes))
	for _, c := range owner {
		count[c]++
	}
	order := make([]int, len(ds.Communes))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int { return cmp.Compare(ds.Communes[a].Code, ds.Communes[b].Code) })
	for _, ci := range order {
		if count[ci] > 0 {
			continue
		}
		ip := scanlinePoint(ds.Communes[ci].Geometry)
		h, ok := freeCellNear(h3.LatLngToCell(h3.NewLatLng(ip[1], ip[0]), res), owner, count)
		if !ok {
			return nil, fmt.Errorf("audit: commune %s has no free cell within 3 rings of its interior point (fix: a finer H3 resolution)", ds.Communes[ci].Code)
		}
		if prev, taken := owner[h]; taken {
			count[prev]--
		}
		owner[h] = ci
		count[ci]++
	}
	cells := make([]cell, 0, len(owner))
	for h, c := range owner {
		ll := h.LatLng()
		cells = append(cells, cell{h3: h, lon: ll.Lng, lat: ll.Lat, commune: c})
	}
	slices.SortFunc(cells, func(a, b cell) int { return cmp.Compare(a.h3, b.h3) })
	return cells, spread(ds, cells, res)
}

// fill lists the cells whose centres H3 places inside polygon p (holes
// excluded). H3 loops are implicitly closed, so the repeated last vertex is
// dropped.
func fill(p orb.Polygon, res int) (hs []h3.Cell, err error) {
	loop := func(r orb.Ring) h3.GeoLoop {
		n := len(r)
		if n > 1 && r[0] == r[n-1] {
			n--
		}
		l := make(h3.GeoLoop, n)
		for i := 0; i < n; i++ {
			l[i] = h3.NewLatLng(r[i][1], r[i][0])
		}
		return l
	}
	if len(p) == 0 {
		return nil, nil
	}
	gp := h3.GeoPolygon{GeoLoop: loop(p[0])}
	for _, hole := range p[1:] {
		if len(hole) >= 4 {
			gp.Holes = append(gp.Holes, loop(hole))
		}
	}
	defer func() {
		// h3-go panics on rings its C library rejects; the input is at
		// fault, so it becomes an error naming the commune.
		if r := recover(); r != nil {
			err = fmt.Errorf("H3 cannot fill the polygon: %v", r)
		}
	}()
	return h3.PolygonToCells(gp, res), nil
}

// scanlinePoint is the middle of the widest inside run of the horizontal
// line through the middle of the bound of the commune's largest polygon
// (docs/coverage.md: centroids can fall outside crescent shapes).
func scanlinePoint(mp orb.MultiPolygon) orb.Point {
	var best orb.Polygon
	area := -1.0
	for _, p := range mp {
		if a := math.Abs(planar.Area(p)); a > area {
			best, area = p, a
		}
	}
	if len(best) == 0 || len(best[0]) == 0 {
		return orb.Point{}
	}
	b := best.Bound()
	y := (b.Min[1] + b.Max[1]) / 2
	var xs []float64
	for _, r := range best {
		for i := 0; i+1 < len(r); i++ {
			p, q := r[i], r[i+1]
			if (p[1] > y) != (q[1] > y) {
				xs = append(xs, p[0]+(y-p[1])*(q[0]-p[0])/(q[1]-p[1]))
			}
		}
	}
	slices.Sort(xs)
	pt, width := best[0][0], -1.0
	for i := 0; i+1 < len(xs); i += 2 {
		if w := xs[i+1] - xs[i]; w > width {
			width, pt = w, orb.Point{(xs[i] + xs[i+1]) / 2, y}
		}
	}
	return pt
}

// freeCellNear is h unless h is the only cell of another commune; then the
// nearest cell within 3 rings (ring by ring, lowest id first) that is free
// or whose owner keeps another cell.
func freeCellNear(h h3.Cell, owner map[h3.Cell]int, count []int) (h3.Cell, bool) {
	for _, ring := range h.GridDiskDistances(3) {
		ring = slices.Clone(ring)
		slices.Sort(ring)
		for _, c := range ring {
			if c == 0 {
				continue
			}
			if prev, ok := owner[c]; !ok || count[prev] > 1 {
				return c, true
			}
		}
	}
	return 0, false
}

// spread gives each cell its share of its commune's census population:
// weights from the gridded records (a point or finer cell adds its count to
// the cell containing it, a coarser cell splits its count evenly over its
// children in the list), uniform when a commune's cells got no weight.
func spread(ds *data.Dataset, cells []cell, res int) error {
	at := make(map[h3.Cell]int, len(cells))
	for i, c := range cells {
		at[c.h3] = i
	}
	weight := make([]int64, len(cells))
	for k, g := range ds.Population {
		var targets []int
		var h h3.Cell
		if g.H3 != "" {
			h = h3.Cell(h3.IndexFromString(g.H3))
			if !h.IsValid() {
				return fmt.Errorf("audit: gridded population record %d: %q is not an H3 cell id", k+1, g.H3)
			}
			switch r := h.Resolution(); {
			case r > res:
				h = h.Parent(res)
			case r < res:
				for _, ch := range h.Children(res) {
					if i, ok := at[ch]; ok {
						targets = append(targets, i)
					}
				}
				h = 0
			}
		} else {
			h = h3.LatLngToCell(h3.NewLatLng(g.Point[1], g.Point[0]), res)
		}
		if h != 0 {
			if i, ok := at[h]; ok {
				targets = []int{i}
			}
		}
		parts := largestRemainder(g.Count, nil, len(targets))
		for j, i := range targets {
			weight[i] += parts[j]
		}
	}
	byCommune := make([][]int, len(ds.Communes))
	for i, c := range cells {
		byCommune[c.commune] = append(byCommune[c.commune], i)
	}
	for ci, idx := range byCommune {
		w := make([]int64, len(idx))
		var sum int64
		for j, i := range idx {
			w[j] = weight[i]
			sum += w[j]
		}
		if sum == 0 {
			w = nil
		}
		for j, p := range largestRemainder(ds.Communes[ci].Population, w, len(idx)) {
			cells[idx[j]].pop = p
		}
	}
	return nil
}

// largestRemainder splits total into n integer parts proportional to w
// (equal parts when w is nil): floors first, then one more to the largest
// remainders, ties to the earlier part (the lower H3 id).
func largestRemainder(total int64, w []int64, n int) []int64 {
	out := make([]int64, n)
	if n == 0 {
		return out
	}
	if w == nil {
		for i := range out {
			out[i] = total / int64(n)
			if int64(i) < total%int64(n) {
				out[i]++
			}
		}
		return out
	}
	var sum uint64
	for _, x := range w {
		sum += uint64(x)
	}
	rem := make([]uint64, n)
	ord := make([]int, n)
	given := int64(0)
	for i, x := range w {
		hi, lo := bits.Mul64(uint64(total), uint64(x))
		q, r := bits.Div64(hi, lo, sum) // hi < sum since x <= sum
		out[i], rem[i], ord[i] = int64(q), r, i
		given += int64(q)
	}
	slices.SortStableFunc(ord, func(a, b int) int { return cmp.Compare(rem[b], rem[a]) })
	for k := int64(0); k < total-given; k++ {
		out[ord[k]]++
	}
	return out
}
