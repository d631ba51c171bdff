package coverage

import (
	"context"
	"fmt"
	"math"
	"testing"

	"github.com/onestop/onestop/internal/testenv"

	"github.com/onestop/onestop/data"
	"github.com/onestop/onestop/data/earth"
	"github.com/onestop/onestop/data/roads"
	"github.com/paulmach/orb"
)

// loadBinhDuong loads the real Binh Duong communes through the dataset
// loader, skipping when ../shared/data is not beside the repository.
func loadBinhDuong(t testing.TB) *data.Dataset {
	t.Helper()
	ds, err := data.LoadFile(testenv.BinhDuongYAML(t))
	if err != nil {
		t.Fatalf("load Binh Duong: %v", err)
	}
	return ds
}

// square is a closed counter-clockwise lon/lat square.
func square(lon, lat, side float64) orb.Polygon {
	return orb.Polygon{{{lon, lat}, {lon + side, lat}, {lon + side, lat + side}, {lon, lat + side}, {lon, lat}}}
}

// syntheticProvince is an nx × ny grid of square communes of side degrees
// near Binh Duong, two districts, classes cycling urban/rural/remote and
// populations that do not divide evenly.
func syntheticProvince(nx, ny int, side float64) *data.Dataset {
	ds := &data.Dataset{Name: "synthetic", Source: "synthetic.yaml",
		Districts: []data.District{{Code: "D1", Name: "West"}, {Code: "D2", Name: "East"}}}
	classes := []data.AreaClass{data.Urban, data.Rural, data.Remote}
	for j := 0; j < ny; j++ {
		for i := 0; i < nx; i++ {
			k := j*nx + i
			d := "D1"
			if i >= nx/2 {
				d = "D2"
			}
			mp := orb.MultiPolygon{square(106.5+float64(i)*side, 11.0+float64(j)*side, side)}
			ds.Communes = append(ds.Communes, data.Commune{
				Code: fmt.Sprintf("C%03d", k), Name: fmt.Sprintf("Commune %d", k), Kind: data.KindCommune,
				District: d, Class: classes[k%3], Population: int64(10007 + 7919*k),
				Geometry: mp, Bound: mp.Bound(),
			})
		}
	}
	return ds
}

// officesAt makes offices at the given points.
func officesAt(pts ...orb.Point) []data.Office {
	out := make([]data.Office, len(pts))
	for i, p := range pts {
		out[i] = data.Office{ID: fmt.Sprintf("O%d", i+1), Name: fmt.Sprintf("Office %d", i+1), Kind: data.OneStop, Location: p, Staff: 3}
	}
	return out
}

// gridNetwork is a two-way road grid with a node every step degrees over
// the box, at kmh, plus an island: two nodes joined only to each other.
func gridNetwork(lon0, lat0 float64, nx, ny int, step, kmh float64, island orb.Point) *roads.Network {
	net := &roads.Network{Source: "grid", Profile: "motorbike"}
	id := func(i, j int) int32 { return int32(j*nx + i) }
	for j := 0; j < ny; j++ {
		for i := 0; i < nx; i++ {
			net.Nodes = append(net.Nodes, orb.Point{lon0 + float64(i)*step, lat0 + float64(j)*step})
		}
	}
	link := func(a, b int32, kmh float64) {
		pa, pb := net.Nodes[a], net.Nodes[b]
		m := earth.DistanceKm(orb.Point{pa[0], pa[1]}, orb.Point{pb[0], pb[1]}) * 1000
		s := m / 1000 / kmh * 3600
		net.Arcs = append(net.Arcs, roads.Arc{From: a, To: b, Meters: float32(m), Seconds: float32(s)},
			roads.Arc{From: b, To: a, Meters: float32(m), Seconds: float32(s)})
	}
	for j := 0; j < ny; j++ {
		for i := 0; i < nx; i++ {
			if i+1 < nx {
				// Alternate rows are faster, so quickest and nearest differ.
				link(id(i, j), id(i+1, j), kmh*(1+float64(j%2)))
			}
			if j+1 < ny {
				link(id(i, j), id(i, j+1), kmh)
			}
		}
	}
	a := int32(len(net.Nodes))
	net.Nodes = append(net.Nodes, island, orb.Point{island[0] + step, island[1]})
	link(a, a+1, kmh)
	return net
}

// dijkstraTo is a plain reverse Dijkstra over net (O(n²), tests only):
// seconds from every node to target.
func dijkstraTo(net *roads.Network, target int32) []float64 {
	n := len(net.Nodes)
	d := make([]float64, n)
	done := make([]bool, n)
	for i := range d {
		d[i] = math.Inf(1)
	}
	d[target] = 0
	for {
		u := -1
		for v := 0; v < n; v++ {
			if !done[v] && !math.IsInf(d[v], 1) && (u < 0 || d[v] < d[u]) {
				u = v
			}
		}
		if u < 0 {
			return d
		}
		done[u] = true
		for _, a := range net.Arcs {
			if int(a.To) == u {
				if nd := d[u] + float64(a.Seconds); nd < d[a.From] {
					d[a.From] = nd
				}
			}
		}
	}
}

// nearestNode scans every node.
func nearestNode(net *roads.Network, p orb.Point) (int32, float64) {
	best, bm := int32(-1), math.Inf(1)
	for i, q := range net.Nodes {
		if m := earth.DistanceKm(orb.Point{p[0], p[1]}, orb.Point{q[0], q[1]}) * 1000; m < bm {
			best, bm = int32(i), m
		}
	}
	return best, bm
}

func mustIndex(t testing.TB, ds *data.Dataset, res int) *Index {
	t.Helper()
	idx, err := NewIndex(context.Background(), ds, IndexOptions{Resolution: res})
	if err != nil {
		t.Fatal(err)
	}
	return idx
}
