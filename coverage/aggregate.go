package coverage

import (
	"cmp"
	"math"
	"slices"
)

// Dist summarises a population-weighted distribution. Percentiles are
// exact: the smallest value whose cumulative population reaches the share
// (no interpolation), so "p95 = 24 min" means 95% of residents are at most
// 24 minutes away. NaN when nobody counts.
type Dist struct {
	Mean float64 `json:"mean"`
	P50  float64 `json:"p50"`
	P95  float64 `json:"p95"`
	Max  float64 `json:"max"`
}

// Aggregate is the coverage of an area: a commune, a district or the
// province. Population counts are residents, not cells.
type Aggregate struct {
	Code, Name string
	Cells      int

	Population     int64
	Covered        int64
	Uncovered      int64
	WithinTime     int64 // residents meeting the time threshold
	WithinDistance int64 // residents meeting the distance threshold
	Unreachable    int64 // residents with no travel time to any office

	CoveredPct        float64 // share of Population, 0–100; NaN when Population is 0
	WithinTimePct     float64
	WithinDistancePct float64

	Minutes Dist // over reachable residents
	Km      Dist
}

// weighted pairs a value with its population for percentiles.
type weighted struct {
	v float64
	w int64
}

// weightedDist computes mean, p50, p95 and max of values weighted by
// population, skipping NaN values and zero weights. It sorts xs in place.
func weightedDist(xs []weighted) Dist {
	xs = slices.DeleteFunc(xs, func(x weighted) bool { return math.IsNaN(x.v) || x.w <= 0 })
	if len(xs) == 0 {
		nan := math.NaN()
		return Dist{nan, nan, nan, nan}
	}
	slices.SortFunc(xs, func(a, b weighted) int { return cmp.Compare(a.v, b.v) })
	var total int64
	var sum float64
	for _, x := range xs {
		total += x.w
		sum += x.v * float64(x.w)
	}
	return Dist{
		Mean: sum / float64(total),
		P50:  weightedPercentile(xs, total, 50),
		P95:  weightedPercentile(xs, total, 95),
		Max:  xs[len(xs)-1].v,
	}
}

// weightedPercentile returns the smallest value of sorted xs whose
// cumulative weight is at least pct% of total, compared in integers so the
// boundary case (cumulative exactly pct%) is exact.
func weightedPercentile(xs []weighted, total int64, pct int64) float64 {
	var cum int64
	for _, x := range xs {
		cum += x.w
		if cum*100 >= pct*total {
			return x.v
		}
	}
	return xs[len(xs)-1].v
}

// accumulator gathers the cells of one area.
type accumulator struct {
	agg     Aggregate
	minutes []weighted
	km      []weighted
}

func (a *accumulator) add(r *Result, cell int32, pop int64) {
	g := &a.agg
	g.Cells++
	g.Population += pop
	if r.Covered[cell] {
		g.Covered += pop
	}
	m := r.Met[cell]
	if m&MetTime != 0 {
		g.WithinTime += pop
	}
	if m&MetDistance != 0 {
		g.WithinDistance += pop
	}
	if math.IsNaN(r.Minutes[cell]) {
		g.Unreachable += pop
	}
	a.minutes = append(a.minutes, weighted{r.Minutes[cell], pop})
	a.km = append(a.km, weighted{r.Km[cell], pop})
}

func (a *accumulator) finish() Aggregate {
	g := a.agg
	g.Uncovered = g.Population - g.Covered
	g.CoveredPct = pct(g.Covered, g.Population)
	g.WithinTimePct = pct(g.WithinTime, g.Population)
	g.WithinDistancePct = pct(g.WithinDistance, g.Population)
	g.Minutes = weightedDist(a.minutes)
	g.Km = weightedDist(a.km)
	return g
}

func pct(part, whole int64) float64 {
	if whole == 0 {
		return math.NaN()
	}
	return 100 * float64(part) / float64(whole)
}

// aggregate fills the commune, district and province aggregates. Areas
// are done one at a time, each from its cells in ascending order (the
// order in which every area's list was once filled during a single pass),
// so every sort sees the same input and the figures are unchanged, while
// only one area's values are held, in one reused buffer, instead of three
// copies of every cell's (272 MB for a national index; docs/performance.md).
func (r *Result) aggregate(idx *Index) {
	districtOf := make(map[string]int)
	var heads []Aggregate // code and name of each district
	for _, d := range idx.Districts {
		if _, ok := districtOf[d.Code]; ok {
			continue
		}
		districtOf[d.Code] = len(heads)
		heads = append(heads, Aggregate{Code: d.Code, Name: d.Name})
	}
	var extra []string
	for _, c := range idx.Communes {
		if _, ok := districtOf[c.District]; !ok && !slices.Contains(extra, c.District) {
			extra = append(extra, c.District)
		}
	}
	slices.Sort(extra)
	for _, code := range extra {
		districtOf[code] = len(heads)
		heads = append(heads, Aggregate{Code: code, Name: code})
	}

	acc := accumulator{minutes: make([]weighted, 0, len(idx.Cells)), km: make([]weighted, 0, len(idx.Cells))}
	area := func(head Aggregate, n int, cell func(k int) int32) Aggregate {
		acc = accumulator{agg: head, minutes: acc.minutes[:0], km: acc.km[:0]}
		for k := range n {
			c := cell(k)
			acc.add(r, c, idx.Cells[c].Population)
		}
		return acc.finish()
	}
	r.Communes = make([]Aggregate, len(idx.Communes))
	for ci, c := range idx.Communes {
		cells := idx.CommuneCells[ci]
		r.Communes[ci] = area(Aggregate{Code: c.Code, Name: c.Name}, len(cells), func(k int) int32 { return cells[k] })
	}
	// The cells of each district in ascending order: a counting sort of
	// the cell indices by district.
	communeDistrict := make([]int32, len(idx.Communes))
	for ci, c := range idx.Communes {
		communeDistrict[ci] = int32(districtOf[c.District])
	}
	start := make([]int32, len(heads)+1)
	for _, c := range idx.Cells {
		start[communeDistrict[c.Commune]+1]++
	}
	for d := range heads {
		start[d+1] += start[d]
	}
	byDistrict := make([]int32, len(idx.Cells))
	fill := slices.Clone(start[:len(heads)])
	for i, c := range idx.Cells {
		d := communeDistrict[c.Commune]
		byDistrict[fill[d]] = int32(i)
		fill[d]++
	}
	r.Districts = make([]Aggregate, len(heads))
	for d := range heads {
		cells := byDistrict[start[d]:start[d+1]]
		r.Districts[d] = area(heads[d], len(cells), func(k int) int32 { return cells[k] })
	}
	r.Province = area(Aggregate{Code: "", Name: "province"}, len(idx.Cells), func(k int) int32 { return int32(k) })
}
