package optimize

import (
	"bytes"
	"context"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
)

// TestSameWorkSamePlan solves instances whose searches end on their work
// budget with one CPU, two CPUs, and two CPUs beside goroutines that burn
// them: plan.json must be byte-identical, because budgets count work, not
// time, and the concurrent searches charge fixed allotments.
func TestSameWorkSamePlan(t *testing.T) {
	spec := genSpec{seed: 7, side: 36, spacing: 0.37, cands: 260, existing: 30, locked: 3,
		radiusKm: 1.4, coverMin: 6, timeMin: 12, dossierRate: 0.25}
	wide := genSpec{seed: 7, side: 60, spacing: 0.37, cands: 1200, existing: 30, locked: 3,
		radiusKm: 1.2, coverMin: 5, timeMin: 12}
	small := genSpec{seed: 7, side: 24, spacing: 0.37, cands: 140, existing: 20, locked: 2,
		radiusKm: 1.4, coverMin: 6, timeMin: 12, dossierRate: 0.25}
	tests := []struct {
		name string
		spec genSpec
		opt  Options
	}{
		{"lscp", wide, Options{Model: LSCP, Work: 2}},
		{"consolidate", spec, Options{Model: Consolidate, Work: 40}},
		{"consolidate capacity", withCap(small, 6), Options{Model: Consolidate, Work: 20}},
	}
	conds := []struct {
		name  string
		procs int
		hog   bool
	}{{"1 CPU", 1, false}, {"2 CPUs", 2, false}, {"2 CPUs busy", 2, true}}
	if testing.Short() {
		// One CPU against two busy ones is the harshest pair; a quarter of
		// the work still binds.
		conds = []struct {
			name  string
			procs int
			hog   bool
		}{conds[0], conds[2]}
		for i := range tests {
			tests[i].opt.Work = max(1, tests[i].opt.Work/4)
		}
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var first []byte
			for _, c := range conds {
				got, res := solveUnder(t, tc.spec, tc.opt, c.procs, c.hog)
				if first == nil {
					first = got
					if res.StoppedBy != stoppedWork {
						t.Errorf("%s: stopped by %q, want the work budget to bind", c.name, res.StoppedBy)
					}
					continue
				}
				if !bytes.Equal(got, first) {
					t.Fatalf("%s: plan.json differs from the %s run", c.name, conds[0].name)
				}
			}
		})
	}
}

// solveUnder solves a fresh instance with GOMAXPROCS procs, with goroutines
// spinning beside it if hog is set, and returns plan.json.
func solveUnder(t *testing.T, spec genSpec, opt Options, procs int, hog bool) ([]byte, *Result) {
	t.Helper()
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
	var stop atomic.Bool
	var wg sync.WaitGroup
	if hog {
		for range procs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				x := 0
				for !stop.Load() {
					x++
				}
				_ = x
			}()
		}
	}
	defer func() { stop.Store(true); wg.Wait() }()
	inst := genInstance(spec)
	res, err := Solve(context.Background(), inst, opt)
	if err != nil {
		t.Fatal(err)
	}
	zero := 0.0
	pl, err := NewPlan(inst, res, nil, PlanOptions{FixedSeconds: &zero})
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := pl.WriteJSON(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes(), res
}
