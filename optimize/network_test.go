package optimize

import (
	"strings"
	"testing"

	"github.com/onestop/onestop/data"
)

func TestApplyPlanFollowsAbsorberChains(t *testing.T) {
	// Phase 2: department D merged into branch B. The plan closes B into K.
	base := Network{Name: "phase 2",
		Offices: []data.Office{{ID: "B"}, {ID: "K"}},
		Closed:  []Closure{{Office: data.Office{ID: "D"}, AbsorbedBy: "B", Reason: "phase 2"}},
	}
	tests := []struct {
		name string
		plan Plan
		want map[string]string // closed office -> final absorber
		err  string
	}{
		{name: "chain", plan: Plan{Kept: []KeptOffice{{ID: "K"}}, Closed: []Closed{{ID: "B", AbsorbedBy: "K"}}},
			want: map[string]string{"D": "K", "B": "K"}},
		{name: "chain to a new point", plan: Plan{Closed: []Closed{{ID: "B", AbsorbedBy: "N"}, {ID: "K", AbsorbedBy: "N"}},
			New: []NewPoint{{ID: "N"}}}, want: map[string]string{"D": "N", "B": "N", "K": "N"}},
		{name: "no chain", plan: Plan{Kept: []KeptOffice{{ID: "B"}, {ID: "K"}}}, want: map[string]string{"D": "B"}},
		{name: "cycle", plan: Plan{Kept: []KeptOffice{{ID: "K"}}, Closed: []Closed{{ID: "B", AbsorbedBy: "D"}}},
			err: "cycle"},
		{name: "absorber unknown", plan: Plan{Kept: []KeptOffice{{ID: "K"}}, Closed: []Closed{{ID: "B", AbsorbedBy: "X"}}},
			err: "X"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			n, err := ApplyPlan(base, &tc.plan, "phase 3")
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) || !strings.Contains(err.Error(), "fix") {
					t.Fatalf("error %v, want one naming %q and the fix", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]string{}
			for _, c := range n.Closed {
				got[c.Office.ID] = c.AbsorbedBy
			}
			for id, want := range tc.want {
				if got[id] != want {
					t.Errorf("%s absorbed by %q, want %q", id, got[id], want)
				}
			}
		})
	}
}
