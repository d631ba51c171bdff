package optimize

import (
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"testing"

	"github.com/onestop/onestop/coverage"
	"github.com/onestop/onestop/data"
	"github.com/uber/h3-go/v4"
)

// tinyIndex is an index of n cells in one commune, enough for FromCoverage.
func tinyIndex(n int) *coverage.Index {
	idx := &coverage.Index{Resolution: 9, Communes: []data.Commune{{Code: "C1"}}}
	for i := range n {
		idx.Cells = append(idx.Cells, coverage.Cell{H3: h3.Cell(i + 1), Lon: 106 + float64(i)/100, Lat: 11, Population: int64(10 * (i + 1))})
	}
	return idx
}

func TestFromCoverageTimesAndCover(t *testing.T) {
	inf := float32(math.Inf(1))
	tests := []struct {
		name       string
		sets       *coverage.CandidateSets
		wantCover  Sparse
		wantTimes  Sparse
		wantShared bool
	}{
		{
			name: "all times finite: Times shares the sets",
			sets: &coverage.CandidateSets{Start: []int32{0, 2, 3}, Cell: []int32{0, 2, 1},
				Minutes: []float32{5, 40, 12}, Covered: []bool{true, false, true}},
			wantCover:  Sparse{Start: []int32{0, 1, 2}, Cell: []int32{0, 1}},
			wantTimes:  Sparse{Start: []int32{0, 2, 3}, Cell: []int32{0, 2, 1}, Minutes: []float32{5, 40, 12}},
			wantShared: true,
		},
		{
			name: "a cell listed by distance only is left out of Times",
			sets: &coverage.CandidateSets{Start: []int32{0, 2, 3}, Cell: []int32{0, 2, 1},
				Minutes: []float32{5, inf, 12}, Covered: []bool{true, true, false}},
			wantCover: Sparse{Start: []int32{0, 2, 2}, Cell: []int32{0, 2}},
			wantTimes: Sparse{Start: []int32{0, 1, 2}, Cell: []int32{0, 1}, Minutes: []float32{5, 12}},
		},
		{
			name:      "no entries",
			sets:      &coverage.CandidateSets{Start: []int32{0, 0, 0}},
			wantCover: Sparse{Start: []int32{0, 0, 0}, Cell: []int32{}},
			wantTimes: Sparse{Start: []int32{0, 0, 0}, Cell: []int32{}, Minutes: []float32{}},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cands := []Candidate{{ID: "A"}, {ID: "B"}}
			inst, err := FromCoverage(tinyIndex(3), tc.sets, cands, nil)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(inst.Cover.Start, tc.wantCover.Start) || !slices.Equal(inst.Cover.Cell, tc.wantCover.Cell) {
				t.Errorf("Cover = %v %v, want %v %v", inst.Cover.Start, inst.Cover.Cell, tc.wantCover.Start, tc.wantCover.Cell)
			}
			if inst.Cover.Cell == nil || inst.Times.Cell == nil || inst.Times.Minutes == nil {
				t.Errorf("nil slices in the instance: Cover.Cell %v, Times.Cell %v, Times.Minutes %v", inst.Cover.Cell == nil, inst.Times.Cell == nil, inst.Times.Minutes == nil)
			}
			if !slices.Equal(inst.Times.Start, tc.wantTimes.Start) || !slices.Equal(inst.Times.Cell, tc.wantTimes.Cell) || !slices.Equal(inst.Times.Minutes, tc.wantTimes.Minutes) {
				t.Errorf("Times = %v %v %v, want %v %v %v", inst.Times.Start, inst.Times.Cell, inst.Times.Minutes,
					tc.wantTimes.Start, tc.wantTimes.Cell, tc.wantTimes.Minutes)
			}
			shared := len(tc.sets.Cell) > 0 && &inst.Times.Cell[0] == &tc.sets.Cell[0]
			if shared != tc.wantShared {
				t.Errorf("Times shares the sets' arrays: %v, want %v", shared, tc.wantShared)
			}
			if err := inst.Validate(); err != nil {
				t.Errorf("instance invalid: %v", err)
			}
		})
	}
}

// syntheticSets is m candidates each listing per cells of n, ascending,
// with finite minutes and about half covered: the shape of a province's
// candidate sets (Binh Duong: 3,365 candidates, ~650 per cell).
func syntheticSets(n, m, per int) *coverage.CandidateSets {
	rng := rand.New(rand.NewPCG(3, 4))
	s := &coverage.CandidateSets{Start: make([]int32, m+1)}
	for j := range m {
		first := rng.IntN(n - per + 1)
		for c := first; c < first+per; c++ {
			s.Cell = append(s.Cell, int32(c))
			mins := float32(rng.IntN(4500)) / 100
			s.Minutes = append(s.Minutes, mins)
			s.Covered = append(s.Covered, mins <= 30)
		}
		s.Start[j+1] = int32(len(s.Cell))
	}
	return s
}

// BenchmarkFromCoverage: 22,320 cells and 3,000 candidates of 5,000
// entries (15 M entries, the size of real Binh Duong's).
func BenchmarkFromCoverage(b *testing.B) {
	const n, m, per = 22320, 3000, 5000
	idx := tinyIndex(n)
	sets := syntheticSets(n, m, per)
	cands := make([]Candidate, m)
	for j := range cands {
		cands[j].ID = "K" + strconv.Itoa(j)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		if _, err := FromCoverage(idx, sets, cands, nil); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(sets.Cell)), "entries")
}
