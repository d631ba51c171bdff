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

// accumulator counts the residents of one area; its distributions are
// computed separately, one area at a time (areaDists).
type accumulator struct {
	agg Aggregate
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
}

func (a *accumulator) finish(minutes, km Dist) Aggregate {
	g := a.agg
	g.Uncovered = g.Population - g.Covered
	g.CoveredPct = pct(g.Covered, g.Population)
	g.WithinTimePct = pct(g.WithinTime, g.Population)
	g.WithinDistancePct = pct(g.WithinDistance, g.Population)
	g.Minutes, g.Km = minutes, km
	return g
}

// areaDists computes the minutes and km distributions of an area from its
// cells in ascending index order (nil: every cell of the index), reusing
// buf. Going area by area, in the order the cells were once appended to a
// list per area, keeps the sorts' input and so every figure identical,
// while holding one area's values instead of three copies of every cell's
// (272 MB for a national index; docs/performance.md).
func (r *Result) areaDists(idx *Index, cells []int32, buf *[]weighted) (minutes, km Dist) {
	for pass := 0; pass < 2; pass++ {
		vals := r.Minutes
		if pass == 1 {
			vals = r.Km
		}
		xs := (*buf)[:0]
		if cells == nil {
			for i, c := range idx.Cells {
				xs = append(xs, weighted{vals[i], c.Population})
			}
		} else {
			for _, i := range cells {
				xs = append(xs, weighted{vals[i], idx.Cells[i].Population})
			}
		}
		if pass == 0 {
			minutes = weightedDist(xs)
		} else {
			km = weightedDist(xs)
		}
		*buf = xs
	}
	return minutes, km
}

func pct(part, whole int64) float64 {
	if whole == 0 {
		return math.NaN()
	}
	return 100 * float64(part) / float64(whole)
}

// aggregate fills the commune, district and province aggregates.
func (r *Result) aggregate(idx *Index) {
	communes := make([]accumulator, len(idx.Communes))
	for ci, c := range idx.Communes {
		communes[ci].agg.Code, communes[ci].agg.Name = c.Code, c.Name
	}
	districtOf := make(map[string]int)
	var districts []accumulator
	for _, d := range idx.Districts {
		if _, ok := districtOf[d.Code]; ok {
			continue
		}
		districtOf[d.Code] = len(districts)
		districts = append(districts, accumulator{agg: Aggregate{Code: d.Code, Name: d.Name}})
	}
	var extra []string
	for _, c := range idx.Communes {
		if _, ok := districtOf[c.District]; !ok && !slices.Contains(extra, c.District) {
			extra = append(extra, c.District)
		}
	}
	slices.Sort(extra)
	for _, code := range extra {
		districtOf[code] = len(districts)
		districts = append(districts, accumulator{agg: Aggregate{Code: code, Name: code}})
	}
	communeDistrict := make([]int32, len(idx.Communes))
	for ci, c := range idx.Communes {
		communeDistrict[ci] = int32(districtOf[c.District])
	}

	var province accumulator
	province.agg.Code, province.agg.Name = "", "province"
	for i, c := range idx.Cells {
		communes[c.Commune].add(r, int32(i), c.Population)
		districts[communeDistrict[c.Commune]].add(r, int32(i), c.Population)
		province.add(r, int32(i), c.Population)
	}
	var buf []weighted
	r.Communes = make([]Aggregate, len(communes))
	for i := range communes {
		cells := idx.CommuneCells[i]
		if cells == nil {
			cells = []int32{} // no cells, not "every cell"
		}
		r.Communes[i] = communes[i].finish(r.areaDists(idx, cells, &buf))
	}
	// The cells of each district in ascending order: a counting sort of
	// the cell indices by district.
	start := make([]int32, len(districts)+1)
	for _, c := range idx.Cells {
		start[communeDistrict[c.Commune]+1]++
	}
	for d := range districts {
		start[d+1] += start[d]
	}
	byDistrict := make([]int32, len(idx.Cells))
	fill := slices.Clone(start[:len(districts)])
	for i, c := range idx.Cells {
		d := communeDistrict[c.Commune]
		byDistrict[fill[d]] = int32(i)
		fill[d]++
	}
	r.Districts = make([]Aggregate, len(districts))
	for d := range districts {
		r.Districts[d] = districts[d].finish(r.areaDists(idx, byDistrict[start[d]:start[d+1]], &buf))
	}
	r.Province = province.finish(r.areaDists(idx, nil, &buf))
}
