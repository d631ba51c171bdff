package dossier

import (
	"fmt"
	"math"
	"sort"

	"github.com/onestop/onestop/data"
)

// Point is one population cell (an H3 cell or a point) as the coverage step
// sees it.
type Point struct {
	Commune    string // commune code the cell lies in
	Class      data.AreaClass
	Population int64
	// NearestOffice is the index in Network.Offices of the nearest open
	// office by travel time, or -1 when none is reachable.
	NearestOffice int
}

// Network is the office network after any merges.
type Network struct {
	Offices []data.Office // the open offices
	// Serves maps a commune code to the index in Offices of the office that
	// serves it; after a merge, the absorbing office.
	Serves map[string]int
	Class  []data.AreaClass // per office: selects its productivity norm
}

// Validate checks the network's internal consistency.
func (n Network) Validate() error {
	if len(n.Offices) == 0 {
		return fmt.Errorf("office network: no open office")
	}
	if len(n.Class) != len(n.Offices) {
		return fmt.Errorf("office network: %d area classes for %d offices; fix: give one class per office", len(n.Class), len(n.Offices))
	}
	for i, c := range n.Class {
		if _, err := Norm(c); err != nil {
			return fmt.Errorf("office network: office %q: %w", n.Offices[i].ID, err)
		}
		// The data package checks staff and counters too; they are checked
		// again here because a Network can be built without it, and a
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
		if p.Population < 0 {
			return nil, fmt.Errorf("population cell %d (commune %q): population %d; fix: give a count >= 0", i, p.Commune, p.Population)
		}
		communePop[p.Commune] += p.Population
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
