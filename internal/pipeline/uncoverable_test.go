package pipeline

import (
	"context"
	"strings"
	"testing"

	"github.com/onestop/onestop/coverage"
	"github.com/onestop/onestop/data"
	"github.com/onestop/onestop/optimize"
	"github.com/paulmach/orb"
)

func square(lon, lat, side float64) orb.MultiPolygon {
	return orb.MultiPolygon{{{{lon, lat}, {lon + side, lat}, {lon + side, lat + side}, {lon, lat + side}, {lon, lat}}}}
}

// islandProvince is a mainland ward with an office and, 40 km offshore, an
// islet of 45 residents smaller than any generated candidate's cell: no
// candidate lies on it and the mainland is far beyond 30 min or 5 km.
func islandProvince() *data.Dataset {
	main, islet := square(106.50, 11.00, 0.03), square(106.90, 11.00, 0.0008)
	return &data.Dataset{Name: "island", Source: "island.yaml",
		Districts: []data.District{{Code: "D1", Name: "Coast"}},
		Communes: []data.Commune{
			{Code: "C1", Name: "Mainland", Kind: data.KindWard, District: "D1", Class: data.Urban, Population: 20000, Geometry: main, Bound: main.Bound()},
			{Code: "C2", Name: "Islet", Kind: data.KindCommune, District: "D1", Class: data.Remote, Population: 45, Geometry: islet, Bound: islet.Bound()},
		},
		Offices: []data.Office{{ID: "O1", Name: "Mainland office", Kind: data.OneStop, Location: orb.Point{106.515, 11.015}, Commune: "C1", Staff: 5, Counters: 5}},
	}
}

func TestOptimizeUncoverableResidents(t *testing.T) {
	ctx := context.Background()
	ds := islandProvince()
	idx, err := coverage.NewIndex(ctx, ds, coverage.IndexOptions{Resolution: 9})
	if err != nil {
		t.Fatal(err)
	}
	tm, _, err := TravelModel(ds, coverage.DefaultTravel())
	if err != nil {
		t.Fatal(err)
	}
	rule := coverage.DefaultRule()
	base := optimize.Phase1(ds)
	// The precheck alone (before any candidate set is built) finds them.
	cells, err := precheckUncoverable(ctx, idx, []optimize.Candidate{{ID: "O1", Location: ds.Offices[0].Location}}, tm, rule)
	if err != nil {
		t.Fatal(err)
	}
	if ex := byCommune(idx, cells); len(ex) != 1 || ex[0].Commune != "C2" {
		t.Fatalf("precheck found %+v, want the islet only", ex)
	}
	for _, model := range []string{"consolidate", "lscp"} {
		t.Run(model+" fail", func(t *testing.T) {
			_, err := Optimize(ctx, ds, idx, tm, rule, base, nil, OptimizeParams{Model: model, TargetShare: 1, TimeLimit: 5e9})
			if err == nil {
				t.Fatal("optimize planned a province with unreachable residents")
			}
			t.Log(err)
			for _, want := range []string{"C2 Islet", "45 residents", "of 1 commune:", "uncoverable: exclude"} {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error lacks %q: %v", want, err)
				}
			}
		})
		t.Run(model+" exclude", func(t *testing.T) {
			opz, err := Optimize(ctx, ds, idx, tm, rule, base, nil, OptimizeParams{Model: model, TargetShare: 1, TimeLimit: 5e9, Uncoverable: "exclude"})
			if err != nil {
				t.Fatal(err)
			}
			ex := opz.Plan.Summary.Excluded
			if len(ex) != 1 || ex[0].Commune != "C2" || ex[0].Name != "Islet" || ex[0].Residents != 45 || ex[0].Cells < 1 {
				t.Fatalf("excluded %+v, want the islet's 45 residents", ex)
			}
			if opz.Plan.Population != 20000 {
				t.Errorf("plan population %v, want the 20000 mainlanders", opz.Plan.Population)
			}
			if !strings.Contains(strings.Join(opz.Plan.Warnings, "\n"), "C2 Islet") {
				t.Errorf("warnings do not name the excluded commune: %q", opz.Plan.Warnings)
			}
		})
	}
}
