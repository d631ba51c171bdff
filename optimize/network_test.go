package optimize

import (
	"slices"
	"strings"
	"testing"

	"github.com/onestop/onestop/data"
	"github.com/paulmach/orb"
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

// TestServes pins the one rule for which office handles a commune's
// boundary-bound dossiers; the dossier assignment and the report use it.
func TestServes(t *testing.T) {
	at := func(lon, lat float64) orb.Bound { return orb.Bound{Min: orb.Point{lon, lat}, Max: orb.Point{lon, lat}} }
	ds := &data.Dataset{Communes: []data.Commune{
		{Code: "A", Bound: at(106.0, 11.0)},
		{Code: "B", Bound: at(106.5, 11.0)},
		{Code: "C", Bound: at(106.9, 11.0)},
		{Code: "D", Bound: at(106.1, 11.0)}, // no office ever: the nearest open one
	}}
	n := Network{Name: "test",
		Offices: []data.Office{
			{ID: "A0", Kind: data.ProvinceCenter, Commune: "A", Location: orb.Point{106.0, 11.0}},
			{ID: "A1", Kind: data.OneStop, Commune: "A", Location: orb.Point{105.99, 11.0}},
			{ID: "N1", Kind: data.InterWard, Commune: "B", Location: orb.Point{106.5, 11.0}},
		},
		Closed: []Closure{
			{Office: data.Office{ID: "C1", Commune: "C"}, AbsorbedBy: "X"},
			{Office: data.Office{ID: "X", Commune: "B"}, AbsorbedBy: "N1"},
		},
	}
	serves, err := n.Serves(ds)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct{ commune, want, why string }{
		{"A", "A1", "a commune department before the provincial center, whatever the ids"},
		{"B", "N1", "the open office in the commune before the absorber of a closed one"},
		{"C", "N1", "a closed office's commune follows the absorption chain"},
		{"D", "A0", "a commune without an office goes to the nearest open office"},
	}
	for _, tc := range tests {
		if got := n.Offices[serves[tc.commune]].ID; got != tc.want {
			t.Errorf("commune %s served by %s, want %s: %s", tc.commune, got, tc.want, tc.why)
		}
	}
	if _, err := (Network{Name: "empty"}).Serves(ds); err == nil {
		t.Error("a network without an open office serves communes")
	}
}

// In a two-tier province the commune centre serves its commune even when a
// reception point of the same commune sorts first by id.
func TestServesTwoTier(t *testing.T) {
	at := func(lon, lat float64) orb.Bound { return orb.Bound{Min: orb.Point{lon, lat}, Max: orb.Point{lon, lat}} }
	ds := &data.Dataset{Communes: []data.Commune{{Code: "26734", Bound: at(106.7, 10.8)}}}
	n := Network{Name: "two-tier", Offices: []data.Office{
		{ID: "A-reception", Kind: data.Reception, Commune: "26734", Location: orb.Point{106.71, 10.8}},
		{ID: "Z-centre", Kind: data.CommuneCenter, Commune: "26734", Location: orb.Point{106.7, 10.8}},
	}}
	serves, err := n.Serves(ds)
	if err != nil {
		t.Fatal(err)
	}
	if got := n.Offices[serves["26734"]].ID; got != "Z-centre" {
		t.Errorf("commune served by %s, want its commune centre", got)
	}
}

// A closed office whose absorption chain never reaches an open office (a
// cycle, or an absorber that is neither open nor closed) leaves its commune
// to the nearest open office, where ApplyPlan would refuse the network.
func TestServesBrokenChainNearest(t *testing.T) {
	at := func(lon, lat float64) orb.Bound { return orb.Bound{Min: orb.Point{lon, lat}, Max: orb.Point{lon, lat}} }
	ds := &data.Dataset{Communes: []data.Commune{{Code: "C", Bound: at(106.9, 11.0)}, {Code: "E", Bound: at(106.1, 11.0)}}}
	n := Network{Name: "test",
		Offices: []data.Office{
			{ID: "A0", Kind: data.OneStop, Commune: "A", Location: orb.Point{106.0, 11.0}},
			{ID: "N1", Kind: data.InterWard, Commune: "B", Location: orb.Point{106.8, 11.0}},
		},
		Closed: []Closure{
			{Office: data.Office{ID: "C1", Commune: "C"}, AbsorbedBy: "C2"},
			{Office: data.Office{ID: "C2"}, AbsorbedBy: "C1"},
			{Office: data.Office{ID: "E1", Commune: "E"}, AbsorbedBy: "Z"},
		},
	}
	serves, err := n.Serves(ds)
	if err != nil {
		t.Fatal(err)
	}
	for code, want := range map[string]string{"C": "N1", "E": "A0"} {
		if got := n.Offices[serves[code]].ID; got != want {
			t.Errorf("commune %s served by %s, want the nearest open office %s", code, got, want)
		}
	}
}

// OpenAbsorbers follows chains to the open office and gives -1 for a
// cycle or an absorber that is neither open nor closed.
func TestOpenAbsorbers(t *testing.T) {
	n := Network{Name: "test",
		Offices: []data.Office{{ID: "K"}, {ID: "N"}},
		Closed: []Closure{
			{Office: data.Office{ID: "D"}, AbsorbedBy: "B"},
			{Office: data.Office{ID: "B"}, AbsorbedBy: "N"},
			{Office: data.Office{ID: "C1"}, AbsorbedBy: "C2"},
			{Office: data.Office{ID: "C2"}, AbsorbedBy: "C1"},
			{Office: data.Office{ID: "E"}, AbsorbedBy: "Z"},
			{Office: data.Office{ID: "F"}},
		},
	}
	got := n.OpenAbsorbers()
	want := []int{1, 1, -1, -1, -1, -1}
	if !slices.Equal(got, want) {
		t.Errorf("OpenAbsorbers() = %v, want %v", got, want)
	}
}
