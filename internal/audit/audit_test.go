package audit

import (
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/onestop/onestop/coverage"
	"github.com/onestop/onestop/data"
	"github.com/onestop/onestop/data/roads"
	"github.com/onestop/onestop/optimize"
	"github.com/paulmach/orb"
	h3 "github.com/uber/h3-go/v4"
)

// The fixture: three communes too small to hold an H3 centre at
// resolution 7, so each gets the one cell of its interior point, and two
// offices due north or south of two cell centres, so their distances are
// a meridian arc: Δlat × R exactly.
const fixRes = 7

var fixPoints = []orb.Point{{106.60, 11.00}, {106.60, 11.30}, {107.00, 11.00}}

// triangle is a commune of 1e-4° around p, far smaller than a cell.
func triangle(p orb.Point) orb.MultiPolygon {
	d := 1e-4
	return orb.MultiPolygon{{{{p[0] - d, p[1] - d}, {p[0] + d, p[1] - d}, {p[0], p[1] + d}, {p[0] - d, p[1] - d}}}}
}

func centre(t *testing.T, p orb.Point) orb.Point {
	t.Helper()
	ll := h3.LatLngToCell(h3.NewLatLng(p[1], p[0]), fixRes).LatLng()
	return orb.Point{ll.Lng, ll.Lat}
}

// cosineKm is the spherical law of cosines: another formula than the
// audit's haversine, for the expected distances.
func cosineKm(a, b orb.Point) float64 {
	r := math.Pi / 180
	c := math.Sin(a[1]*r)*math.Sin(b[1]*r) + math.Cos(a[1]*r)*math.Cos(b[1]*r)*math.Cos((b[0]-a[0])*r)
	return math.Acos(math.Min(1, c)) * 6371008.8 / 1000
}

func fixture(t *testing.T) (*data.Dataset, optimize.Network, optimize.Network) {
	t.Helper()
	ds := &data.Dataset{Name: "fixture", Source: "fixture"}
	for k, p := range fixPoints {
		code := []string{"00001", "00002", "00003"}[k]
		ds.Communes = append(ds.Communes, data.Commune{Code: code, Name: "C" + code, District: "001",
			Class: data.Rural, Population: int64(1000 * (k + 1)), Geometry: triangle(p)})
	}
	c1, c2, c3 := centre(t, fixPoints[0]), centre(t, fixPoints[1]), centre(t, fixPoints[2])
	a := data.Office{ID: "A", Kind: data.OneStop, Commune: "00001", Staff: 3, Location: orb.Point{c1[0], c1[1] + 0.02}}
	b := data.Office{ID: "B", Kind: data.OneStop, Commune: "00003", Staff: 2, Location: orb.Point{c3[0], c3[1] - 0.03}}
	c := data.Office{ID: "C", Kind: data.OneStop, Commune: "00002", Staff: 1, Location: c2}
	return ds, optimize.Network{Name: "before", Offices: []data.Office{a, b, c}}, optimize.Network{Name: "after", Offices: []data.Office{a, b}}
}

func fixtureInput(t *testing.T, dir string) Input {
	ds, before, after := fixture(t)
	return Input{Dataset: ds, Resolution: fixRes, Rule: coverage.Rule{Minutes: 30, Km: 5, Mode: "any"},
		Travel: coverage.DefaultTravel(), Before: before, After: after, Dir: dir}
}

func TestFixtureKnownAnswers(t *testing.T) {
	in := fixtureInput(t, t.TempDir())
	ctx := context.Background()
	cells, err := listCells(ctx, in.Dataset, fixRes)
	if err != nil {
		t.Fatal(err)
	}
	if len(cells) != 3 {
		t.Fatalf("%d cells, want one per commune", len(cells))
	}
	tr, err := newTraveller(ctx, cells, func(int) float64 { return 35 }, nil, in.Travel)
	if err != nil {
		t.Fatal(err)
	}
	offs := []office{{ID: "A", Loc: in.After.Offices[0].Location}, {ID: "B", Loc: in.After.Offices[1].Location}}
	r, err := tr.evaluate(ctx, offs)
	if err != nil {
		t.Fatal(err)
	}
	arc := func(deg float64) float64 { return 6371008.8 / 1000 * deg * math.Pi / 180 }
	want := map[string]struct {
		pop    int64
		km     float64
		office string
	}{
		"00001": {1000, arc(0.02), "A"},
		"00002": {2000, cosineKm(centre(t, fixPoints[1]), offs[0].Loc), "A"},
		"00003": {3000, arc(0.03), "B"},
	}
	for i, c := range cells {
		code := in.Dataset.Communes[c.commune].Code
		w := want[code]
		if c.pop != w.pop {
			t.Errorf("commune %s: population %d, want %d", code, c.pop, w.pop)
		}
		if math.Abs(r.km[i]-w.km) > 1e-6 {
			t.Errorf("commune %s: %.7f km, want %.7f", code, r.km[i], w.km)
		}
		// Rural straight line: km × 1.3 ÷ 35 km/h.
		if m := w.km * 1.3 / 35 * 60; math.Abs(r.minutes[i]-m) > 1e-6 {
			t.Errorf("commune %s: %.6f min, want %.6f", code, r.minutes[i], m)
		}
		if got := offs[r.byTime[i][0]].ID; got != w.office {
			t.Errorf("commune %s: quickest office %s, want %s", code, got, w.office)
		}
	}
	res, err := Run(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	// Commune 2 is 31 km from A: beyond both thresholds.
	if res.ResidentsBeyondRule != 2000 || res.Population != 6000 || res.Cells != 3 {
		t.Errorf("beyond rule %d, population %d, cells %d; want 2000, 6000, 3", res.ResidentsBeyondRule, res.Population, res.Cells)
	}
}

// TestFixtureRoad: one-way streets count in the residents' direction.
func TestFixtureRoad(t *testing.T) {
	in := fixtureInput(t, t.TempDir())
	c1 := centre(t, fixPoints[0])
	a := in.After.Offices[0].Location
	mid := orb.Point{c1[0], (c1[1] + a[1]) / 2}
	in.Dataset.Roads = &roads.Network{Nodes: []orb.Point{c1, mid, a}, Arcs: []roads.Arc{
		{From: 0, To: 1, Seconds: 60}, {From: 1, To: 2, Seconds: 90.0004}, // towards the office: 150 s
		{From: 2, To: 1, Seconds: 100}, {From: 1, To: 0, Seconds: 100}, // back: 200 s
	}}
	ctx := context.Background()
	cells, err := listCells(ctx, in.Dataset, fixRes)
	if err != nil {
		t.Fatal(err)
	}
	tr, err := newTraveller(ctx, cells, func(int) float64 { return 35 }, in.Dataset.Roads, in.Travel)
	if err != nil {
		t.Fatal(err)
	}
	r, err := tr.evaluate(ctx, []office{{ID: "A", Loc: a}})
	if err != nil {
		t.Fatal(err)
	}
	for i, c := range cells {
		code := in.Dataset.Communes[c.commune].Code
		switch code {
		case "00001":
			// 60 s + 90.0004 s rounded to 90.000 s (whole milliseconds), no access legs.
			if r.minutes[i] != 2.5 {
				t.Errorf("commune 1: %v min, want 2.5 (150 s along the one-way arcs)", r.minutes[i])
			}
		default:
			// Farther than 2 km from every road node: unreachable.
			if !math.IsNaN(r.minutes[i]) {
				t.Errorf("commune %s: %v min, want unreachable", code, r.minutes[i])
			}
		}
	}
}

// TestClaimsFailAndHold: a correct coverage summary passes, a number off
// by more than its printed precision is a mismatch naming the claim.
func TestClaimsFailAndHold(t *testing.T) {
	tests := []struct {
		name, summary string
		fails         []string
	}{
		{"all hold", `{"population": 6000, "covered_population": 4000, "uncovered_population": 2000, "covered_pct": 66.67,
			"within_distance_pct": 66.67, "km": {"p50": 3.336}, "offices": 2}`, nil},
		{"one decimal off", `{"population": 6000, "covered_pct": 66.66, "km": {"p50": 3.336}}`, []string{"covered_pct"}},
		{"wrong count and p50", `{"covered_population": 6000, "km": {"p50": 2.224}, "offices": 3}`,
			[]string{"covered_population", "km.p50", "offices"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			if err := os.MkdirAll(filepath.Join(dir, "coverage-after"), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dir, "coverage-after", "summary.json"), []byte(tt.summary), 0o644); err != nil {
				t.Fatal(err)
			}
			res, err := Run(context.Background(), fixtureInput(t, dir))
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, m := range res.Mismatches {
				got = append(got, m.Claim)
			}
			if strings.Join(got, ",") != strings.Join(tt.fails, ",") || res.OK() != (len(tt.fails) == 0) {
				t.Errorf("mismatches %v, want %v", res.Mismatches, tt.fails)
			}
			if res.Checked == 0 {
				t.Error("nothing checked")
			}
		})
	}
}

func TestTolerance(t *testing.T) {
	tests := []struct {
		text   string
		digits int
		v      float64
		holds  bool
	}{
		{"10.6", 0, 10.6497, true},
		{"10.7", 0, 10.6497, false}, // 10.6497 → 10.65 → "10.7": double rounding
		{"10.65", 2, 10.6497, true},
		{"100", 4, 99.99996, true},  // JSON drops the zeros of 100.0000
		{"100", 4, 99.9994, false},  // … but not the precision
		{"3.316", 0, 3.3154, false}, // more than half a unit off
	}
	for _, tt := range tests {
		got := math.Abs(mustFloat(t, tt.text)-tt.v) <= tolerance(tt.text, tt.digits, tt.v)
		if got != tt.holds {
			t.Errorf("%q (digits %d) vs %v: holds %v, want %v", tt.text, tt.digits, tt.v, got, tt.holds)
		}
	}
}

func mustFloat(t *testing.T, s string) float64 {
	t.Helper()
	var v float64
	if _, err := fmtSscan(s, &v); err != nil {
		t.Fatal(err)
	}
	return v
}

func TestInID(t *testing.T) {
	s := "reach h3-8865b56c0bfffff (grid point 8865b56c0bfffff) within 27.6 min"
	for _, loc := range numberRE.FindAllStringIndex(s, -1) {
		n := s[loc[0]:loc[1]]
		if inID(s, loc[0], loc[1]) != (n != "27.6") {
			t.Errorf("%q: inID %v", n, inID(s, loc[0], loc[1]))
		}
	}
}

var fmtSscan = fmt.Sscan

// TestPlanClaimsOfTheIssue: the two contradictions issue 12 quotes — a
// closure saying every resident stays within the rule when one is 31 km
// and 69 min away, and a point above the staff cap — are reported.
func TestPlanClaimsOfTheIssue(t *testing.T) {
	dir := t.TempDir()
	in := fixtureInput(t, dir)
	base := in.Before
	in.Base = &base
	in.After.Offices[0].Staff = 45 // A after absorbing C
	in.Caps.MaxStaffPerPoint = 40
	plan := `{"unserved_minutes": 90, "kept": [{"id": "A", "staff_after": 45}, {"id": "B", "staff_after": 2}],
	  "closed": [{"id": "C", "absorbed_by": "A", "residents": 2000,
	    "why": "its 2000 residents go to A (Office A): mean 74.1 min, at most 74.1 min or 33.26 km; every one within the access rule"}]}`
	if err := os.WriteFile(filepath.Join(dir, "plan.json"), []byte(plan), 0o644); err != nil {
		t.Fatal(err)
	}
	res, err := Run(context.Background(), in)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"closed[0 C].why: every one within the access rule": "2000 residents beyond the rule",
		"closed[0 C].why: mean_minutes":                     "",
		"closed[0 C].why: max_km":                           "",
		"points[A].staff within max_staff_per_point":        "≤ 40",
		"closed[0 C].residents":                             "",
		"closed[0 C].absorbed_by":                           "",
	}
	got := map[string]string{}
	for _, m := range res.Mismatches {
		got[m.Claim] = m.Recomputed
	}
	for claim, rec := range want {
		r, ok := got[claim]
		if rec == "" {
			// These hold: the absorber and the residents are right.
			if ok {
				t.Errorf("%s reported as a mismatch (recomputed %s)", claim, r)
			}
			continue
		}
		if !ok || r != rec {
			t.Errorf("%s: recomputed %q, want %q reported; mismatches %v", claim, r, rec, res.Mismatches)
		}
	}
	if res.OK() {
		t.Error("audit passed a plan that breaks its own claims")
	}
}

// TestMismatchOneLine: a stated text quoting an audited file cannot break
// the one line per mismatch printed on stderr, nor carry a terminal escape;
// ordinary texts print as they are.
func TestMismatchOneLine(t *testing.T) {
	m := Mismatch{File: "plan.json", Claim: "closed[x\n].id", Stated: "a\x1b[2Jb", Recomputed: "é × 1.5 …", Note: "why\u202e"}
	s := m.String()
	if strings.ContainsAny(s, "\n\x1b\u202e") {
		t.Errorf("String() = %q: holds a raw control rune", s)
	}
	want := `plan.json "closed[x\n].id": stated "a\x1b[2Jb", recomputed é × 1.5 … ("why\u202e")`
	if s != want {
		t.Errorf("String() = %s, want %s", s, want)
	}
}

// TestCheckerCounts recomputes the counts a result states: every mismatch
// counted, at most maxPerClass listed per class then one closing entry
// naming how many more, and failures only off the known list.
func TestCheckerCounts(t *testing.T) {
	res := &Result{}
	c := newChecker(res, []string{"cells.csv minutes"})
	const known, other = maxPerClass + 5, 3
	for i := range known {
		c.exact("cells.csv", fmt.Sprintf("row %d minutes", i+2), "1", "2", "")
	}
	for i := range other {
		c.exact("plan.json", fmt.Sprintf("kept[%d a].staff_after", i), "1", "2", "")
	}
	c.exact("plan.json", "kept[9 a].staff_after", "2", "2", "") // holds
	c.finish()
	if res.Checked != known+other+1 || res.MismatchCount != known+other || res.Failures != other {
		t.Errorf("checked %d, mismatches %d, failures %d; want %d, %d, %d", res.Checked, res.MismatchCount, res.Failures, known+other+1, known+other, other)
	}
	if len(res.Mismatches) != maxPerClass+other+1 {
		t.Fatalf("%d mismatches listed, want %d", len(res.Mismatches), maxPerClass+other+1)
	}
	last := res.Mismatches[len(res.Mismatches)-1]
	if last.File != "cells.csv" || last.Claim != "minutes" || !last.Known || last.Note != fmt.Sprintf("%d more mismatches of this claim not listed", known-maxPerClass) {
		t.Errorf("closing entry %+v", last)
	}
	for _, m := range res.Mismatches[:len(res.Mismatches)-1] {
		if m.Known != (m.File == "cells.csv") {
			t.Errorf("%v: known %v", m, m.Known)
		}
	}
}
