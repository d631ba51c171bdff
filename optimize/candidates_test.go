package optimize

import (
	"reflect"
	"strings"
	"testing"

	"github.com/onestop/onestop/data"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
	"github.com/uber/h3-go/v4"
)

// gridCommunes is a 2×2 block of square communes (0.02° sides) sharing
// their vertices, like a topologically clean boundary file.
func gridCommunes() []data.Commune {
	var out []data.Commune
	for a := 0; a < 2; a++ {
		for b := 0; b < 2; b++ {
			x0, y0 := 106.6+0.02*float64(a), 11.0+0.02*float64(b)
			ring := orb.Ring{{x0, y0}, {x0 + 0.01, y0}, {x0 + 0.02, y0}, {x0 + 0.02, y0 + 0.01}, {x0 + 0.02, y0 + 0.02}, {x0 + 0.01, y0 + 0.02}, {x0, y0 + 0.02}, {x0, y0 + 0.01}, {x0, y0}}
			mp := orb.MultiPolygon{orb.Polygon{ring}}
			code := string(rune('1' + 2*a + b))
			out = append(out, data.Commune{Code: code, Name: "P" + code, District: "718", Class: data.Urban, Geometry: mp, Bound: mp.Bound()})
		}
	}
	return out
}

func TestBuildCandidates(t *testing.T) {
	ds := &data.Dataset{Communes: gridCommunes(), Offices: []data.Office{
		{ID: "o1", Name: "UBND 1", Kind: data.OneStop, Location: orb.Point{106.61, 11.01}, Commune: "1", Staff: 4},
		{ID: "o2", Name: "UBND 2", Kind: data.OneStop, Location: orb.Point{106.611, 11.011}, Commune: "2", Staff: 3, Locked: true},
	}}
	var cells []h3.Cell
	for _, p := range []orb.Point{{106.605, 11.005}, {106.605, 11.0051}, {106.635, 11.035}, {106.70, 11.10}} {
		cells = append(cells, h3.LatLngToCell(h3.NewLatLng(p[1], p[0]), 9))
	}
	opt := CandidateOptions{Border: true, Populated: cells, User: []UserPoint{{ID: "u1", Name: "market", Location: orb.Point{106.625, 11.025}}}}
	got, err := BuildCandidates(ds, opt)
	if err != nil {
		t.Fatal(err)
	}
	again, _ := BuildCandidates(ds, opt)
	if !reflect.DeepEqual(got, again) {
		t.Fatal("candidates differ between two runs")
	}
	kinds := map[string]int{}
	for k, c := range got {
		switch {
		case c.Existing:
			kinds["existing"]++
			if k > 1 {
				t.Errorf("existing office %s not first", c.ID)
			}
		case strings.HasPrefix(c.ID, "iw-"):
			kinds["border"]++
		case strings.HasPrefix(c.ID, "h3-"):
			kinds["h3"]++
		default:
			kinds["user"]++
		}
		inside := false
		for _, cm := range ds.Communes {
			if planar.MultiPolygonContains(cm.Geometry, c.Location) {
				inside = true
				if c.Commune != cm.Code && !c.Existing {
					t.Errorf("%s lies in commune %s but says %s", c.ID, cm.Code, c.Commune)
				}
			}
		}
		if !inside {
			t.Errorf("%s at %v is outside the province", c.ID, c.Location)
		}
		if c.Norm != 1600 {
			t.Errorf("%s: urban norm %v, want 1600", c.ID, c.Norm)
		}
	}
	// 4 edge-adjacent pairs (diagonal neighbours touch in a point only);
	// the H3 cell outside the province and the duplicate cell are dropped.
	want := map[string]int{"existing": 2, "border": 4, "h3": 2, "user": 1}
	if !reflect.DeepEqual(kinds, want) {
		t.Errorf("kinds %v, want %v", kinds, want)
	}
	if !got[1].Locked || got[0].Staff != 4 {
		t.Errorf("office attributes lost: %+v", got[:2])
	}
	// Border points sit near their shared border: x=106.62 or y=11.02.
	for _, c := range got {
		if strings.HasPrefix(c.ID, "iw-") {
			dx, dy := abs(c.Location[0]-106.62), abs(c.Location[1]-11.02)
			if min(dx, dy) > 0.0025 {
				t.Errorf("%s at %v is far from the shared border", c.ID, c.Location)
			}
		}
	}
}

func TestBuildCandidatesErrors(t *testing.T) {
	ds := &data.Dataset{Communes: gridCommunes(), Offices: []data.Office{{ID: "o1", Location: orb.Point{106.61, 11.01}, Commune: "1"}}}
	tests := []struct {
		name string
		opt  CandidateOptions
		want string
	}{
		{"user outside", CandidateOptions{User: []UserPoint{{ID: "far", Location: orb.Point{105, 10}}}}, "outside every commune"},
		{"user duplicate id", CandidateOptions{User: []UserPoint{{ID: "o1", Location: orb.Point{106.61, 11.01}}}}, "already used"},
		{"coarse cell", CandidateOptions{Populated: []h3.Cell{h3.LatLngToCell(h3.NewLatLng(11.01, 106.61), 6)}}, "coarser"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := BuildCandidates(ds, tc.opt)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want %q", err, tc.want)
			}
		})
	}
}

func TestReadUserCandidates(t *testing.T) {
	tests := []struct {
		name, in string
		want     []UserPoint
		wantErr  string
	}{
		{"csv", "id,name,lon,lat\na,Chợ A,106.6,11.0\nb,,106.7,11.1\n", []UserPoint{{"a", "Chợ A", orb.Point{106.6, 11.0}}, {"b", "b", orb.Point{106.7, 11.1}}}, ""},
		{"csv reordered", "lat,lon,id\n11,106,x\n", []UserPoint{{"x", "x", orb.Point{106, 11}}}, ""},
		{"geojson", `{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"id":"g","name":"G"},"geometry":{"type":"Point","coordinates":[106.6,11]}}]}`, []UserPoint{{"g", "G", orb.Point{106.6, 11}}}, ""},
		{"missing column", "id,name,lon\na,A,106\n", nil, `no "lat" column`},
		{"bad number", "id,lon,lat\na,east,11\n", nil, "row 2"},
		{"empty id", "id,lon,lat\n,106,11\n", nil, "empty id"},
		{"geojson line", `{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"id":"g"},"geometry":{"type":"LineString","coordinates":[[1,2],[3,4]]}}]}`, nil, "not a Point"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ReadUserCandidates("sites.txt", strings.NewReader(tc.in))
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) || !strings.Contains(err.Error(), "sites.txt") {
					t.Fatalf("error %v, want one naming the file and %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("got %+v, want %+v", got, tc.want)
			}
		})
	}
}
