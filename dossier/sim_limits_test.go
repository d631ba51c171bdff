package dossier

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"strings"
	"sync/atomic"
	"testing"
)

// countdownCtx is a context whose Err is nil for its first n calls and
// context.Canceled afterwards: it cancels in the middle of a loop without
// depending on timing, and counts how often the loop looked.
type countdownCtx struct {
	context.Context
	n, calls atomic.Int64
}

func newCountdown(n int64) *countdownCtx {
	c := &countdownCtx{Context: context.Background()}
	c.n.Store(n)
	return c
}

func (c *countdownCtx) Err() error {
	c.calls.Add(1)
	if c.n.Add(-1) < 0 {
		return context.Canceled
	}
	return nil
}

func TestSimulationStopsOnCancel(t *testing.T) {
	m := DefaultQueueModel(2025)
	cal, err := newCalendar(m.Year, m.Hours, m.Profile)
	if err != nil {
		t.Fatal(err)
	}
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	big := SimOffice{ID: "big", CounterDossiers: 1e6, Servers: 3} // ~1e6 arrivals, overloaded
	tests := []struct {
		name string
		run  func() error
		// looks, when > 0, is how many times the context must have been
		// consulted: the loop stopped at the first look after the cancellation.
		ctx   *countdownCtx
		looks int64
	}{
		{name: "Simulate, cancelled before", run: func() error {
			_, err := m.checkAndSimulate(cancelled, []SimOffice{big, {ID: "b", CounterDossiers: 10, Servers: 1}})
			return err
		}},
		{name: "CheckLoad, cancelled before", run: func() error {
			_, err := checkLoad(cancelled, testNetwork(), flagDemand, DefaultOptions(2025))
			return err
		}},
		{name: "one office's year, cancelled after 3 looks", ctx: newCountdown(3), looks: 4},
		{name: "rebalancing, cancelled after 2 looks", ctx: newCountdown(2), looks: 3},
	}
	// The last two run with their countdown contexts.
	tests[2].run = func() error {
		_, err := newSimulator(m).run(tests[2].ctx, cal, big)
		return err
	}
	tests[3].run = func() error {
		offices := []StaffNeed{{ID: "a", Staff: 1, Load: 1, Min: 1}, {ID: "b", Staff: 1, Load: 2, Min: 1}}
		_, err := rebalance(tests[3].ctx, offices, 2*MaxStaffPerOffice)
		return err
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.run()
			if !errors.Is(err, context.Canceled) {
				t.Fatalf("err %v, want context.Canceled", err)
			}
			if tc.ctx != nil && tc.ctx.calls.Load() != tc.looks {
				t.Errorf("context consulted %d times, want %d (stopped at the first look after cancelling)", tc.ctx.calls.Load(), tc.looks)
			}
		})
	}
}

func TestSimulateRefusesOversizedOffices(t *testing.T) {
	m := DefaultQueueModel(2025)
	tests := []struct {
		name   string
		office SimOffice
		want   string // "" when accepted
	}{
		{"staff 2e9", SimOffice{ID: "x", CounterDossiers: 100, Servers: 2e9}, `office "x": 100 counter dossiers a year, 2000000000 servers`},
		{"negative servers", SimOffice{ID: "x", CounterDossiers: 100, Servers: -1}, "-1 servers"},
		{"1e11 dossiers", SimOffice{ID: "x", CounterDossiers: 1e11, Servers: 3}, "at most 10000000 dossiers"},
		{"NaN dossiers", SimOffice{ID: "x", CounterDossiers: math.NaN(), Servers: 3}, "NaN counter dossiers"},
		{"infinite dossiers", SimOffice{ID: "x", CounterDossiers: math.Inf(1), Servers: 3}, "+Inf counter dossiers"},
		{"the maximum staff", SimOffice{ID: "x", CounterDossiers: 100, Servers: MaxStaffPerOffice}, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := m.checkAndSimulate(context.Background(), []SimOffice{tc.office})
			if tc.want == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err %v, want it to contain %q", err, tc.want)
			}
		})
	}
}

// TestSimulatorMemoryFollowsArrivals: servers never used take no memory, so
// 10,000 staff for a few dossiers allocate a few heap entries, not 10,000.
func TestSimulatorMemoryFollowsArrivals(t *testing.T) {
	m := DefaultQueueModel(2025)
	cal, err := newCalendar(m.Year, m.Hours, m.Profile)
	if err != nil {
		t.Fatal(err)
	}
	s := newSimulator(m)
	r, err := s.run(context.Background(), cal, SimOffice{ID: "x", CounterDossiers: 50, Servers: MaxStaffPerOffice})
	if err != nil {
		t.Fatal(err)
	}
	if r.Arrivals == 0 || int64(cap(s.free)) > 2*r.Arrivals {
		t.Errorf("%d arrivals used a server heap of capacity %d", r.Arrivals, cap(s.free))
	}
}

// TestSimulateIdleServersAsZeros: counting never-used servers instead of
// keeping them as zeros in the heap gives exactly the waits of a heap of c
// zeros (the simulation before this change), light or overloaded.
func TestSimulateIdleServersAsZeros(t *testing.T) {
	m := DefaultQueueModel(2025)
	cal, err := newCalendar(m.Year, m.Hours, m.Profile)
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range []SimOffice{
		{ID: "light", CounterDossiers: 20000, Servers: 8},
		{ID: "busy", CounterDossiers: 30000, Servers: 3},
		{ID: "overloaded", CounterDossiers: 60000, Servers: 2},
		{ID: "one", CounterDossiers: 5000, Servers: 1},
	} {
		got, err := newSimulator(m).run(context.Background(), cal, o)
		if err != nil {
			t.Fatal(err)
		}
		n, waited, sum := zerosHeapRun(m, cal, o)
		if got.Arrivals != n || got.MeanWaitMin != sum/float64(n) || got.ShareWaited != float64(waited)/float64(n) {
			t.Errorf("office %s: %+v; heap of zeros gives %d arrivals, mean wait %v, %d waited", o.ID, got, n, sum/float64(n), waited)
		}
	}
}

// zerosHeapRun is the simulation with every server in the heap from the
// start: the plain reference that counting idle servers must match.
func zerosHeapRun(m QueueModel, cal *calendar, o SimOffice) (n, waited int64, sum float64) {
	s := newSimulator(m)
	rng := rand.New(rand.NewPCG(officeSeed(m.Seed, o.ID)))
	free := make([]float64, o.Servers)
	perWeight := o.CounterDossiers / cal.total
	for _, seg := range cal.segs {
		rate := perWeight * seg.weight
		for t := seg.start; ; {
			t += rng.ExpFloat64() / rate
			if t >= seg.end {
				break
			}
			svc := math.Exp(s.mu + s.sig*rng.NormFloat64())
			start := max(t, free[0])
			free[0] = start + svc
			siftDown(free)
			n++
			sum += start - t
			if start > t {
				waited++
			}
		}
	}
	return n, waited, sum
}
