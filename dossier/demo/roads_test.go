package demo

import (
	"fmt"
	"math"
	"strconv"
	"testing"

	"github.com/onestop/onestop/data"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
)

// roadGraph joins LineStrings at coinciding endpoints (1e-7°), as the
// roads loader does, and returns node coordinates and undirected edges.
type roadGraph struct {
	nodes   []orb.Point
	edges   [][2]int
	classes map[string]int
}

func parseRoads(t *testing.T, files map[string][]byte) roadGraph {
	t.Helper()
	fc := parseFC(t, files[fileRoads], fileRoads)
	type key struct{ x, y int64 }
	id := map[key]int{}
	g := roadGraph{classes: map[string]int{}}
	node := func(p orb.Point, end bool) int {
		k := key{int64(math.Round(p[0] * 1e7)), int64(math.Round(p[1] * 1e7))}
		if end {
			if i, ok := id[k]; ok {
				return i
			}
			id[k] = len(g.nodes)
		}
		g.nodes = append(g.nodes, p)
		return len(g.nodes) - 1
	}
	for i, f := range fc.Features {
		ls, ok := f.Geometry.(orb.LineString)
		if !ok || len(ls) < 2 {
			t.Fatalf("road %d: geometry %T with %d points, want a LineString", i+1, f.Geometry, len(ls))
		}
		hw, _ := f.Properties["highway"].(string)
		g.classes[hw]++
		if v, ok := f.Properties["maxspeed"]; ok {
			if s, ok := v.(float64); !ok || s < 20 || s > 120 {
				t.Errorf("road %d: maxspeed %v", i+1, v)
			}
		}
		prev := node(ls[0], true)
		for k := 1; k < len(ls); k++ {
			cur := node(ls[k], k == len(ls)-1)
			g.edges = append(g.edges, [2]int{prev, cur})
			prev = cur
		}
	}
	return g
}

func TestRoadsAreConnectedAndReachEveryCommune(t *testing.T) {
	t.Parallel()
	for _, seed := range seeds(t, len(testSeeds)) {
		t.Run(fmt.Sprint("seed", seed), func(t *testing.T) {
			t.Parallel()
			files := generate(t, seed)
			g := parseRoads(t, files)
			if n := len(g.nodes); n < 5000 || n > 20000 {
				t.Errorf("%d road nodes, want 5–20 k", n)
			}
			for _, c := range []string{"trunk", "primary", "secondary", "tertiary", "unclassified", "residential"} {
				if g.classes[c] == 0 {
					t.Errorf("no %s road", c)
				}
			}
			adj := make([][]int, len(g.nodes))
			for _, e := range g.edges {
				adj[e[0]] = append(adj[e[0]], e[1])
				adj[e[1]] = append(adj[e[1]], e[0])
			}
			seen := make([]bool, len(g.nodes))
			seen[0] = true
			stack := []int{0}
			reached := 1
			for len(stack) > 0 {
				n := stack[len(stack)-1]
				stack = stack[:len(stack)-1]
				for _, m := range adj[n] {
					if !seen[m] {
						seen[m] = true
						reached++
						stack = append(stack, m)
					}
				}
			}
			if reached != len(g.nodes) {
				t.Errorf("only %d of %d road nodes are connected", reached, len(g.nodes))
			}
			// every office is a road node, so every commune is reachable at its seat
			at := map[[2]int64]bool{}
			for _, p := range g.nodes {
				at[[2]int64{int64(math.Round(p[0] * 1e7)), int64(math.Round(p[1] * 1e7))}] = true
			}
			_, rows := parseCSV(t, files[fileOffices], fileOffices)
			for _, r := range rows {
				lon, _ := strconv.ParseFloat(r["lon"], 64)
				lat, _ := strconv.ParseFloat(r["lat"], 64)
				if !at[[2]int64{int64(math.Round(lon * 1e7)), int64(math.Round(lat * 1e7))}] {
					t.Errorf("office %s is not on the road network", r["id"])
				}
			}
			// the dense south has many more junctions per km² than the north
			_, polys, fc := communePolygons(t, files)
			density := map[string][2]float64{} // class -> nodes, km²
			for _, f := range fc.Features {
				code, _ := f.Properties["code"].(string)
				cls, _ := f.Properties["area_class"].(string)
				n := 0
				for _, p := range g.nodes {
					if planar.PolygonContains(polys[code], p) {
						n++
					}
				}
				if n < 3 {
					t.Errorf("commune %s holds only %d road nodes", code, n)
				}
				d := density[cls]
				d[0] += float64(n)
				_, a := planarCentroid(polys[code])
				d[1] += a * kmPerDegLon() * kmPerDegLat
				density[cls] = d
			}
			u := density[string(data.Urban)][0] / density[string(data.Urban)][1]
			r := density[string(data.Rural)][0] / density[string(data.Rural)][1]
			if u < 3*r {
				t.Errorf("urban road density %.1f nodes/km² is not well above rural %.1f", u, r)
			}
		})
	}
}

// TestEveryPlaceIsNearARoad samples the province on a 400 m lattice: every
// point must be within 1.6 km of a road node, so routing engines (which
// snap homes within 2 km) place every resident on the network.
func TestEveryPlaceIsNearARoad(t *testing.T) {
	t.Parallel()
	for _, seed := range seeds(t, len(testSeeds)) {
		t.Run(fmt.Sprint("seed", seed), func(t *testing.T) {
			t.Parallel()
			g := parseRoads(t, generate(t, seed))
			pv := built(t, seed)
			type key struct{ x, y int }
			buckets := map[key][]pt{}
			for _, n := range g.nodes {
				p := fromLonLat(n[0], n[1])
				k := key{int(math.Floor(p.X)), int(math.Floor(p.Y))}
				buckets[k] = append(buckets[k], p)
			}
			lo, hi := pv.outline.bbox()
			worst := 0.0
			for y := lo.Y; y < hi.Y; y += 0.4 {
				for x := lo.X; x < hi.X; x += 0.4 {
					p := pt{x, y}
					if !pv.outline.contains(p) {
						continue
					}
					d := math.Inf(1)
					for bx := int(math.Floor(x)) - 2; bx <= int(math.Floor(x))+2; bx++ {
						for by := int(math.Floor(y)) - 2; by <= int(math.Floor(y))+2; by++ {
							for _, q := range buckets[key{bx, by}] {
								d = math.Min(d, q.dist(p))
							}
						}
					}
					if d > 1.6 {
						lon, lat := toLonLat(p)
						t.Errorf("point %.5f,%.5f is %.2f km from the nearest road node", lon, lat, d)
					}
					worst = math.Max(worst, d)
				}
			}
			t.Logf("farthest point from a road node: %.2f km", worst)
		})
	}
}
