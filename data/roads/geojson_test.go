package roads

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/onestop/onestop/data/earth"
)

// fc wraps features into a FeatureCollection.
func fc(features ...string) []byte {
	return []byte(`{"type":"FeatureCollection","features":[` + strings.Join(features, ",") + `]}`)
}

// line makes a LineString feature with raw JSON properties.
func line(props string, coords ...[2]float64) string {
	var cs []string
	for _, c := range coords {
		cs = append(cs, fmt.Sprintf("[%v,%v]", c[0], c[1]))
	}
	return `{"type":"Feature","properties":{` + props + `},"geometry":{"type":"LineString","coordinates":[` + strings.Join(cs, ",") + `]}}`
}

var (
	pA = [2]float64{106.60, 11.00}
	pB = [2]float64{106.61, 11.00}
	pC = [2]float64{106.62, 11.00}
	pD = [2]float64{106.61, 11.01}
)

func TestLoadGeoJSON(t *testing.T) {
	tests := []struct {
		name      string
		data      []byte
		opt       Options
		wantNodes int
		wantArcs  int
		wantDrop  int
		wantWays  int
	}{
		{"two-way road", fc(line(`"highway":"primary"`, pA, pB, pC)), Options{}, 3, 4, 0, 1},
		{"lines joined at shared endpoint", fc(line(`"highway":"primary"`, pA, pB), line(`"highway":"residential"`, pB, pC)), Options{}, 3, 4, 0, 2},
		{"endpoints joined after 1e-7 rounding", fc(line(`"highway":"primary"`, pA, pB), line(`"highway":"primary"`, [2]float64{106.61000000001, 11.0}, pC)), Options{}, 3, 4, 0, 2},
		{"interior vertex is not a junction (bridge)", fc(line(`"highway":"primary"`, pA, pB, pC), line(`"highway":"primary"`, pD, pB, [2]float64{106.61, 10.99})), Options{}, 3, 4, 3, 1},
		{"dangling oneway dropped by SCC", fc(line(`"highway":"primary"`, pA, pB), line(`"highway":"primary","oneway":"yes"`, pB, pC)), Options{}, 2, 2, 1, 1},
		{"oneway loop kept", fc(line(`"highway":"primary","oneway":"yes"`, pA, pB, pD, pA)), Options{}, 3, 3, 0, 1},
		{"reverse oneway loop kept", fc(line(`"highway":"primary","oneway":"-1"`, pA, pB, pD, pA)), Options{}, 3, 3, 0, 1},
		{"roundabout implies oneway", fc(line(`"highway":"primary","junction":"roundabout"`, pA, pB, pD, pA)), Options{}, 3, 3, 0, 1},
		{"boolean oneway", fc(line(`"highway":"primary","oneway":true`, pA, pB, pD, pA)), Options{}, 3, 3, 0, 1},
		{"footway skipped", fc(line(`"highway":"primary"`, pA, pB), line(`"highway":"footway"`, pB, pC)), Options{}, 2, 2, 0, 1},
		{"motorway skipped for motorbike", fc(line(`"highway":"primary"`, pA, pB), line(`"highway":"motorway","oneway":"no"`, pB, pC)), Options{}, 2, 2, 0, 1},
		{"motorway kept for car", fc(line(`"highway":"primary"`, pA, pB), line(`"highway":"motorway","oneway":"no"`, pB, pC)), Options{Profile: "car"}, 3, 4, 0, 2},
		{"missing class is a generic road", fc(line(`"name":"x"`, pA, pB)), Options{}, 2, 2, 0, 1},
		{"custom field names", fc(line(`"kind":"primary","dir":"yes"`, pA, pB, pD, pA)), Options{ClassField: "kind", OnewayField: "dir"}, 3, 3, 0, 1},
		{"multilinestring", fc(`{"type":"Feature","properties":{"highway":"tertiary"},"geometry":{"type":"MultiLineString","coordinates":[[[106.6,11],[106.61,11]],[[106.61,11],[106.62,11]]]}}`), Options{}, 3, 4, 0, 1},
		{"points ignored", fc(line(`"highway":"primary"`, pA, pB), `{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[106.6,11]}}`), Options{}, 2, 2, 0, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			net, err := LoadGeoJSON(tc.data, "roads.geojson", tc.opt)
			if err != nil {
				t.Fatal(err)
			}
			if len(net.Nodes) != tc.wantNodes || len(net.Arcs) != tc.wantArcs || net.DroppedNodes != tc.wantDrop || net.Ways != tc.wantWays {
				t.Fatalf("got %d nodes, %d arcs, %d dropped, %d ways; want %d, %d, %d, %d",
					len(net.Nodes), len(net.Arcs), net.DroppedNodes, net.Ways, tc.wantNodes, tc.wantArcs, tc.wantDrop, tc.wantWays)
			}
			checkArcs(t, net)
		})
	}
}

// checkArcs verifies every arc's length and time against its endpoints and class.
func checkArcs(t *testing.T, net *Network) {
	t.Helper()
	for i, a := range net.Arcs {
		m := earth.Distance(net.Nodes[a.From], net.Nodes[a.To])
		if math.Abs(float64(a.Meters)-m) > 1e-3*m+1e-3 {
			t.Fatalf("arc %d: %v m, haversine says %v", i, a.Meters, m)
		}
		kmh, err := Speed(net.Profile, a.Class)
		if err != nil {
			t.Fatalf("arc %d: class %v not routable for %s: %v", i, a.Class, net.Profile, err)
		}
		// maxspeed may only slow an arc down.
		if min := m / (kmh / 3.6); float64(a.Seconds) < min*(1-1e-5) {
			t.Fatalf("arc %d: %v s is faster than class speed %v km/h allows (%v s)", i, a.Seconds, kmh, min)
		}
	}
}

func TestLoadGeoJSONSpeeds(t *testing.T) {
	// 1.1 km east-west at 11°N; maxspeed 20 slows a 40 km/h primary, 90 does not speed it up.
	for _, tc := range []struct {
		props string
		kmh   float64
	}{
		{`"highway":"primary"`, 40},
		{`"highway":"primary","maxspeed":20`, 20},
		{`"highway":"primary","maxspeed":"20"`, 20},
		{`"highway":"primary","maxspeed":90`, 40},
		{`"highway":"residential"`, 20},
	} {
		net, err := LoadGeoJSON(fc(line(tc.props, pA, pB)), "r.geojson", Options{})
		if err != nil {
			t.Fatal(err)
		}
		a := net.Arcs[0]
		if got := float64(a.Meters) / float64(a.Seconds) * 3.6; math.Abs(got-tc.kmh) > 1e-3 {
			t.Errorf("%s: %v km/h, want %v", tc.props, got, tc.kmh)
		}
	}
}

func TestLoadGeoJSONErrors(t *testing.T) {
	tests := []struct {
		name string
		data []byte
		opt  Options
		want string // must appear in the error
	}{
		{"not json", []byte("highway,oneway\n"), Options{}, "roads.geojson"},
		{"no roads", fc(line(`"highway":"footway"`, pA, pB)), Options{}, "no roads"},
		{"empty collection", fc(), Options{}, "no roads"},
		{"class not a string", fc(line(`"highway":7`, pA, pB)), Options{}, "feature 1"},
		{"bad maxspeed", fc(line(`"highway":"primary"`, pA, pB), line(`"highway":"primary","maxspeed":"fast"`, pB, pC)), Options{}, "feature 2"},
		{"maxspeed object", fc(line(`"highway":"primary","maxspeed":{"v":1}`, pA, pB)), Options{}, "maxspeed"},
		{"projected coordinates", fc(line(`"highway":"primary"`, [2]float64{690000, 1220000}, pB)), Options{}, "EPSG:4326"},
		{"unknown profile", fc(line(`"highway":"primary"`, pA, pB)), Options{Profile: "bus"}, "unknown profile"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := LoadGeoJSON(tc.data, "roads.geojson", tc.opt)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want one mentioning %q", err, tc.want)
			}
		})
	}
}
