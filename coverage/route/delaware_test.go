package route

import (
	"context"
	"strings"
	"testing"

	"github.com/onestop/onestop/internal/testenv"

	"github.com/onestop/onestop/data/roads"
)

func delawarePath(tb testing.TB) string { return testenv.DelawarePBF(tb) }

func loadDelaware(tb testing.TB) (*roads.Network, *Graph) {
	tb.Helper()
	net, err := roads.LoadPBFFile(context.Background(), delawarePath(tb), roads.Options{})
	if err != nil {
		tb.Fatal(err)
	}
	return net, New(net)
}

// On the real network the contracted searches must agree exactly with plain
// Dijkstra, and edges.csv must describe the graph row for row.
func TestDelaware(t *testing.T) {
	_, g := loadDelaware(t)
	if g.cfwd == nil || g.crev == nil {
		t.Fatal("contraction not built on Delaware")
	}
	plain := *g
	plain.cfwd, plain.crev = nil, nil
	n := g.NumNodes()
	srcs := seededNodes(n, 3, 9)
	for _, reverse := range []bool{false, true} {
		sources := []Source{{srcs[0], 0}, {srcs[1], 30}, {srcs[2], 0}}
		want, wantO := make([]float64, n), make([]int32, n)
		got, gotO := make([]float64, n), make([]int32, n)
		if err := plain.multiSource(context.Background(), reverse, sources, want, wantO, nil); err != nil {
			t.Fatal(err)
		}
		if err := g.multiSource(context.Background(), reverse, sources, got, gotO, nil); err != nil {
			t.Fatal(err)
		}
		for v := range want {
			if got[v] != want[v] {
				t.Fatalf("reverse=%v node %d: contracted %v, plain %v", reverse, v, got[v], want[v])
			}
		}
		within := map[int32]float64{}
		plain.NewSearcher().Within(srcs[0], 0, 1800, reverse, func(v int32, s float64) { within[v] = s })
		count := 0
		g.NewSearcher().Reach(srcs[0], 0, 1800, reverse, func(v int32, s float64) {
			count++
			if within[v] != s {
				t.Fatalf("reach node %d: %v, plain within %v", v, s, within[v])
			}
		})
		if count != len(within) || count < 1000 {
			t.Fatalf("reach found %d nodes, plain within %d", count, len(within))
		}
	}

	var a, b strings.Builder
	if err := WriteEdgesCSV(&a, g); err != nil {
		t.Fatal(err)
	}
	if err := WriteEdgesCSV(&b, New(mustNet(t))); err != nil {
		t.Fatal(err)
	}
	if a.String() != b.String() {
		t.Fatal("edges.csv differs between two loads of the same file")
	}
	rows := strings.Split(strings.TrimSuffix(a.String(), "\n"), "\n")
	if len(rows) != g.NumArcs()+1 {
		t.Fatalf("edges.csv has %d rows, want %d arcs + header", len(rows), g.NumArcs())
	}
}

func mustNet(t *testing.T) *roads.Network {
	net, err := roads.LoadPBFFile(context.Background(), delawarePath(t), roads.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return net
}
