//go:build unix

package pipeline

import (
	"context"
	"encoding/json"
	"strconv"
	"syscall"
	"testing"

	"github.com/onestop/onestop/optimize"
)

// BenchmarkBinhDuongPhase3Capped is the optimizer step of the shipped real
// scenario (testdata/binhduong/phase3.yaml: 91 communes, 2.4 M residents,
// premises of 40 staff and 30 counters) at several work budgets, from the
// loaded dataset to plan.json: candidates, coverage sets, the solve and the
// plan. It reports the gap, the count against its proven bound, and,
// recomputed from the written plan.json, the points over their premises
// (must be 0) and the residents beyond the rule (must be 0). The data live
// in ../shared beside the repository; without them it is skipped.
func BenchmarkBinhDuongPhase3Capped(b *testing.B) {
	ctx := context.Background()
	sc, ds, idx, model, demand, rule := loadBinhDuongPhase3(b)
	for _, work := range []int64{1000, 4000, sc.Optimize.Work} {
		b.Run("work="+strconv.FormatInt(work, 10), func(b *testing.B) {
			op := optimizeParamsOf(sc)
			op.Work, op.FixedSeconds = work, true
			var opz *Optimized
			var err error
			cpu0 := cpuSeconds()
			runs := 0
			for b.Loop() {
				if opz, err = Optimize(ctx, ds, idx, model, rule, optimize.Phase2(ds), demand, op); err != nil {
					b.Fatal(err)
				}
				runs++
			}
			// CPU seconds, not wall: on a shared machine the wall time
			// says more about the neighbours than about the solve.
			b.ReportMetric((cpuSeconds()-cpu0)/float64(runs), "cpu_s/op")
			js, err := json.Marshal(opz.Plan)
			if err != nil {
				b.Fatal(err)
			}
			var p optimize.Plan
			if err := json.Unmarshal(js, &p); err != nil {
				b.Fatal(err)
			}
			over := 0
			check := func(staff int, counter, capacity float64) {
				if (capacity > 0 && counter > capacity) || staff > sc.Optimize.MaxStaffPerPoint {
					over++
				}
			}
			for _, k := range p.Kept {
				check(k.StaffAfter, k.CounterLoadAfter, k.Capacity)
			}
			for _, n := range p.New {
				check(n.Staff, n.CounterLoad, n.Capacity)
			}
			if over > 0 || p.ResidentsBeyondRule > 0 {
				b.Errorf("%d points over their premises, %d residents beyond the rule", over, p.ResidentsBeyondRule)
			}
			b.ReportMetric(p.Summary.GapPct, "gap_%")
			b.ReportMetric(float64(p.Summary.OfficesAfter), "points")
			b.ReportMetric(float64(p.PointsLowerBound), "points_bound")
			b.ReportMetric(float64(over), "over_cap")
			b.ReportMetric(float64(p.ResidentsBeyondRule), "beyond_rule")
		})
	}
}

// cpuSeconds is the process's user + system CPU time so far.
func cpuSeconds() float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return float64(ru.Utime.Sec+ru.Stime.Sec) + float64(ru.Utime.Usec+ru.Stime.Usec)/1e6
}
