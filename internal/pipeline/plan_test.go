package pipeline

import (
	"context"
	"strings"
	"testing"

	"github.com/onestop/onestop/internal/scenario"
)

// The default scenario (an empty scenario.yaml) lets district branches
// close in phase 3, so a phase-2 department absorbed by its branch must
// follow the branch to its absorber, or the report refuses the run
// ("absorbed by CN-718, which is not an open office"). District 718 and a
// short time limit keep the run light; the check needs no good plan.
func TestPlanDefaultScenarioBranchesClose(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end plan run")
	}
	sc, err := scenario.Parse([]byte("optimize: {scope: \"districts=718\", time_limit: 1s}\n"), "scenario.yaml")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if _, err := Plan(context.Background(), sc, dir, PlanOptions{FixedSeconds: true, LoadDataset: loadRef}); err != nil {
		t.Fatalf("default scenario, district 718: %v", err)
	}
	run, err := ReadRun(dir)
	if err != nil {
		t.Fatal(err)
	}
	chained := 0
	for _, m := range run.Merges {
		if strings.Contains(m.Reason, "closes in turn") {
			chained++
		}
	}
	if chained == 0 {
		t.Log("no phase-2 absorber closed in this plan: the chain was not exercised")
	}
}
