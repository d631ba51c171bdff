package pipeline

import (
	"context"
	"os"
	"runtime"
	"runtime/metrics"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/onestop/onestop/coverage"
	"github.com/onestop/onestop/data"
	"github.com/onestop/onestop/internal/scenario"
	"github.com/onestop/onestop/optimize"
)

// BenchmarkBinhDuongPhase3Memory tracks issue 13's memory per cell: the
// optimizer step of testdata/binhduong/phase3.yaml (every one of the
// 22,320 cells populated) at the default candidate density and at
// candidate_resolution 7, reporting the largest live heap seen after a
// collection and the largest heap (live and not yet collected) per cell,
// sampled every 2 ms. Whole-run peak RSS is measured with /usr/bin/time
// (docs/performance.md); this is the part of it the optimizer owns.
func BenchmarkBinhDuongPhase3Memory(b *testing.B) {
	ctx := context.Background()
	sc, ds, idx, model, demand, rule := loadBinhDuongPhase3(b)
	populated := 0
	for _, c := range idx.Cells {
		if c.Population > 0 {
			populated++
		}
	}
	for _, res := range []int{optimize.DefaultCandidateResolution, 7} {
		b.Run("candidate_resolution="+strconv.Itoa(res), func(b *testing.B) {
			op := optimizeParamsOf(sc)
			op.FixedSeconds, op.CandidateResolution = true, res
			var live, heap uint64
			for b.Loop() {
				runtime.GC()
				stop := sampleHeap(&live, &heap)
				if _, err := Optimize(ctx, ds, idx, model, rule, optimize.Phase2(ds), demand, op); err != nil {
					b.Fatal(err)
				}
				stop()
			}
			b.ReportMetric(float64(live)/1024/float64(populated), "live_KB/cell")
			b.ReportMetric(float64(heap)/1024/float64(populated), "heap_KB/cell")
		})
	}
}

// sampleHeap records, until stop is called, the largest live heap after a
// collection and the largest heap of objects (garbage included).
func sampleHeap(live, heap *uint64) (stop func()) {
	s := []metrics.Sample{{Name: "/gc/heap/live:bytes"}, {Name: "/memory/classes/heap/objects:bytes"}}
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(2 * time.Millisecond)
		defer t.Stop()
		for {
			metrics.Read(s)
			*live = max(*live, s[0].Value.Uint64())
			*heap = max(*heap, s[1].Value.Uint64())
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	}()
	return func() { close(done); wg.Wait() }
}

// loadBinhDuongPhase3 loads what the Binh Duong phase-3 benchmarks share:
// testdata/binhduong/phase3.yaml, its dataset, index, travel model, demand
// and rule. Without the data in ../shared the benchmark is skipped.
func loadBinhDuongPhase3(b *testing.B) (*scenario.Scenario, *data.Dataset, *coverage.Index, coverage.TravelModel, *Demand, coverage.Rule) {
	b.Helper()
	sc, err := scenario.Load("../../testdata/binhduong/phase3.yaml")
	if err != nil {
		b.Fatal(err)
	}
	if _, err := os.Stat(sc.DatasetPath()); err != nil {
		b.Skipf("Binh Duong data absent: %v", err)
	}
	ctx := context.Background()
	ds, err := data.LoadFileContext(ctx, sc.DatasetPath())
	if err != nil {
		b.Skipf("Binh Duong data unreadable: %v", err)
	}
	idx, err := coverage.NewIndex(ctx, ds, coverage.IndexOptions{Resolution: sc.H3Res})
	if err != nil {
		b.Fatal(err)
	}
	model, _, err := TravelModel(ds, travelOf(sc))
	if err != nil {
		b.Fatal(err)
	}
	demand, err := ComputeDemand(ds, idx, loadParamsOf(sc))
	if err != nil {
		b.Fatal(err)
	}
	return sc, ds, idx, model, demand, coverage.Rule{Minutes: sc.Rule.Minutes, Km: sc.Rule.Km, Mode: sc.Rule.Mode}
}
