package pipeline

import (
	"context"
	"testing"

	"github.com/onestop/onestop/coverage"
	"github.com/onestop/onestop/data"
	"github.com/onestop/onestop/optimize"
	"github.com/paulmach/orb"
)

func TestUnservedMinutes(t *testing.T) {
	tests := []struct {
		search, want float64
	}{
		{search: 45, want: 90}, // the 30-minute rule plus defaultSearchSlack
		{search: 45.5, want: 91},
		{search: 29.9, want: 60}, // at least 60
		{search: 15, want: 60},   // km-only rule: 0 + slack
	}
	for _, tt := range tests {
		if got := unservedMinutes(tt.search); got != tt.want {
			t.Errorf("unservedMinutes(%g) = %g, want %g", tt.search, got, tt.want)
		}
	}
}

// emptyNeighbour is a populated ward beside an unpopulated one: the
// second's cells are in the index but hold no resident.
func emptyNeighbour() *data.Dataset {
	ward, empty := square(106.50, 11.00, 0.03), square(106.53, 11.00, 0.03)
	return &data.Dataset{Name: "empty", Source: "empty.yaml",
		Districts: []data.District{{Code: "D1", Name: "Plain"}},
		Communes: []data.Commune{
			{Code: "C1", Name: "Ward", Kind: data.KindWard, District: "D1", Class: data.Urban, Population: 20000, Geometry: ward, Bound: ward.Bound()},
			{Code: "C2", Name: "Fields", Kind: data.KindWard, District: "D1", Class: data.Urban, Population: 0, Geometry: empty, Bound: empty.Bound()},
		},
		Offices: []data.Office{
			{ID: "O1", Name: "Ward office", Kind: data.OneStop, Location: orb.Point{106.515, 11.015}, Commune: "C1", Staff: 5, Counters: 5},
			{ID: "O2", Name: "Fields office", Kind: data.OneStop, Location: orb.Point{106.545, 11.015}, Commune: "C2", Staff: 2, Counters: 2},
		},
	}
}

// The optimizer's instance lists populated cells only, with the demand
// points still the index's cells, and its unserved minutes are the search
// cutoff's, whichever cells are listed.
func TestOptimizeListsPopulatedCellsOnly(t *testing.T) {
	ctx := context.Background()
	ds := emptyNeighbour()
	idx, err := coverage.NewIndex(ctx, ds, coverage.IndexOptions{Resolution: 9})
	if err != nil {
		t.Fatal(err)
	}
	empty := 0
	for _, c := range idx.Cells {
		if c.Population == 0 {
			empty++
		}
	}
	if empty == 0 {
		t.Fatal("the index has no empty cell: the test proves nothing")
	}
	tm, _, err := TravelModel(ds, coverage.DefaultTravel())
	if err != nil {
		t.Fatal(err)
	}
	rule := coverage.DefaultRule()
	for _, model := range []string{"consolidate", "lscp"} {
		t.Run(model, func(t *testing.T) {
			opz, err := Optimize(ctx, ds, idx, tm, rule, optimize.Phase1(ds), nil,
				OptimizeParams{Model: model, TargetShare: 1, TimeLimit: 5e9, FixedSeconds: true})
			if err != nil {
				t.Fatal(err)
			}
			inst := opz.Instance
			if len(inst.Demand) != len(idx.Cells) {
				t.Fatalf("%d demand points for %d index cells", len(inst.Demand), len(idx.Cells))
			}
			for name, s := range map[string]optimize.Sparse{"Times": inst.Times, "Cover": inst.Cover} {
				if len(s.Cell) == 0 {
					t.Errorf("%s lists no cell", name)
				}
				for _, c := range s.Cell {
					if idx.Cells[c].Population == 0 {
						t.Fatalf("%s lists empty cell %d", name, c)
					}
				}
			}
			if want := unservedMinutes(rule.Minutes + defaultSearchSlack); opz.Result.UnservedMinutes != want {
				t.Errorf("unserved minutes %g, want %g", opz.Result.UnservedMinutes, want)
			}
			if opz.Plan.Population != 20000 {
				t.Errorf("plan population %v, want 20000", opz.Plan.Population)
			}
		})
	}
}
