package dossier

import (
	"context"
	"testing"
)

// TestCapacityInvertsQueueMinimum checks the inversion at its edge for
// small and large premises, with the default model and a stricter one:
// the capacity itself fits s counters, one dossier more does not.
func TestCapacityInvertsQueueMinimum(t *testing.T) {
	strict := DefaultOptions(2025)
	strict.WaitTargetMin = 5
	strict.MaxOccupancy = 0.7
	for _, tc := range []struct {
		name string
		opt  Options
	}{{"default", DefaultOptions(2025)}, {"strict", strict}} {
		q, err := NewQueue(tc.opt)
		if err != nil {
			t.Fatal(err)
		}
		prev := 0.0
		for _, s := range []int{1, 2, 3, 5, 8, 13, 20, 40, 100} {
			c, err := q.CapacityAt(s)
			if err != nil {
				t.Fatal(err)
			}
			if c <= prev {
				t.Errorf("%s: capacity at %d counters %.1f is not above %.1f at fewer", tc.name, s, c, prev)
			}
			prev = c
			at, err := q.Minimum(c)
			if err != nil {
				t.Fatal(err)
			}
			above, err := q.Minimum(c + 1)
			if err != nil {
				t.Fatal(err)
			}
			if at > s || above <= s {
				t.Errorf("%s: capacity at %d counters is %.1f counter dossiers/year, but it needs %d counters and one dossier more needs %d", tc.name, s, c, at, above)
			}
		}
	}
}

// TestCapacityKnownValue pins one capacity against a hand computation:
// one counter under the default model serves a peak-hour load a with
// Erlang C wait a·12/(1−a) ≤ 15 min, i.e. a ≤ 5/9 erlang, and the
// occupancy 0.85 does not bind; the busiest hour (Monday 9:00, weight
// 1.15 × 1.45) then fixes the yearly counter dossiers.
func TestCapacityKnownValue(t *testing.T) {
	opt := DefaultOptions(2025)
	q, err := NewQueue(opt)
	if err != nil {
		t.Fatal(err)
	}
	c, err := q.CapacityAt(1)
	if err != nil {
		t.Fatal(err)
	}
	// a = λ·12 with λ = annual·peak/total per minute.
	want := (5.0 / 9 / 12) * q.cal.total / q.cal.peak
	if d := c - want; d > 1e-6*want || d < -1e-6*want {
		t.Errorf("capacity at 1 counter %.3f, want %.3f", c, want)
	}
	if d := q.cal.peak - 1.15*1.45; d > 1e-12 || d < -1e-12 {
		t.Errorf("peak weight %v, want Monday 9:00 = 1.15 × 1.45", q.cal.peak)
	}
}

// TestQueueMinimumAgreesWithCheckLoad runs the load check on offices of
// every verdict and compares each office's MinStaff with QueueMinimum of
// its counter dossiers.
func TestQueueMinimumAgreesWithCheckLoad(t *testing.T) {
	opt := DefaultOptions(2025)
	opt.SkipSimulation = true
	demand := append([]OfficeDemand(nil), flagDemand...)
	demand[0] = OfficeDemand{Total: 150000, Counter: 120000}
	res, err := checkLoad(context.Background(), testNetwork(), demand, opt)
	if err != nil {
		t.Fatal(err)
	}
	for i, l := range res.Offices {
		got, err := QueueMinimum(float64(demand[i].Counter), opt)
		if err != nil {
			t.Fatal(err)
		}
		if got != l.MinStaff {
			t.Errorf("office %s (%d counter dossiers): QueueMinimum %d, CheckLoad's MinStaff %d", l.ID, demand[i].Counter, got, l.MinStaff)
		}
		if c, _ := CapacityAt(got, opt); c < float64(demand[i].Counter) {
			t.Errorf("office %s: capacity at its minimum %d counters %.0f is below its load %d", l.ID, got, c, demand[i].Counter)
		}
	}
}

func TestQueueRejectsBadInput(t *testing.T) {
	q, err := NewQueue(DefaultOptions(2025))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := q.Minimum(-1); err == nil {
		t.Error("a negative load gave no error")
	}
	if _, err := q.CapacityAt(-1); err == nil {
		t.Error("negative counters gave no error")
	}
	bad := DefaultOptions(2025)
	bad.WaitTargetMin = 0
	if _, err := NewQueue(bad); err == nil {
		t.Error("a zero wait target gave no error")
	}
}
