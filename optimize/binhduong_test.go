package optimize

import (
	"context"
	"testing"
	"time"

	"github.com/onestop/onestop/internal/testenv"

	"github.com/onestop/onestop/coverage"
	"github.com/onestop/onestop/data"
	"github.com/uber/h3-go/v4"
)

// binhDuong loads the real communes and builds the optimizer instance the
// CLI would: offices (one per commune), border and H3 res-8 candidates,
// straight-line travel, rule as given. Skips without ../shared/data.
func binhDuong(tb testing.TB, rule coverage.Rule, res int) (*data.Dataset, *Instance) {
	tb.Helper()
	ctx := context.Background()
	ds, err := data.LoadFile(testenv.BinhDuongYAML(tb))
	if err != nil {
		tb.Fatal(err)
	}
	idx, err := coverage.NewIndex(ctx, ds, coverage.IndexOptions{Resolution: res})
	if err != nil {
		tb.Fatal(err)
	}
	var cells []h3.Cell
	for _, c := range idx.Cells {
		if c.Population > 0 {
			cells = append(cells, c.H3)
		}
	}
	cands, err := BuildCandidates(ds, CandidateOptions{Border: true, Populated: cells})
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := ApplyScope(cands, ds.Communes, Scope{Classes: []data.AreaClass{data.Urban, data.Rural, data.Remote}}); err != nil {
		tb.Fatal(err)
	}
	sites := make([]coverage.Site, len(cands))
	for k, c := range cands {
		sites[k] = coverage.Site{Name: c.ID, Point: c.Location}
	}
	model, err := coverage.NewStraightLine(coverage.DefaultTravel())
	if err != nil {
		tb.Fatal(err)
	}
	sets, err := coverage.NewCandidateSets(ctx, idx, sites, model, coverage.CandidateOptions{Rule: rule, MaxMinutes: 45})
	if err != nil {
		tb.Fatal(err)
	}
	dossiers := make([]float64, len(idx.Cells))
	for i, c := range idx.Cells {
		// About one dossier per 4 residents and year at commune level.
		dossiers[i] = float64(c.Population) / 4
	}
	inst, err := FromCoverage(idx, sets, cands, dossiers)
	if err != nil {
		tb.Fatal(err)
	}
	return ds, inst
}

func TestBinhDuongInstance(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the real instance")
	}
	_, inst := binhDuong(t, coverage.DefaultRule(), 9)
	nEx, nNew := 0, 0
	for _, c := range inst.Candidates {
		if c.Existing {
			nEx++
		} else {
			nNew++
		}
	}
	t.Logf("demand %d, candidates %d existing + %d generated, cover nnz %d, times nnz %d", len(inst.Demand), nEx, nNew, inst.Cover.NNZ(), inst.Times.NNZ())
	if nEx != 91 {
		t.Errorf("%d existing offices, want 91 (one per commune)", nEx)
	}
	for _, m := range []Model{LSCP, Consolidate} {
		if m == Consolidate {
			capStaff(inst, 40) // lscp does not model loads
		}
		res, err := Solve(context.Background(), inst, Options{Model: m, TimeLimit: 10 * time.Second})
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%s: points %d (lower %d), objective %.6g bound %.6g gap %.3g%% optimal %v in %.2fs, nodes %d, reduced %+v",
			m, res.Points, res.PointsLower, res.Objective, res.Bound, res.GapPct, res.Optimal, res.Seconds, res.Nodes, res.Reduced)
		if res.Bound > res.Objective*(1+1e-12) || res.PointsLower > res.Points {
			t.Errorf("%s: bound %v / %d points above the plan's %v / %d", m, res.Bound, res.PointsLower, res.Objective, res.Points)
		}
		// Every populated cell some candidate covers must be covered by the plan.
		covered := make([]bool, len(inst.Demand))
		coverable := make([]bool, len(inst.Demand))
		for j := range inst.Candidates {
			cells, _ := inst.Cover.Row(j)
			for _, c := range cells {
				coverable[c] = true
				if res.Open[j] {
					covered[c] = true
				}
			}
		}
		for i, w := range inst.Demand {
			if w > 0 && coverable[i] && !covered[i] {
				t.Fatalf("%s: cell %d (%v residents) is not covered", m, i, w)
			}
		}
		for j, c := range inst.Candidates {
			if c.Locked && !res.Open[j] {
				t.Errorf("%s: locked office %s closed", m, c.ID)
			}
		}
	}
}
