package data

import (
	"path/filepath"
	"testing"

	"github.com/onestop/onestop/data/roads"
	"github.com/paulmach/orb"
)

func TestSummary(t *testing.T) {
	d, err := LoadFile(filepath.Join("testdata", "mini", "dataset.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	d.Source = "mini" // the path differs between machines
	s := d.Summary()
	if s.RoadNodes == 0 || s.RoadArcs == 0 {
		t.Fatalf("road counts %d/%d", s.RoadNodes, s.RoadArcs)
	}
	// Fix the road counts (they belong to the roads package) to compare the text.
	s.RoadNodes, s.RoadArcs = 7, 12
	want := `dataset:     Mini province (mini)
districts:   2
communes:    3 (1 ward, 1 commune, 1 town)
area class:  2 urban, 0 rural, 1 remote
population:  6,000 (urban 4,000, rural 0, remote 2,000)
grid:        4 population records
offices:     3 (0 province-center, 1 branch, 2 one-stop, 0 inter-ward), 13 staff
roads:       7 nodes, 12 arcs
warnings:    1
`
	if got := s.String(); got != want {
		t.Errorf("Summary.String():\n%s\nwant:\n%s", got, want)
	}
}

func TestSummaryEmptyAndRoads(t *testing.T) {
	d := &Dataset{Name: "x", Source: "y", Roads: &roads.Network{Nodes: make([]orb.Point, 3), Arcs: make([]roads.Arc, 4)}}
	s := d.Summary()
	if s.RoadNodes != 3 || s.RoadArcs != 4 || s.Communes != 0 || s.Population != 0 {
		t.Errorf("summary %+v", s)
	}
	if (&Dataset{}).Summary().String() == "" {
		t.Error("empty summary text")
	}
}

func TestThousands(t *testing.T) {
	for n, want := range map[int64]string{0: "0", 999: "999", 1000: "1,000", 2426561: "2,426,561", -1234: "-1,234"} {
		if got := Thousands(n); got != want {
			t.Errorf("Thousands(%d) = %q, want %q", n, got, want)
		}
	}
}
