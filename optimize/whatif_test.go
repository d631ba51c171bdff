package optimize

import (
	"bytes"
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/onestop/onestop/data"
	"github.com/paulmach/orb"
)

// tinyInstance has four populated cells and six candidates: two locked
// offices A (cells 0, 1) and B (cell 3), and four of the planner's sites:
// U1 (cells 1, 3: covered by A and B together), U2 (cell 2: the only one
// covering it), U3 (no cell) and U4 (cell 0: A covers it too).
func tinyInstance() *Instance {
	cand := func(id string, existing bool) Candidate {
		c := Candidate{ID: id, Name: "site " + id, Kind: data.InterWard, Location: orb.Point{106.6, 11}, Commune: "25700",
			Norm: 1600, Class: data.Urban, User: !existing}
		if existing {
			c.Kind, c.Existing, c.Locked, c.Staff = data.OneStop, true, true, 4
		}
		return c
	}
	cover := [][]int32{{0, 1}, {3}, {1, 3}, {2}, {}, {0}}
	mins := make([][]float32, len(cover))
	for j, r := range cover {
		for range r {
			mins[j] = append(mins[j], 5)
		}
	}
	return &Instance{
		Demand:     []float64{100, 200, 300, 400},
		Candidates: []Candidate{cand("A", true), cand("B", true), cand("U1", false), cand("U2", false), cand("U3", false), cand("U4", false)},
		Cover:      BuildSparse(cover, nil),
		Times:      BuildSparse(cover, mins),
	}
}

func planOf(t *testing.T, inst *Instance, opt Options) (*Result, *Plan) {
	t.Helper()
	res, err := Solve(context.Background(), inst, opt)
	if err != nil {
		t.Fatal(err)
	}
	zero := 0.0
	pl, err := NewPlan(inst, res, nil, PlanOptions{FixedSeconds: &zero})
	if err != nil {
		t.Fatal(err)
	}
	return res, pl
}

func TestUserCandidatesListed(t *testing.T) {
	tests := []struct {
		name      string
		force     []string
		used      map[string]bool
		forced    string
		whyPrefix map[string]string
	}{
		{"plain", nil, map[string]bool{"U2": true},
			"", map[string]string{
				"U1": "not needed: every resident within the access rule of this site is covered by an open point: B (site B), A (site A)",
				"U3": "no resident lives within the access rule",
				"U4": "not needed: dominated by open point A (site A)",
			}},
		{"U4 forced open", []string{"U4"}, map[string]bool{"U2": true, "U4": true},
			"U4", map[string]string{"U1": "not needed:", "U3": "no resident"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, pl := planOf(t, tinyInstance(), Options{Model: Consolidate, ForceOpen: tc.force})
			if len(pl.UserCandidates) != 4 {
				t.Fatalf("user candidates %+v, want U1…U4", pl.UserCandidates)
			}
			for _, u := range pl.UserCandidates {
				if u.Used != tc.used[u.ID] {
					t.Errorf("%s: used %v, want %v", u.ID, u.Used, tc.used[u.ID])
				}
				if u.ForcedOpen != (u.ID == tc.forced) {
					t.Errorf("%s: forced_open %v", u.ID, u.ForcedOpen)
				}
				if u.Used != (u.WhyNot == "") {
					t.Errorf("%s: used %v with why_not %q", u.ID, u.Used, u.WhyNot)
				}
				if want, ok := tc.whyPrefix[u.ID]; ok && !strings.HasPrefix(u.WhyNot, want) {
					t.Errorf("%s: why_not %q, want it to start with %q", u.ID, u.WhyNot, want)
				}
			}
			var js bytes.Buffer
			if err := pl.WriteJSON(&js); err != nil {
				t.Fatal(err)
			}
			if !bytes.Contains(js.Bytes(), []byte(`"user_candidates"`)) {
				t.Error("plan.json lacks user_candidates")
			}
		})
	}
}

// Without any planner's site, plan.json has no user_candidates key: the
// outputs of existing runs stay as they were.
func TestNoUserCandidatesNoKey(t *testing.T) {
	inst := genInstance(genSpec{seed: 33, side: 8, spacing: 1, cands: 16, existing: 8, locked: 1, radiusKm: 2.2, coverMin: 4, timeMin: 9})
	_, pl := planOf(t, inst, Options{Model: Consolidate, TargetShare: 0.5})
	var js bytes.Buffer
	if err := pl.WriteJSON(&js); err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(js.Bytes(), []byte("user_candidates")) {
		t.Error("plan.json has user_candidates without any user candidate")
	}
}

func TestForceOpen(t *testing.T) {
	spec := genSpec{seed: 33, side: 8, spacing: 1, cands: 16, existing: 8, locked: 1, radiusKm: 2.2, coverMin: 4, timeMin: 9, dossierRate: 0.2}
	for _, model := range []Options{{Model: Consolidate, TargetShare: 0.5}, {Model: LSCP, TargetShare: 0.5}, {Model: PMedian, P: 4}} {
		t.Run(string(model.Model), func(t *testing.T) {
			inst := genInstance(spec)
			free, _ := planOf(t, inst, model)
			// One closed existing office and one unopened new point.
			var ids []string
			for _, existing := range []bool{true, false} {
				for j, c := range inst.Candidates {
					if c.Existing == existing && !free.Open[j] {
						ids = append(ids, c.ID)
						break
					}
				}
			}
			if len(ids) != 2 {
				t.Fatalf("no closed office and unopened point to force in %v", free.Open)
			}
			opt := model
			opt.ForceOpen = ids
			if model.Model == PMedian {
				opt.P = max(opt.P, 3) // the locked office and the two forced
			}
			forced, _ := planOf(t, inst, opt)
			for j, c := range inst.Candidates {
				if slices.Contains(ids, c.ID) && !forced.Open[j] {
					t.Errorf("%s forced open but closed", c.ID)
				}
			}
			if !slices.Equal(forced.ForcedOpen, ids) {
				t.Errorf("result forced %q, want %q", forced.ForcedOpen, ids)
			}
			if model.Model != PMedian && forced.Objective < free.Objective-1e-9 {
				t.Errorf("forcing points improved the optimum: %v < %v", forced.Objective, free.Objective)
			}
		})
	}
	t.Run("unknown ids", func(t *testing.T) {
		_, err := Solve(context.Background(), genInstance(spec), Options{Model: Consolidate, TargetShare: 0.5, ForceOpen: []string{"c0003", "nope", "typo-1"}})
		if err == nil || !strings.Contains(err.Error(), `"nope", "typo-1" are no candidate`) {
			t.Errorf("error %v, want one naming both unknown ids", err)
		}
		if err := CheckForceOpen(genInstance(spec).Candidates, []string{"c0001"}); err != nil {
			t.Errorf("a known id refused: %v", err)
		}
	})
}

// The progress callback sees a gap that never grows, ends with the plan's
// own objective, and does not change the plan.
func TestProgressCallback(t *testing.T) {
	spec := genSpec{seed: 41, side: 12, spacing: 1, cands: 40, existing: 12, locked: 1, radiusKm: 2.2, coverMin: 4, timeMin: 9, dossierRate: 0.2}
	for k, model := range []Options{
		{Model: Consolidate, TargetShare: 0.5},
		{Model: Consolidate, TargetShare: 0.5},
		{Model: LSCP, TargetShare: 0.5},
		{Model: MCLP, P: 4},
		{Model: PMedian, P: 4},
		{Model: Curve, CurveMax: 5},
	} {
		spec := spec
		if k == 1 {
			spec.staffCap = 8 // consolidate with capacities
		}
		t.Run(string(model.Model), func(t *testing.T) {
			plain := planJSON(t, genInstance(spec), model)
			var got []Progress
			opt := model
			opt.Progress = func(p Progress) { got = append(got, p) }
			if watched := planJSON(t, genInstance(spec), opt); !bytes.Equal(plain, watched) {
				t.Fatal("plan.json differs with a progress callback")
			}
			if len(got) == 0 || got[len(got)-1].Stage != "done" {
				t.Fatalf("progress %+v, want calls ending with stage done", got)
			}
			gap := -1.0
			for k, p := range got {
				if !p.HasPlan || !p.HasBound {
					continue
				}
				if gap >= 0 && p.GapPct > gap {
					t.Errorf("call %d: gap grew from %v to %v (%s)", k, gap, p.GapPct, p)
				}
				gap = p.GapPct
			}
			for _, p := range got {
				t.Log(p)
			}
		})
	}
}

func planJSON(t *testing.T, inst *Instance, opt Options) []byte {
	t.Helper()
	_, pl := planOf(t, inst, opt)
	var b bytes.Buffer
	if err := pl.WriteJSON(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// A curve asked to stop below the points that must stay open starts at
// them instead of failing.
func TestCurveBelowFixedPoints(t *testing.T) {
	inst := genInstance(genSpec{seed: 33, side: 8, spacing: 1, cands: 16, existing: 8, locked: 3, radiusKm: 2.2, coverMin: 4, timeMin: 9})
	res, err := Solve(context.Background(), inst, Options{Model: Curve, CurveMax: 1, ForceOpen: []string{"c0010"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Curve) != 1 || res.Curve[0].P != 4 || len(res.Warnings) == 0 {
		t.Errorf("curve %+v warnings %q, want the single point p=4 (3 locked + 1 forced) and a warning", res.Curve, res.Warnings)
	}
}
