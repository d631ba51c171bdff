package demo

import (
	"testing"

	"github.com/onestop/onestop/data"
	"github.com/paulmach/orb/geo"
)

// TestDemoLoads runs the real loader on the embedded demo: it must load
// without a single problem and look like the pilot province.
func TestDemoLoads(t *testing.T) {
	t.Parallel()
	ds, err := data.Load(FS(), DatasetFile)
	if err != nil {
		t.Fatalf("the demo does not load: %v", err)
	}
	for _, w := range ds.Warnings {
		t.Errorf("loader warning: %v", w)
	}
	if len(ds.Communes) != 91 || len(ds.Districts) != 9 || len(ds.Offices) != 101 {
		t.Errorf("%d communes, %d districts, %d offices; want 91, 9, 101", len(ds.Communes), len(ds.Districts), len(ds.Offices))
	}
	kinds := map[data.CommuneKind]int{}
	classes := map[data.AreaClass]int{}
	var pop int64
	area := 0.0
	for _, c := range ds.Communes {
		kinds[c.Kind]++
		classes[c.Class]++
		pop += c.Population
		area += geo.Area(c.Geometry) / 1e6
	}
	if kinds[data.KindWard] != 47 || kinds[data.KindCommune] != 39 || kinds[data.KindTown] != 5 {
		t.Errorf("kinds %v, want 47 wards, 39 communes, 5 towns", kinds)
	}
	if classes[data.Remote] == 0 || classes[data.Urban] == 0 || classes[data.Rural] == 0 {
		t.Errorf("area classes %v, want urban, rural and remote", classes)
	}
	if pop != targetPopulation {
		t.Errorf("population %d, want %d", pop, targetPopulation)
	}
	if area < 2430 || area > 2970 {
		t.Errorf("area %.0f km², want 2,700 ± 10 %%", area)
	}
	locked := 0
	for _, o := range ds.Offices {
		if o.Locked {
			locked++
			if o.Kind != data.ProvinceCenter {
				t.Errorf("office %s (%s) is locked", o.ID, o.Kind)
			}
		}
	}
	if locked != 1 {
		t.Errorf("%d locked offices, want the province center only", locked)
	}
	if ds.Roads == nil {
		t.Fatal("no road network loaded")
	}
	if ds.Roads.DroppedNodes != 0 {
		t.Errorf("the loader dropped %d road nodes outside the largest strongly connected component", ds.Roads.DroppedNodes)
	}
	if n := len(ds.Roads.Nodes); n < 5000 || n > 20000 {
		t.Errorf("%d road nodes, want 5–20 k", n)
	}
	t.Logf("demo: %d communes, %d offices, %d population points, %d road nodes, %d arcs, %d ways",
		len(ds.Communes), len(ds.Offices), len(ds.Population), len(ds.Roads.Nodes), len(ds.Roads.Arcs), ds.Roads.Ways)
	if ds.DossierLog == "" || ds.Files == nil {
		t.Error("the dossier log is not wired")
	}
}
