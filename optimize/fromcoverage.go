package optimize

import (
	"fmt"
	"math"

	"github.com/onestop/onestop/coverage"
	"github.com/paulmach/orb"
)

// FromCoverage fills an Instance from coverage's cell index and the
// candidate sets computed for cands (same order): each populated cell is a
// demand point, Cover holds the entries the rule covers, Times the entries
// with a finite travel time. dossiers (per cell, may be nil) feeds the
// capacity model. When every entry of sets has a finite time, Times shares
// the arrays of sets instead of copying them: neither may be modified
// afterwards.
func FromCoverage(idx *coverage.Index, sets *coverage.CandidateSets, cands []Candidate, dossiers []float64) (*Instance, error) {
	if idx == nil || sets == nil {
		return nil, fmt.Errorf("optimize: FromCoverage needs an index and candidate sets")
	}
	if len(sets.Start) != len(cands)+1 {
		return nil, fmt.Errorf("optimize: %d candidate sets for %d candidates; fix: compute the sets for exactly these candidates", len(sets.Start)-1, len(cands))
	}
	if dossiers != nil && len(dossiers) != len(idx.Cells) {
		return nil, fmt.Errorf("optimize: %d dossier values for %d cells; fix: give one value per index cell", len(dossiers), len(idx.Cells))
	}
	inst := &Instance{Demand: make([]float64, len(idx.Cells)), Dossiers: dossiers, Candidates: cands}
	inst.DemandPoint = make([]orb.Point, len(idx.Cells))
	inst.DemandCommune = make([]string, len(idx.Cells))
	for i, c := range idx.Cells {
		inst.Demand[i] = float64(c.Population)
		inst.DemandPoint[i] = orb.Point{c.Lon, c.Lat}
		if int(c.Commune) < len(idx.Communes) {
			inst.DemandCommune[i] = idx.Communes[c.Commune].Code
		}
	}
	m := len(cands)
	nCov, nTime := 0, 0
	for k, t := range sets.Minutes {
		if sets.Covered[k] {
			nCov++
		}
		if !math.IsInf(float64(t), 0) && !math.IsNaN(float64(t)) {
			nTime++
		}
	}
	inst.Cover.Cell = make([]int32, 0, nCov)
	inst.Cover.Start = make([]int32, m+1)
	if nTime == len(sets.Cell) {
		// Every listed cell has a travel time (always so with the
		// straight-line model): Times is the sets themselves, shared
		// rather than copied, which saves 8 bytes per entry at the peak of
		// a plan (docs/performance.md).
		inst.Times = Sparse{Start: sets.Start, Cell: sets.Cell, Minutes: sets.Minutes}
	} else {
		inst.Times.Cell = make([]int32, 0, nTime)
		inst.Times.Minutes = make([]float32, 0, nTime)
		inst.Times.Start = make([]int32, m+1)
	}
	shared := nTime == len(sets.Cell)
	for j := 0; j < m; j++ {
		cells, mins, cov := sets.Row(j)
		for k, c := range cells {
			if cov[k] {
				inst.Cover.Cell = append(inst.Cover.Cell, c)
			}
			if t := mins[k]; !shared && !math.IsInf(float64(t), 0) && !math.IsNaN(float64(t)) {
				inst.Times.Cell = append(inst.Times.Cell, c)
				inst.Times.Minutes = append(inst.Times.Minutes, t)
			}
		}
		inst.Cover.Start[j+1] = int32(len(inst.Cover.Cell))
		if !shared {
			inst.Times.Start[j+1] = int32(len(inst.Times.Cell))
		}
	}
	if inst.Times.Minutes == nil {
		inst.Times.Minutes = []float32{}
	}
	if inst.Times.Cell == nil {
		inst.Times.Cell = []int32{}
	}
	return inst, nil
}
