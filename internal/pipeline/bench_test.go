package pipeline

import (
	"context"
	"testing"

	"github.com/onestop/onestop/internal/scenario"
)

// BenchmarkPlanDemo is `onestop plan` on the embedded demo, cold: the demo
// province is generated, loaded and validated inside every iteration, then
// coverage before/after, the phase-3 optimizer, the dossier check and the
// report with every export. Target: ≤ 10 s on 2 cores.
func BenchmarkPlanDemo(b *testing.B) {
	sc, _, err := scenario.Example("demo-phase3")
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := Plan(context.Background(), sc, b.TempDir(), PlanOptions{FixedSeconds: true, LoadDataset: loadRef}); err != nil {
			b.Fatal(err)
		}
	}
}
