package coverage

import (
	"cmp"
	"context"
	"fmt"
	"math/bits"
	"slices"

	"github.com/onestop/onestop/data"
	"github.com/uber/h3-go/v4"
)

// spreadPopulation gives every cell its share of its commune's census
// population. Gridded counts, when present, only weight the spread: the
// commune totals of the census stay exact, because every report and norm
// is stated against them.
func (x *Index) spreadPopulation(ctx context.Context, grid []data.PopulationCell) error {
	weight := make([]int64, len(x.Cells))
	for i, g := range grid {
		if i%4096 == 0 {
			if err := ctx.Err(); err != nil {
				return fmt.Errorf("coverage: spread population: %w", err)
			}
		}
		if g.Count < 0 {
			return fmt.Errorf("coverage: gridded population record %d (%s): count %d is negative; fix the count column", i+1, recordName(g), g.Count)
		}
		x.Stats.GriddedRecords++
		cells, err := x.gridTargets(g)
		if err != nil {
			return fmt.Errorf("coverage: gridded population record %d (%s): %w", i+1, recordName(g), err)
		}
		if len(cells) == 0 {
			x.Stats.GriddedUnmatched++
			continue
		}
		// A coarser H3 record covers several index cells: split it evenly.
		parts := make([]int64, len(cells))
		apportion(g.Count, nil, parts)
		for j, c := range cells {
			weight[c] += parts[j]
		}
	}

	for ci, cells := range x.CommuneCells {
		w := make([]int64, len(cells))
		var total int64
		for j, c := range cells {
			w[j] = weight[c]
			total += w[j]
		}
		if total == 0 {
			w = nil // no gridded data inside: spread uniformly
		}
		parts := make([]int64, len(cells))
		apportion(x.Communes[ci].Population, w, parts)
		for j, c := range cells {
			x.Cells[c].Population = parts[j]
		}
	}
	return nil
}

func recordName(g data.PopulationCell) string {
	if g.H3 != "" {
		return "h3 " + g.H3
	}
	return fmt.Sprintf("point %.6f,%.6f", g.Point[0], g.Point[1])
}

// gridTargets maps one gridded record to index cells: a point or a finer
// H3 cell to the cell containing it, a coarser H3 cell to its children
// that are in the index.
func (x *Index) gridTargets(g data.PopulationCell) ([]int32, error) {
	var h h3.Cell
	if g.H3 != "" {
		h = h3.Cell(h3.IndexFromString(g.H3))
		if !h.IsValid() {
			return nil, fmt.Errorf("%q is not a valid H3 cell id; use the hex form, e.g. 8965b5a1a3bffff", g.H3)
		}
		r := h.Resolution()
		switch {
		case r > x.Resolution:
			h = h.Parent(x.Resolution)
		case r < x.Resolution:
			var out []int32
			for _, c := range h.Children(x.Resolution) {
				if i, ok := x.Lookup(c); ok {
					out = append(out, i)
				}
			}
			return out, nil
		}
	} else {
		p := g.Point
		if p[0] < -180 || p[0] > 180 || p[1] < -90 || p[1] > 90 {
			return nil, fmt.Errorf("point %v is not lon/lat in degrees; reproject to EPSG:4326", p)
		}
		h = h3.LatLngToCell(h3.NewLatLng(p[1], p[0]), x.Resolution)
	}
	if i, ok := x.Lookup(h); ok {
		return []int32{i}, nil
	}
	return nil, nil
}

// apportion splits total into len(out) integers proportional to weights
// (equal shares when weights is nil) by the largest-remainder method: each
// gets the floor of its quota, then the largest fractional remainders get
// one more; equal remainders go to the lower position. The parts sum to
// total exactly. Quotas use 128-bit products so large weights cannot
// overflow.
func apportion(total int64, weights []int64, out []int64) {
	n := len(out)
	if n == 0 {
		return
	}
	if weights == nil {
		q, r := total/int64(n), total%int64(n)
		for i := range out {
			out[i] = q
			if int64(i) < r {
				out[i]++
			}
		}
		return
	}
	var wsum uint64
	for _, w := range weights {
		wsum += uint64(w)
	}
	type rem struct {
		r uint64
		i int
	}
	rems := make([]rem, n)
	var given int64
	for i, w := range weights {
		hi, lo := bits.Mul64(uint64(total), uint64(w))
		q, r := bits.Div64(hi, lo, wsum) // hi < wsum because w <= wsum
		out[i] = int64(q)
		given += int64(q)
		rems[i] = rem{r, i}
	}
	slices.SortStableFunc(rems, func(a, b rem) int { return cmp.Compare(b.r, a.r) })
	for k := int64(0); k < total-given; k++ {
		out[rems[k].i]++
	}
}
