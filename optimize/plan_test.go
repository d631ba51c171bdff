package optimize

import (
	"bytes"
	"context"
	"encoding/json"
	"math"
	"slices"
	"strings"
	"testing"
)

func TestPlanExplainsAndIsDeterministic(t *testing.T) {
	tests := []struct {
		name  string
		opt   Options
		staff int
	}{
		{"consolidate", Options{Model: Consolidate, TargetShare: 0.5}, 0},
		{"consolidate capacity", Options{Model: Consolidate, TargetShare: 0.5}, 8},
		{"pmedian", Options{Model: PMedian, P: 4}, 0},
		{"pmedian capacity", Options{Model: PMedian, P: 4}, 8},
		{"mclp", Options{Model: MCLP, P: 3}, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var outs [2][]byte
			for k := range outs {
				inst := genInstance(genSpec{seed: 33, side: 8, spacing: 1, cands: 16, existing: 8, locked: 1, radiusKm: 2.2, coverMin: 4, timeMin: 9, dossierRate: 0.2, staffCap: tc.staff})
				res, err := Solve(context.Background(), inst, tc.opt)
				if err != nil {
					t.Fatal(err)
				}
				zero := 0.0
				pl, err := NewPlan(inst, res, nil, PlanOptions{FixedSeconds: &zero})
				if err != nil {
					t.Fatal(err)
				}
				var jb, cb bytes.Buffer
				if err := pl.WriteJSON(&jb); err != nil {
					t.Fatal(err)
				}
				if err := pl.WriteCSV(&cb); err != nil {
					t.Fatal(err)
				}
				js := jb.Bytes()
				outs[k] = append(slices.Clone(js), cb.Bytes()...)
				checkPlan(t, inst, res, pl, js)
				// What the optimizer writes, `simulate --plan` must accept.
				if err := pl.Validate(); err != nil {
					t.Errorf("written plan does not validate: %v", err)
				}
			}
			if !bytes.Equal(outs[0], outs[1]) {
				t.Fatal("plan.json/plan.csv differ between two identical runs")
			}
		})
	}
}

func checkPlan(t *testing.T, inst *Instance, res *Result, pl *Plan, js []byte) {
	t.Helper()
	var raw struct{ Summary map[string]any }
	if err := json.Unmarshal(js, &raw); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"offices_before", "offices_after", "objective", "lower_bound", "gap_pct", "seconds", "model"} {
		if _, ok := raw.Summary[k]; !ok {
			t.Errorf("summary lacks %q", k)
		}
	}
	idx := map[string]int{}
	for j, c := range inst.Candidates {
		idx[c.ID] = j
	}
	if len(pl.Kept)+len(pl.Closed) != pl.Summary.OfficesBefore {
		t.Errorf("kept %d + closed %d != offices before %d", len(pl.Kept), len(pl.Closed), pl.Summary.OfficesBefore)
	}
	if len(pl.Kept)+len(pl.New) != pl.Summary.OfficesAfter {
		t.Errorf("kept %d + new %d != offices after %d", len(pl.Kept), len(pl.New), pl.Summary.OfficesAfter)
	}
	moved := 0
	for _, c := range pl.Closed {
		j, ok := idx[c.AbsorbedBy]
		if !ok || !res.Open[j] {
			t.Errorf("closed %s absorbed by %q, which is not open", c.ID, c.AbsorbedBy)
		}
		if !strings.Contains(c.Why, c.AbsorbedBy) {
			t.Errorf("why of %s does not name its absorber: %q", c.ID, c.Why)
		}
		moved += inst.Candidates[idx[c.ID]].Staff
	}
	got := 0
	for _, m := range pl.StaffMoves {
		got += m.Staff
	}
	for _, r := range pl.StaffToRedeploy {
		got += r.Staff
	}
	if got != moved {
		t.Errorf("staff moved %d + to redeploy, staff of closed offices %d", got, moved)
	}
	checkCaps(t, inst, js)
	checkWhy(t, inst, res, pl)
	for _, n := range pl.New {
		j := idx[n.ID]
		if c := inst.Candidates[j]; c.Existing || !res.Open[j] {
			t.Errorf("new point %s is existing or closed", n.ID)
		}
		// Residents and serves, recomputed from the assignment: the
		// residents assigned to the point, and their communes, most first.
		by, tot := map[string]float64{}, 0.0
		for i, sh := range res.Assign {
			for _, s := range sh {
				if int(s.Cand) == j {
					by[inst.DemandCommune[i]] += inst.Demand[i] * s.Share
					tot += inst.Demand[i] * s.Share
				}
			}
		}
		if math.Abs(n.Residents-tot) > 0.05+1e-9 {
			t.Errorf("new point %s states %.1f residents, recomputed %.3f", n.ID, n.Residents, tot)
		}
		if len(n.Serves) != len(by) {
			t.Errorf("new point %s serves %v, recomputed %d communes %v", n.ID, n.Serves, len(by), by)
		}
		for k, code := range n.Serves {
			if _, ok := by[code]; !ok {
				t.Errorf("new point %s serves %s, which has no resident assigned to it", n.ID, code)
			}
			if k > 0 && by[code] > by[n.Serves[k-1]] {
				t.Errorf("new point %s lists %s (%.1f) after %s (%.1f): not most residents first", n.ID, code, by[code], n.Serves[k-1], by[n.Serves[k-1]])
			}
		}
	}
	worse := map[string]bool{}
	for _, c := range pl.Communes {
		if c.WorseOff != (c.MinutesAfter > c.MinutesBefore+0.005 || c.CoveredAfter < c.CoveredBefore-1e-6 || c.KmAfter > c.KmBefore+0.0005) {
			t.Errorf("commune %s worse_off=%v with %+v", c.Code, c.WorseOff, c)
		}
		worse[c.Code] = c.WorseOff
	}
	for _, c := range pl.WorseOff {
		if !worse[c] {
			t.Errorf("worse_off names %s, which is not worse off", c)
		}
	}
}

// Office names come from files anyone edits: plan.csv must not hand a
// spreadsheet a formula.
func TestPlanCSVNeutralisesFormulas(t *testing.T) {
	p := &Plan{
		Kept:   []KeptOffice{{ID: "K1", Name: "=HYPERLINK(\"http://x\")", StaffFrom: 3, StaffAfter: 4}},
		Closed: []Closed{{ID: "@C1", Name: "+cmd", AbsorbedBy: "K1", MeanMinutes: -1.5}},
	}
	var b strings.Builder
	if err := p.WriteCSV(&b); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{`"'=HYPERLINK(""http://x"")"`, "'@C1", "'+cmd", ",-1.5,"} {
		if !strings.Contains(out, want) {
			t.Errorf("plan.csv lacks %q:\n%s", want, out)
		}
	}
}

// TestPlanStaffCapAndOneLoad: a kept office above max_staff_per_point is
// cut to the cap with its surplus listed for redeployment (staff_total =
// staff_available + staff_to_redeploy_total), and UseLoads restates every
// per-point load, the staffing targets, flags, totals and the closures'
// why from the loads it is given.
func TestPlanStaffCapAndOneLoad(t *testing.T) {
	inst := genInstance(genSpec{seed: 33, side: 8, spacing: 1, cands: 16, existing: 8, locked: 1, radiusKm: 2.2, coverMin: 4, timeMin: 9, dossierRate: 0.2, staffCap: 8})
	for j := range inst.Candidates {
		if inst.Candidates[j].Locked {
			inst.Candidates[j].Staff = 11 // kept (locked), 3 above the cap
		}
	}
	res, err := Solve(context.Background(), inst, Options{Model: Consolidate, TargetShare: 0.5})
	if err != nil {
		t.Fatal(err)
	}
	zero := 0.0
	pl, err := NewPlan(inst, res, nil, PlanOptions{FixedSeconds: &zero})
	if err != nil {
		t.Fatal(err)
	}
	after := 0
	for _, k := range pl.Kept {
		if k.StaffAfter > 8 {
			t.Errorf("kept %s: %d staff above the cap 8", k.ID, k.StaffAfter)
		}
		after += k.StaffAfter
	}
	for _, n := range pl.New {
		after += n.Staff
	}
	red := 0
	self := false
	for _, r := range pl.StaffToRedeploy {
		red += r.Staff
		self = self || r.From == r.To && r.Staff == 3
	}
	if !self {
		t.Errorf("staff_to_redeploy %v lacks the locked office's 3 staff above the cap", pl.StaffToRedeploy)
	}
	if pl.StaffAvailable != after || pl.StaffToRedeployTotal != red || pl.StaffTotal != after+red {
		t.Errorf("staff_available %d (Σ after %d), staff_to_redeploy_total %d (Σ %d), staff_total %d", pl.StaffAvailable, after, pl.StaffToRedeployTotal, red, pl.StaffTotal)
	}
	if pl.LoadSource != "assignment" {
		t.Errorf("load_source %q before UseLoads", pl.LoadSource)
	}
	// Restate: every open point 1,000 dossiers (600 at the counter),
	// queue minimum 2 and standard 1 (inefficient).
	loads := map[string]PointLoad{}
	for _, k := range pl.Kept {
		loads[k.ID] = PointLoad{Dossiers: 1000, Counter: 600, QueueMin: 2, StaffStandard: 1}
	}
	for _, n := range pl.New {
		loads[n.ID] = PointLoad{Dossiers: 1000, Counter: 600, QueueMin: 2, StaffStandard: 1}
	}
	if err := pl.UseLoads(map[string]PointLoad{}); err == nil {
		t.Error("UseLoads without the points' loads: no error")
	}
	if err := pl.UseLoads(loads); err != nil {
		t.Fatal(err)
	}
	open := len(pl.Kept) + len(pl.New)
	if pl.StaffNeeded != 2*open || pl.StaffJustified != 2*open || pl.LoadSource != "load check" {
		t.Errorf("staff_needed %d, staff_justified %d over %d points (want %d each), load_source %q", pl.StaffNeeded, pl.StaffJustified, open, 2*open, pl.LoadSource)
	}
	for _, k := range pl.Kept {
		if k.LoadAfter != 1000 || k.CounterLoadAfter != 600 || !k.Inefficient || k.Short != (k.StaffAfter < 2) || k.Underused != (k.StaffAfter > 2) {
			t.Errorf("kept %s after UseLoads: %+v", k.ID, k)
		}
	}
	for _, c := range pl.Closed {
		if c.LoadAfter != 1000 || !strings.Contains(c.Why, "receives 1000 dossiers/year (600 at the counter)") {
			t.Errorf("closed %s: absorber_load_after %v, why %q", c.ID, c.LoadAfter, c.Why)
		}
	}
}
