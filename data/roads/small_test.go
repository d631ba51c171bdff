package roads

import (
	"context"
	"strings"
	"testing"
)

// testdata/dover.osm.pbf is a 2×2 km cut of the Delaware extract around
// Dover, made with `osmium extract -b -75.54,39.15,-75.52,39.17` (complete
// ways); dover-ways.osm.pbf is the same with its nodes removed by
// `osmium cat -t way`. They keep these tests independent of the module cache.
const (
	doverNodes     = 4074 // osmium fileinfo -e
	doverWays      = 432
	doverRelations = 11
)

func TestDoverCounts(t *testing.T) {
	n, w, r := countPBF(t, "testdata/dover.osm.pbf")
	if n != doverNodes || w != doverWays || r != doverRelations {
		t.Fatalf("scanner counts %d/%d/%d, osmium %d/%d/%d", n, w, r, doverNodes, doverWays, doverRelations)
	}
}

func TestLoadDover(t *testing.T) {
	for _, profile := range []string{ProfileMotorbike, ProfileCar} {
		net, err := LoadPBFFile(context.Background(), "testdata/dover.osm.pbf", Options{Profile: profile})
		if err != nil {
			t.Fatal(err)
		}
		if len(net.Nodes) < 500 || len(net.Arcs) < len(net.Nodes) || net.MissingNodes != 0 {
			t.Fatalf("%s: %d nodes, %d arcs, %d missing", profile, len(net.Nodes), len(net.Arcs), net.MissingNodes)
		}
		checkArcs(t, net)
		checkStronglyConnected(t, net)
		again, err := LoadPBFFile(context.Background(), "testdata/dover.osm.pbf", Options{Profile: profile})
		if err != nil {
			t.Fatal(err)
		}
		if networkHash(net) != networkHash(again) {
			t.Fatalf("%s: two loads differ", profile)
		}
	}
}

func TestLoadPBFWaysWithoutNodes(t *testing.T) {
	_, err := LoadPBFFile(context.Background(), "testdata/dover-ways.osm.pbf", Options{})
	if err == nil || !strings.Contains(err.Error(), "not in the file") || !strings.Contains(err.Error(), "dover-ways.osm.pbf") {
		t.Fatalf("got %v, want an error about missing nodes naming the file", err)
	}
}

func TestLoadPBFUnknownProfile(t *testing.T) {
	_, err := LoadPBFFile(context.Background(), "testdata/dover.osm.pbf", Options{Profile: "tram"})
	if err == nil || !strings.Contains(err.Error(), "unknown profile") {
		t.Fatalf("got %v, want an unknown-profile error", err)
	}
}
