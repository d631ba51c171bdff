package dossier

import (
	"fmt"
	"math"
	"sort"

	"github.com/onestop/onestop/data"
	"github.com/onestop/onestop/optimize"
)

// Point is one population cell (an H3 cell or a point) as the coverage step
// sees it.
type Point struct {
	Commune    string // commune code the cell lies in
	Class      data.AreaClass
	Population int64
	// NearestOffice is the index in the network's Offices of the nearest
	// open office by travel time, or -1 when none is reachable.
	NearestOffice int
}

// network is an optimize.Network resolved against its dataset, as the
// assignment and the load check read it.
type network struct {
	Offices []data.Office // the open offices
	// Serves maps a commune code to the index in Offices of the office that
	// serves it (optimize.Network.Serves); after a merge, the absorber.
	Serves map[string]int
	Class  []data.AreaClass // per office: selects its productivity norm
	// Absorbed lists, per open office index, the closed offices whose
	// residents it took over (absorption chains followed), so a merged
	// office's share of its commune's recorded dossiers includes theirs.
	Absorbed map[int][]data.Office
}

// resolve is n with who serves each commune of ds and each office's class.
func resolve(ds *data.Dataset, n optimize.Network) (network, error) {
	serves, err := n.Serves(ds)
	if err != nil {
		return network{}, fmt.Errorf("assign dossiers: %w", err)
	}
	absorbed := map[int][]data.Office{}
	for k, i := range n.OpenAbsorbers() {
		if i >= 0 {
			absorbed[i] = append(absorbed[i], n.Closed[k].Office)
		}
	}
	return network{Offices: n.Offices, Serves: serves, Class: n.Classes(ds), Absorbed: absorbed}, nil
}

// validate checks the network's internal consistency.
func (n network) validate() error {
	if len(n.Offices) == 0 {
		return fmt.Errorf("office network: no open office")
	}
	if len(n.Class) != len(n.Offices) {
		return fmt.Errorf("office network: %d area classes for %d offices; fix: give one class per office", len(n.Class), len(n.Offices))
	}
	for i, c := range n.Class {
		if err := c.Check(); err != nil {
			return fmt.Errorf("office network: office %q: %w", n.Offices[i].ID, err)
		}
		// The data package checks staff and counters too; they are checked
		// again here because a network can be built without it, and a
		// typo of 2e9 staff would be simulated and rebalanced one by one.
		if o := n.Offices[i]; o.Staff < 0 || o.Staff > MaxStaffPerOffice {
			return fmt.Errorf("office network: office %q has %d staff; fix: give a count in [0, %d]", o.ID, o.Staff, MaxStaffPerOffice)
		}
		if o := n.Offices[i]; o.Counters > MaxCountersPerOffice {
			return fmt.Errorf("office network: office %q has %d counters; fix: give a count in [0, %d] (0: unknown)", o.ID, o.Counters, MaxCountersPerOffice)
		}
	}
	codes := make([]string, 0, len(n.Serves))
	for c := range n.Serves {
		codes = append(codes, c)
	}
	sort.Strings(codes)
	for _, c := range codes {
		if i := n.Serves[c]; i < 0 || i >= len(n.Offices) {
			return fmt.Errorf("office network: commune %q is served by office index %d, outside 0..%d", c, i, len(n.Offices)-1)
		}
	}
	return nil
}

// CellDemand is a cell's dossiers per year, split by channel and by whether
// the procedure is boundary-free. All counts are whole dossiers.
type CellDemand struct {
	Total               int64 // all channels
	Counter             int64 // of Total, filed at a counter
	BoundaryFree        int64 // of Total, boundary-free procedures
	BoundaryFreeCounter int64 // of Counter, boundary-free procedures
	Source              Source
}

// Demand is the yearly dossier demand of every cell.
type Demand struct {
	Cells          []CellDemand // parallel to the points
	Total, Counter int64
	// Recorded is each office's recorded count (office id -> dossiers a
	// year) that demand was built from; Assign splits a commune's recorded
	// dossiers between its open recording offices by it.
	Recorded map[string]float64
	// Unplaced lists the recorded counts of communes without a populated
	// cell: they cannot be spread over residents, so they are not in Cells.
	Unplaced []OfficeCount
}

// OfficeCount is an office's recorded dossiers a year (offices.dossiers in
// dataset.yaml, e.g. the 2024 case-file count of its one-stop department).
type OfficeCount struct {
	Office  string // office id
	Commune string // code of the commune the office sits in
	PerYear float64
}

// RecordedCounts lists the offices that carry a recorded count, in the
// given order. A count of 0 reads as unknown (the loader cannot tell an
// empty cell from 0), so those offices are left to rates or the log. A
// negative, NaN, infinite or absurd count (> data.MaxDossiersPerYear), or a
// count on an office without a commune, is an error naming the office.
func RecordedCounts(offices []data.Office) ([]OfficeCount, error) {
	var out []OfficeCount
	for _, o := range offices {
		if err := checkCount(o.ID, o.DossiersPerYear); err != nil {
			return nil, err
		}
		if o.DossiersPerYear == 0 {
			continue
		}
		if o.Commune == "" {
			return nil, fmt.Errorf("office %q records %v dossiers a year but lies in no commune; fix: give the office its commune code, or leave its dossier count empty", o.ID, o.DossiersPerYear)
		}
		out = append(out, OfficeCount{Office: o.ID, Commune: o.Commune, PerYear: o.DossiersPerYear})
	}
	return out, nil
}

func checkCount(office string, v float64) error {
	if !(v >= 0 && v <= data.MaxDossiersPerYear) { // also false for NaN
		return fmt.Errorf("office %q: recorded dossiers per year %v; fix: give the yearly count as a number from 0 to %s (offices.dossiers), or leave it empty to use rates", office, v, data.Thousands(int64(data.MaxDossiersPerYear)))
	}
	return nil
}

// ComputeDemand estimates yearly dossiers per cell, real counts first:
//   - a commune whose offices carry recorded counts (recorded, from
//     RecordedCounts) gets their sum, spread over its cells by population;
//   - else a commune found in measured (from Log.CommuneRates) gets its
//     measured volume, spread the same way;
//   - else the cells use per-capita rates by area class.
//
// The counter share is the commune's measured one when the log has it,
// else rates.CounterShare. Fractional dossiers are apportioned by largest
// remainder — within each recorded commune, so its cells add up to its
// count exactly, and over all other cells together — so totals are whole
// numbers and the result is deterministic.
func ComputeDemand(points []Point, rates Rates, measured map[string]CommuneRate, recorded []OfficeCount) (*Demand, error) {
	if err := rates.Validate(); err != nil {
		return nil, err
	}
	communePop := map[string]int64{}
	for i, p := range points {
		if p.Population < 0 || p.Population > maxPopulation {
			return nil, fmt.Errorf("population cell %d (commune %q): population %d; fix: give a count in [0, %d]", i, p.Commune, p.Population, int64(maxPopulation))
		}
		// Cells are bounded, their count is not: check the sum too.
		if communePop[p.Commune] > maxPopulation-p.Population {
			return nil, fmt.Errorf("commune %q: population over %d; fix: check the population cells", p.Commune, int64(maxPopulation))
		}
		communePop[p.Commune] += p.Population
	}
	for code, m := range measured {
		if !(m.PerYear >= 0 && m.PerYear <= maxDemand) || !(m.CounterShare >= 0 && m.CounterShare <= 1) {
			return nil, fmt.Errorf("measured demand of commune %q: %v dossiers a year, counter share %v; fix: give a finite count >= 0 and a share in [0, 1]", code, m.PerYear, m.CounterShare)
		}
	}
	d := &Demand{Cells: make([]CellDemand, len(points)), Recorded: map[string]float64{}}
	byCommune := map[string]float64{}
	for _, r := range recorded {
		// Callers may scale counts (a growth what-if), so check them again.
		if err := checkCount(r.Office, r.PerYear); err != nil {
			return nil, err
		}
		if _, dup := d.Recorded[r.Office]; dup {
			return nil, fmt.Errorf("office %q: two recorded counts; fix: give each office one count", r.Office)
		}
		d.Recorded[r.Office] = r.PerYear
		if r.PerYear > 0 && communePop[r.Commune] == 0 {
			d.Unplaced = append(d.Unplaced, r)
			continue
		}
		byCommune[r.Commune] += r.PerYear
	}
	// group[i] is the apportioning group of cell i: 0 for rate and log
	// cells, k > 0 for the k-th recorded commune (in cell order).
	group := make([]int, len(points))
	groupOf := map[string]int{}
	expected := make([]float64, len(points))
	share := make([]float64, len(points))
	for i, p := range points {
		m, isMeasured := measured[p.Commune]
		share[i] = rates.CounterShare
		if isMeasured {
			share[i] = m.CounterShare
		}
		if n, ok := byCommune[p.Commune]; ok {
			g, seen := groupOf[p.Commune]
			if !seen {
				g = len(groupOf) + 1
				groupOf[p.Commune] = g
			}
			group[i] = g
			// The commune's count is rounded once, so its cells add up to it.
			expected[i] = math.Round(n) * float64(p.Population) / float64(communePop[p.Commune])
			d.Cells[i].Source = FromRecorded
			continue
		}
		if isMeasured && communePop[p.Commune] > 0 {
			expected[i] = m.PerYear * float64(p.Population) / float64(communePop[p.Commune])
			d.Cells[i].Source = FromLog
			continue
		}
		r, err := rates.PerCapita(p.Class)
		if err != nil {
			return nil, fmt.Errorf("population cell %d (commune %q): %w", i, p.Commune, err)
		}
		expected[i] = r * float64(p.Population)
		d.Cells[i].Source = FromRate
	}
	// apportion rounds in int64 and float64: keep the sum where both are
	// exact, so no total wraps around or loses dossiers to rounding.
	sum := 0.0
	for _, v := range expected {
		sum += v
	}
	if !(sum <= maxDemand) {
		return nil, fmt.Errorf("dossier demand: %v dossiers a year in total, more than %g; fix: check the per-capita rates, the recorded counts, the population and the log's sample fraction", sum, float64(maxDemand))
	}
	total := apportionGroups(expected, group)
	counterX := make([]float64, len(points))
	for i := range counterX {
		counterX[i] = float64(total[i]) * share[i]
	}
	counter := apportionGroups(counterX, group)
	bfC, bfO := make([]float64, len(points)), make([]float64, len(points))
	for i := range points {
		bfC[i] = float64(counter[i]) * rates.BoundaryFree
		bfO[i] = float64(total[i]-counter[i]) * rates.BoundaryFree
	}
	bfCounter, bfOther := apportionGroups(bfC, group), apportionGroups(bfO, group)
	for i := range points {
		c := &d.Cells[i]
		c.Total, c.Counter = total[i], counter[i]
		c.BoundaryFree, c.BoundaryFreeCounter = bfCounter[i]+bfOther[i], bfCounter[i]
		d.Total += total[i]
		d.Counter += counter[i]
	}
	return d, nil
}

// apportionGroups is apportion applied to each group of x separately
// (group[i] names the group of x[i]), so every group's whole numbers add up
// to its own rounded sum. With a single group it is apportion(x).
func apportionGroups(x []float64, group []int) []int64 {
	// Group numbers are small (0 and 1..k in order of first appearance),
	// so a slice indexes them.
	var idx [][]int
	for i, g := range group {
		for g >= len(idx) {
			idx = append(idx, nil)
		}
		idx[g] = append(idx[g], i)
	}
	out := make([]int64, len(x))
	var sub []float64
	for _, is := range idx {
		if len(is) == 0 {
			continue
		}
		sub = sub[:0]
		for _, i := range is {
			sub = append(sub, x[i])
		}
		for k, v := range apportion(sub) {
			out[is[k]] = v
		}
	}
	return out
}

// Bounds of the demand inputs, far above any real province (2.5 M people,
// about 1 M dossiers a year) and well below where float64 stops counting
// whole dossiers exactly (2^53).
const (
	maxPopulation = 1e10 // people in one cell or commune
	maxDemand     = 1e13 // dossiers a year, over all cells
)

// apportion rounds x to whole numbers whose sum is the rounded sum of x,
// giving the extra units to the largest fractional parts (ties to the lower
// index). No element exceeds the ceiling of its x.
func apportion(x []float64) []int64 {
	out := make([]int64, len(x))
	var sum float64
	var floors int64
	for i, v := range x {
		f := math.Floor(v)
		out[i] = int64(f)
		floors += out[i]
		sum += v
	}
	extra := int64(math.Round(sum)) - floors
	if extra <= 0 {
		return out
	}
	idx := make([]int, 0, len(x))
	for i, v := range x {
		if v-math.Floor(v) > 0 {
			idx = append(idx, i)
		}
	}
	sort.SliceStable(idx, func(a, b int) bool {
		return x[idx[a]]-math.Floor(x[idx[a]]) > x[idx[b]]-math.Floor(x[idx[b]])
	})
	for k := 0; k < len(idx) && int64(k) < extra; k++ {
		out[idx[k]]++
	}
	return out
}
