package optimize

import (
	"bytes"
	"context"
	"encoding/json"
	"math"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/onestop/onestop/data/earth"
)

// checkCaps reads plan.json back and checks every open point against its
// premises: counter load within the capacity, staff within the staff
// limit (unless the office already had more staff on its own), from the
// written numbers alone.
func checkCaps(t *testing.T, inst *Instance, js []byte) {
	t.Helper()
	var p Plan
	if err := json.Unmarshal(js, &p); err != nil {
		t.Fatal(err)
	}
	byID := map[string]Candidate{}
	for _, c := range inst.Candidates {
		byID[c.ID] = c
	}
	check := func(id string, staff int, counter, capacity float64) {
		c := byID[id]
		if capacity != math.Round(c.Capacity*10)/10 {
			t.Errorf("%s: capacity %v in plan.json, premises give %v", id, capacity, c.Capacity)
		}
		if c.Capacity > 0 && counter > capacity+0.05 {
			t.Errorf("%s: %v counter dossiers/year over its capacity %v", id, counter, capacity)
		}
		if c.MaxStaff > 0 && staff > max(c.MaxStaff, c.Staff) {
			t.Errorf("%s: %d staff over its premises' %d", id, staff, c.MaxStaff)
		}
	}
	for _, k := range p.Kept {
		check(k.ID, k.StaffAfter, k.CounterLoadAfter, k.Capacity)
	}
	for _, n := range p.New {
		check(n.ID, n.Staff, n.CounterLoad, n.Capacity)
	}
	if p.ResidentsBeyondRule != 0 && (p.Summary.Model == string(Consolidate)) {
		t.Errorf("consolidate assigned %d residents beyond the rule", p.ResidentsBeyondRule)
	}
}

var numberRE = regexp.MustCompile(`-?[0-9]+(\.[0-9]+)?`)

// checkWhy parses every number of every closure's why and compares it
// with the value recomputed from the instance and the solver's
// assignment (residents, minutes, km, beyond the rule, loads) and with
// plan.json's staff and the premises' capacity, at the printed precision.
func checkWhy(t *testing.T, inst *Instance, res *Result, pl *Plan) {
	t.Helper()
	n := len(inst.Demand)
	idx := map[string]int{}
	for j, c := range inst.Candidates {
		idx[c.ID] = j
	}
	staff := map[string]int{}
	for _, k := range pl.Kept {
		staff[k.ID] = k.StaffAfter
	}
	for _, p := range pl.New {
		staff[p.ID] = p.Staff
	}
	minutes := func(i, j int) (float64, bool) {
		for k := inst.Times.Start[j]; k < inst.Times.Start[j+1]; k++ {
			if int(inst.Times.Cell[k]) == i {
				return float64(inst.Times.Minutes[k]), true
			}
		}
		return res.UnservedMinutes, false
	}
	covers := func(i, j int) bool {
		for k := inst.Cover.Start[j]; k < inst.Cover.Start[j+1]; k++ {
			if int(inst.Cover.Cell[k]) == i {
				return true
			}
		}
		return false
	}
	// Nearest existing office of every demand point, by time.
	home := make([]int, n)
	for i := range home {
		home[i] = -1
		best := math.Inf(1)
		for j, c := range inst.Candidates {
			if m, ok := minutes(i, j); c.Existing && ok && m < best {
				best, home[i] = m, j
			}
		}
	}
	load, counter := make([]float64, len(inst.Candidates)), make([]float64, len(inst.Candidates))
	for i, sh := range res.Assign {
		for _, s := range sh {
			if s.Cand >= 0 && inst.Dossiers != nil {
				load[s.Cand] += inst.Dossiers[i] * s.Share
				counter[s.Cand] += inst.Dossiers[i] * s.Share // genInstance: every dossier at the counter
			}
		}
	}
	uncoverable := map[int]bool{}
	for _, i := range res.Uncoverable {
		uncoverable[int(i)] = true
	}
	for _, c := range pl.Closed {
		j := idx[c.ID]
		var people, minSum, maxMin, maxKm, beyond, unserved float64
		to := map[int]float64{}
		for i := 0; i < n; i++ {
			w := inst.Demand[i]
			if home[i] != j || w <= 0 {
				continue
			}
			people += w
			coveredNow := !uncoverable[i] // beyond counts all but the uncoverable
			for _, s := range res.Assign[i] {
				if s.Cand < 0 {
					minSum += w * s.Share * res.UnservedMinutes
					maxMin = max(maxMin, res.UnservedMinutes)
					unserved += w * s.Share
					if coveredNow {
						beyond += w * s.Share
					}
					continue
				}
				m, _ := minutes(i, int(s.Cand))
				minSum += w * s.Share * m
				maxMin = max(maxMin, m)
				maxKm = max(maxKm, earth.DistanceKm(inst.DemandPoint[i], inst.Candidates[s.Cand].Location))
				to[int(s.Cand)] += w * s.Share
				if coveredNow && !covers(i, int(s.Cand)) {
					beyond += w * s.Share
				}
			}
		}
		a := idx[c.AbsorbedBy]
		for k, v := range to {
			if v > to[a]+1e-9 {
				t.Errorf("%s: absorbed by %s with %.1f residents, but %s takes %.1f", c.ID, c.AbsorbedBy, to[a], inst.Candidates[k].ID, v)
			}
		}
		var want []string
		if f0(people) != "0" {
			want = append(want, f0(people))
			if len(to) > 1 {
				want = append(want, f0(to[a]), strconv.Itoa(len(to)-1))
			}
			if u := f0(unserved); u != "0" {
				want = append(want, u)
			}
			want = append(want, f1(minSum/people), f1(maxMin), f2(maxKm))
			if b := int(math.Round(beyond)); b > 0 {
				want = append(want, strconv.Itoa(b))
			}
		}
		want = append(want, f0(load[a]), f0(counter[a]), strconv.Itoa(staff[c.AbsorbedBy]))
		if cp := inst.Candidates[a].Capacity; cp > 0 {
			want = append(want, f0(cp))
		}
		// Names and ids may hold digits: drop them before parsing.
		why := strings.ReplaceAll(c.Why, c.AbsorbedBy+" ("+c.AbsorbName+")", "")
		why = strings.ReplaceAll(why, c.AbsorbedBy, "")
		got := numberRE.FindAllString(why, -1)
		if strings.Join(got, " ") != strings.Join(want, " ") {
			t.Errorf("%s: why %q states %v, recomputed %v", c.ID, c.Why, got, want)
		}
	}
}

// f0, f1 and f2 print a recomputed value as the plan states it: rounded
// half away from zero to the digits shown.
func f0(v float64) string { return strconv.FormatFloat(math.Round(v), 'f', 0, 64) }
func f1(v float64) string { return strconv.FormatFloat(math.Round(v*10)/10, 'f', 1, 64) }
func f2(v float64) string { return strconv.FormatFloat(math.Round(v*100)/100, 'f', 2, 64) }

// TestPremisesBindAndHold tightens the premises until they bind — the
// largest counter load of the uncapacitated plan no longer fits — and
// checks, from plan.json alone, that no open point exceeds its capacity or
// staff limit, that nobody is assigned beyond the rule, and that every why
// still recomputes; far too small premises fail naming the communes.
func TestPremisesBindAndHold(t *testing.T) {
	spec := genSpec{seed: 52, side: 10, spacing: 1, cands: 30, existing: 12, locked: 1, radiusKm: 2.2, coverMin: 5, timeMin: 11, dossierRate: 0.3}
	opt := Options{Model: Consolidate, TargetShare: 0.5, Work: 50}
	free := genInstance(spec)
	res, err := Solve(context.Background(), free, opt)
	if err != nil {
		t.Fatal(err)
	}
	peak, freePoints := 0.0, res.Points
	load := make([]float64, len(free.Candidates))
	for i, sh := range res.Assign {
		for _, s := range sh {
			if s.Cand >= 0 {
				load[s.Cand] += free.Dossiers[i] * s.Share
				peak = max(peak, load[s.Cand])
			}
		}
	}
	binds := 0
	for _, share := range []float64{0.8, 0.6} {
		inst := genInstance(spec)
		for j := range inst.Candidates {
			inst.Candidates[j].Capacity, inst.Candidates[j].MaxStaff = share*peak, 6
		}
		res, err := Solve(context.Background(), inst, opt)
		if err != nil {
			t.Fatalf("premises at %.0f%% of the largest load: %v", 100*share, err)
		}
		zero := 0.0
		pl, err := NewPlan(inst, res, nil, PlanOptions{FixedSeconds: &zero, QueueMin: func(d float64) (int, error) { return 1 + int(d/5000), nil }})
		if err != nil {
			t.Fatal(err)
		}
		var jb bytes.Buffer
		if err := pl.WriteJSON(&jb); err != nil {
			t.Fatal(err)
		}
		checkCaps(t, inst, jb.Bytes())
		checkWhy(t, inst, res, pl)
		if pl.ResidentsBeyondRule != 0 {
			t.Errorf("%d residents beyond the rule", pl.ResidentsBeyondRule)
		}
		if res.Points > freePoints || pl.MinutesAssigned > pl.MinutesAfter {
			binds++ // more points, or residents sent past their nearest one
		}
		if pl.MinutesAssigned < pl.MinutesAfter {
			t.Errorf("assigned minutes %v below the nearest point's %v", pl.MinutesAssigned, pl.MinutesAfter)
		}
		needed, justified := 0, 0
		for _, k := range pl.Kept {
			needed += k.QueueMin
			justified += max(k.QueueMin, k.StaffStandard)
			if k.QueueMin != 1+int(k.CounterLoadAfter/5000) && math.Abs(k.CounterLoadAfter-5000*float64(k.QueueMin-1)) > 1 {
				t.Errorf("%s: queue_min %d for %v counter dossiers", k.ID, k.QueueMin, k.CounterLoadAfter)
			}
			if k.StaffStandard != int(math.Floor(k.LoadAfter/1600+1e-9)) && math.Abs(k.LoadAfter/1600-math.Round(k.LoadAfter/1600)) > 1e-3 {
				t.Errorf("%s: staff_standard %d for %v dossiers", k.ID, k.StaffStandard, k.LoadAfter)
			}
			if k.Inefficient != (k.QueueMin > k.StaffStandard) || k.Short != (k.StaffAfter < k.QueueMin) ||
				k.Underused != (k.StaffAfter > max(k.QueueMin, k.StaffStandard)) {
				t.Errorf("%s: flags %+v", k.ID, k.Staffing)
			}
		}
		for _, n := range pl.New {
			needed += n.QueueMin
			justified += max(n.QueueMin, n.StaffStandard)
		}
		if needed != pl.StaffNeeded || justified != pl.StaffJustified {
			t.Errorf("staff_needed %d, staff_justified %d; the points sum to %d and %d", pl.StaffNeeded, pl.StaffJustified, needed, justified)
		}
	}
	if binds == 0 {
		t.Error("the premises never bound: the test checks nothing")
	}
	// Premises far too small for the province: an error naming communes,
	// residents and dossiers, not a plan over its capacities.
	inst := genInstance(spec)
	for j := range inst.Candidates {
		inst.Candidates[j].Capacity = 1
	}
	_, err = Solve(context.Background(), inst, opt)
	if err == nil || !strings.Contains(err.Error(), "cannot place") || !strings.Contains(err.Error(), "residents") {
		t.Fatalf("tiny premises: %v, want an error naming what cannot be placed", err)
	}
}
