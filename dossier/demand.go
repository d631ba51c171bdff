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
}

// resolve is n with who serves each commune of ds and each office's class.
func resolve(ds *data.Dataset, n optimize.Network) (network, error) {
	serves, err := n.Serves(ds)
	if err != nil {
		return network{}, fmt.Errorf("assign dossiers: %w", err)
	}
	return network{Offices: n.Offices, Serves: serves, Class: n.Classes(ds)}, nil
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
}

// Demand is the yearly dossier demand of every cell.
type Demand struct {
	Cells          []CellDemand // parallel to the points
	Total, Counter int64
}

// ComputeDemand estimates yearly dossiers per cell. A commune found in
// measured (from Log.CommuneRates) gets its measured volume and counter share,
// spread over its cells by population; other communes use rates. Fractional
// dossiers are apportioned by largest remainder, so totals are whole numbers
// that add up exactly and the result is deterministic.
func ComputeDemand(points []Point, rates Rates, measured map[string]CommuneRate) (*Demand, error) {
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
	expected := make([]float64, len(points))
	share := make([]float64, len(points))
	for i, p := range points {
		if m, ok := measured[p.Commune]; ok && communePop[p.Commune] > 0 {
			expected[i] = m.PerYear * float64(p.Population) / float64(communePop[p.Commune])
			share[i] = m.CounterShare
			continue
		}
		r, err := rates.PerCapita(p.Class)
		if err != nil {
			return nil, fmt.Errorf("population cell %d (commune %q): %w", i, p.Commune, err)
		}
		expected[i] = r * float64(p.Population)
		share[i] = rates.CounterShare
	}
	// apportion rounds in int64 and float64: keep the sum where both are
	// exact, so no total wraps around or loses dossiers to rounding.
	sum := 0.0
	for _, v := range expected {
		sum += v
	}
	if !(sum <= maxDemand) {
		return nil, fmt.Errorf("dossier demand: %v dossiers a year in total, more than %g; fix: check the per-capita rates, the population and the log's sample fraction", sum, float64(maxDemand))
	}
	total := apportion(expected)
	counterX := make([]float64, len(points))
	for i := range counterX {
		counterX[i] = float64(total[i]) * share[i]
	}
	counter := apportion(counterX)
	bfC, bfO := make([]float64, len(points)), make([]float64, len(points))
	for i := range points {
		bfC[i] = float64(counter[i]) * rates.BoundaryFree
		bfO[i] = float64(total[i]-counter[i]) * rates.BoundaryFree
	}
	bfCounter, bfOther := apportion(bfC), apportion(bfO)
	d := &Demand{Cells: make([]CellDemand, len(points))}
	for i := range points {
		d.Cells[i] = CellDemand{
			Total:               total[i],
			Counter:             counter[i],
			BoundaryFree:        bfCounter[i] + bfOther[i],
			BoundaryFreeCounter: bfCounter[i],
		}
		d.Total += total[i]
		d.Counter += counter[i]
	}
	return d, nil
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
