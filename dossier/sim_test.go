package dossier

import (
	"context"
	"errors"
	"fmt"
	"math"
	"reflect"
	"testing"
)

// TestSimulationConvergesToErlangC runs the simulation as an M/M/c queue
// (around the clock, flat profile, exponential service) and compares the mean
// wait and the share of arrivals that wait with Erlang C. Tolerance: R
// independent one-year replications give a sample standard error of the
// mean; 5 standard errors is beyond the 99.9% point of Student's t with R-1=7
// degrees of freedom (5.41 is the 99.95% point, so false alarms are ~1e-3 or
// rarer). The test also requires that standard error to be small (under 4% of
// the theoretical value), so a loose simulation cannot pass by noise.
func TestSimulationConvergesToErlangC(t *testing.T) {
	tests := []struct {
		c      int
		lambda float64 // arrivals per minute
		s      float64 // mean service, minutes
	}{
		{1, 0.05, 10},   // M/M/1 rho=0.5
		{3, 0.24, 10},   // rho=0.8
		{8, 0.6, 12},    // rho=0.9, 7.2 erlangs
		{2, 0.075, 20},  // rho=0.75
		{20, 1.5, 12.0}, // rho=0.9, many servers
	}
	const reps = 8
	for _, tc := range tests {
		t.Run(fmt.Sprintf("c=%d_a=%.1f", tc.c, tc.lambda*tc.s), func(t *testing.T) {
			m := QueueModel{Year: 2025, Hours: alwaysOpen(), Profile: flatProfile(), ServiceMeanMin: tc.s, Exponential: true, Seed: 7}
			minutes := 365 * 24 * 60.0
			offices := make([]SimOffice, reps)
			for r := range offices {
				offices[r] = SimOffice{ID: fmt.Sprintf("rep%d", r), CounterDossiers: tc.lambda * minutes, Servers: tc.c}
			}
			res, err := m.checkAndSimulate(context.Background(), offices)
			if err != nil {
				t.Fatal(err)
			}
			a := tc.lambda * tc.s
			wantW, wantP := ErlangWait(tc.c, a, tc.s), ErlangC(tc.c, a)
			meanW, seW := meanSE(res, func(r SimResult) float64 { return r.MeanWaitMin })
			meanP, seP := meanSE(res, func(r SimResult) float64 { return r.ShareWaited })
			t.Logf("Wq sim %.3f ± %.3f, Erlang %.3f; P(wait) sim %.4f ± %.4f, Erlang %.4f", meanW, seW, wantW, meanP, seP, wantP)
			if seW > 0.04*wantW {
				t.Errorf("standard error %.3f too large to judge against %.3f", seW, wantW)
			}
			if math.Abs(meanW-wantW) > 5*seW {
				t.Errorf("simulated mean wait %.3f min, Erlang C %.3f min: more than 5 standard errors (%.3f) apart", meanW, wantW, seW)
			}
			if math.Abs(meanP-wantP) > 5*seP {
				t.Errorf("simulated share waiting %.4f, Erlang C %.4f: more than 5 standard errors (%.4f) apart", meanP, wantP, seP)
			}
		})
	}
}

func meanSE(rs []SimResult, f func(SimResult) float64) (mean, se float64) {
	n := float64(len(rs))
	for _, r := range rs {
		mean += f(r)
	}
	mean /= n
	var ss float64
	for _, r := range rs {
		ss += (f(r) - mean) * (f(r) - mean)
	}
	return mean, math.Sqrt(ss / (n - 1) / n)
}

func TestSimulationDeterministic(t *testing.T) {
	offices := []SimOffice{
		{ID: "a", CounterDossiers: 20000, Servers: 3},
		{ID: "b", CounterDossiers: 5000, Servers: 1},
		{ID: "c", CounterDossiers: 60000, Servers: 6},
		{ID: "d", CounterDossiers: 0, Servers: 2},
	}
	m := DefaultQueueModel(2025)
	m.Workers = 1
	one, err := m.checkAndSimulate(context.Background(), offices)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		workers int
		seed    int64
		same    bool
	}{
		{"same seed, one worker", 1, 1, true},
		{"same seed, four workers", 4, 1, true},
		{"other seed", 1, 2, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m2 := m
			m2.Workers, m2.Seed = tc.workers, tc.seed
			got, err := m2.checkAndSimulate(context.Background(), offices)
			if err != nil {
				t.Fatal(err)
			}
			if reflect.DeepEqual(got, one) != tc.same {
				t.Errorf("results equal = %v, want %v:\n%+v\n%+v", !tc.same, tc.same, got, one)
			}
		})
	}
	// An office's result depends on its ID and seed, not on its neighbours.
	alone, err := m.checkAndSimulate(context.Background(), offices[2:3])
	if err != nil {
		t.Fatal(err)
	}
	if alone[0] != one[2] {
		t.Errorf("office c alone %+v, with others %+v", alone[0], one[2])
	}
}

func TestSimulationSanity(t *testing.T) {
	m := DefaultQueueModel(2025)
	res, err := m.checkAndSimulate(context.Background(), []SimOffice{
		{ID: "none", CounterDossiers: 0, Servers: 1},
		{ID: "unstaffed", CounterDossiers: 100, Servers: 0},
		{ID: "normal", CounterDossiers: 10000, Servers: 2},
	})
	if err != nil {
		t.Fatal(err)
	}
	if res[0] != (SimResult{}) {
		t.Errorf("office without dossiers: %+v", res[0])
	}
	if !math.IsInf(res[1].MeanWaitMin, 1) {
		t.Errorf("office without staff: mean wait %v, want +Inf", res[1].MeanWaitMin)
	}
	r := res[2]
	// Poisson count: 10000 ± 4 sd (sd = 100).
	if r.Arrivals < 9600 || r.Arrivals > 10400 {
		t.Errorf("arrivals %d, want about 10000", r.Arrivals)
	}
	if !(r.P90WaitMin >= 0 && r.MeanWaitMin >= 0 && r.ShareWaited >= 0 && r.ShareWaited <= 1) {
		t.Errorf("implausible result %+v", r)
	}
	if _, err := m.checkAndSimulate(context.Background(), []SimOffice{{ID: "x", CounterDossiers: -1, Servers: 1}}); err == nil {
		t.Error("negative dossiers accepted")
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := m.checkAndSimulate(ctx, []SimOffice{{ID: "x", CounterDossiers: 10, Servers: 1}}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled context: err %v", err)
	}
}

// TestQuantile checks the p90 against waits whose order statistics are known.
func TestQuantile(t *testing.T) {
	tests := []struct {
		name  string
		waits []float64
		want  float64
		tol   float64
	}{
		{"mostly zero", []float64{0, 0, 0, 0, 0, 0, 0, 0, 0, 5}, 0, 0},
		{"uniform 1..100", seq(1, 100), 90, histBin * 1.001}, // within one bin
		{"overflow", append(make([]float64, 5), 700, 800, 900, 1000, 1100), 1000, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := newSimulator(DefaultQueueModel(2025))
			var zeros int64
			for _, w := range tc.waits {
				if w == 0 {
					zeros++
				} else if b := int(w / histBin); b < len(s.hist) {
					s.hist[b]++
				} else {
					s.overflow = append(s.overflow, w)
				}
			}
			if got := s.quantile(int64(len(tc.waits)), zeros, 0.9); math.Abs(got-tc.want) > tc.tol {
				t.Errorf("p90 = %v, want %v ± %v", got, tc.want, tc.tol)
			}
		})
	}
}

func seq(lo, hi int) []float64 {
	var out []float64
	for i := lo; i <= hi; i++ {
		out = append(out, float64(i))
	}
	return out
}
