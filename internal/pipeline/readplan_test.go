package pipeline

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/onestop/onestop/optimize"
)

// validPlan is a small plan as the optimizer writes it.
func validPlan() optimize.Plan {
	return optimize.Plan{
		Kept:       []optimize.KeptOffice{{ID: "K", StaffFrom: 4, StaffAfter: 6}},
		Closed:     []optimize.Closed{{ID: "C", AbsorbedBy: "K"}, {ID: "D", AbsorbedBy: "N"}},
		New:        []optimize.NewPoint{{ID: "N", Lon: 106.6, Lat: 11, Staff: 2}},
		StaffMoves: []optimize.StaffMove{{From: "C", To: "K", Staff: 2}},
	}
}

func TestParsePlanStrict(t *testing.T) {
	js := func(edit func(*optimize.Plan)) string {
		p := validPlan()
		edit(&p)
		b, err := json.Marshal(p)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	tests := []struct {
		name, json, want string
	}{
		{"valid", js(func(*optimize.Plan) {}), ""},
		{"misspelt key", `{"kept": [], "new": [{"id": "N"}]}`, `unknown field "new"`},
		{"kept and closed", js(func(p *optimize.Plan) { p.Closed[0].ID = "K" }), `office "K" is also kept[0]`},
		{"closed twice", js(func(p *optimize.Plan) { p.Closed[1].ID = "C"; p.Closed[1].AbsorbedBy = "K" }), `closed[1] (C)`},
		{"absorber unknown", js(func(p *optimize.Plan) { p.Closed[0].AbsorbedBy = "X" }), `absorbed_by "X"`},
		{"absorber closed", js(func(p *optimize.Plan) { p.Closed[0].AbsorbedBy = "D" }), `absorbed_by "D"`},
		{"negative staff", js(func(p *optimize.Plan) { p.Kept[0].StaffAfter = -3 }), "staff_after -3"},
		{"absurd staff", js(func(p *optimize.Plan) { p.New[0].Staff = 2_000_000 }), "staff 2000000"},
		{"empty id", js(func(p *optimize.Plan) { p.Kept[0].ID = ""; p.Closed[0].AbsorbedBy = "" }), "empty id"},
		{"bad coordinates", js(func(p *optimize.Plan) { p.New[0].Lat = 200 }), "lon/lat"},
		{"staff move from an open office", js(func(p *optimize.Plan) { p.StaffMoves[0].From = "K" }), "staff_moves[0]"},
		{"trailing data", js(func(*optimize.Plan) {}) + "{}", "data after"},
		{"not JSON", "kept: []", "invalid character"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := parsePlan([]byte(tc.json), "plan.json")
			if tc.want == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "plan.json") || !strings.Contains(err.Error(), "fix") {
				t.Fatalf("error %v, want one naming plan.json, %q and the fix", err, tc.want)
			}
		})
	}
}

func TestReadPlanRefusesSpecialFiles(t *testing.T) {
	if _, err := ReadPlan("/dev/zero"); err == nil || !strings.Contains(err.Error(), "device") {
		t.Errorf("ReadPlan(/dev/zero): %v, want a refusal naming a device", err)
	}
	if _, err := ReadPlan(t.TempDir()); err == nil || !strings.Contains(err.Error(), "directory") {
		t.Errorf("ReadPlan(dir): %v", err)
	}
	p := validPlan()
	path := filepath.Join(t.TempDir(), "plan.json")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := p.WriteJSON(f); err != nil {
		t.Fatal(err)
	}
	f.Close()
	if _, err := ReadPlan(path); err != nil {
		t.Errorf("a written plan does not read back: %v", err)
	}
}
