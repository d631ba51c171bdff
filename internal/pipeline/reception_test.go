package pipeline

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/onestop/onestop/data"
	"github.com/onestop/onestop/internal/scenario"
	"github.com/onestop/onestop/internal/testenv"
	h3 "github.com/uber/h3-go/v4"
)

// strictRule makes Hưng Yên, flat and dense, need reception points: under
// the pilot's 30 min or 5 km every resident is already within reach of a
// commune centre, which would leave nothing to check.
var strictRule = scenario.Rule{Minutes: 6, Km: 2, Mode: "any"}

func receptionScenario(t *testing.T, name string) *scenario.Scenario {
	t.Helper()
	sc, err := scenario.Load(testenv.VN2025(t, name))
	if err != nil {
		t.Fatal(err)
	}
	if sc.Phase != scenario.Reception {
		t.Fatalf("%s: phase %v, want reception", name, sc.Phase)
	}
	return sc
}

// TestReceptionHungYen is the CI-sized end-to-end run: the smallest
// province by area (provinces_2025.csv), selected from the national file
// with communes.select, planned with the strict rule, and every claim the
// plan makes about a cell checked independently (checkClaims).
func TestReceptionHungYen(t *testing.T) {
	sc := receptionScenario(t, "hungyen-reception.yaml")
	sc.Rule = strictRule
	ds, err := data.LoadFileContext(context.Background(), sc.DatasetPath())
	if err != nil {
		t.Fatal(err)
	}
	model, _, err := TravelModel(ds, travelOf(sc))
	if err != nil {
		t.Fatal(err)
	}
	st, err := receptionSettingsOf(sc, model)
	if err != nil {
		t.Fatal(err)
	}
	st.keepCells = true
	parts, _ := splitProvinces(ds, nil)
	if len(parts) != 1 || parts[0].Code != "33" {
		t.Fatalf("parts %d, first %q: want the one province 33", len(parts), parts[0].Code)
	}
	if len(parts[0].sites) == 0 {
		t.Fatal("no former commune seats among the candidates")
	}
	rows, err := solveProvinces(context.Background(), parts, st, 1, nil)
	if err != nil {
		t.Fatal(err)
	}
	r := rows[0]
	t.Logf("Hưng Yên, %g min or %g km: beyond %d → %d of %d, %d points (lower bound %d), staff %d (queue %d, standard %d), gap %.2f%%",
		sc.Rule.Minutes, sc.Rule.Km, r.BeyondBefore, r.BeyondAfter, r.Population, r.PointsAdded, r.PointsLower, r.Staff, r.QueueMin, r.StaffStandard, r.GapPct)
	if r.Population != 3116937 || r.Centres != 104 || r.Units != 104 {
		t.Errorf("population %d, centres %d, units %d: want 3,116,937 residents of 104 units, one centre each", r.Population, r.Centres, r.Units)
	}
	if r.BeyondBefore == 0 || r.PointsAdded == 0 {
		t.Fatalf("the strict rule leaves %d residents beyond and adds %d points; the test needs both", r.BeyondBefore, r.PointsAdded)
	}
	if r.BeyondAfter != r.Uncoverable {
		t.Errorf("%d residents beyond the rule after, %d uncoverable: every coverable resident must be covered", r.BeyondAfter, r.Uncoverable)
	}
	if r.PointsLower > r.Centres+r.PointsAdded || (r.Optimal && r.PointsLower != r.Centres+r.PointsAdded) {
		t.Errorf("points lower bound %d, plan %d + %d (optimal %v)", r.PointsLower, r.Centres, r.PointsAdded, r.Optimal)
	}
	checkPoints(t, r)
	checkClaims(t, r, sc, ds)
}

// checkPoints recomputes each point's staff from its own figures and the
// row's totals from the points.
func checkPoints(t *testing.T, r *ProvinceReception) {
	t.Helper()
	var q, std, staff int
	var res int64
	for _, p := range r.Points {
		if want := int(math.Floor(float64(p.Dossiers) / p.Norm)); p.StaffStandard != want {
			t.Errorf("%s: staff standard %d, want floor(%d / %g) = %d", p.ID, p.StaffStandard, p.Dossiers, p.Norm, want)
		}
		if want := max(p.QueueMin, p.StaffStandard, 1); p.Staff != want {
			t.Errorf("%s: staff %d, want max(queue %d, standard %d, 1) = %d", p.ID, p.Staff, p.QueueMin, p.StaffStandard, want)
		}
		if p.CounterDossiers > 0 && p.QueueMin < 1 {
			t.Errorf("%s: %d counter dossiers with a queue minimum of %d", p.ID, p.CounterDossiers, p.QueueMin)
		}
		if p.Residents <= 0 || len(p.Communes) == 0 || p.Source == "" {
			t.Errorf("%s: %d residents, communes %v, source %q: a point nobody is nearest to would not be needed", p.ID, p.Residents, p.Communes, p.Source)
		}
		q, std, staff, res = q+p.QueueMin, std+p.StaffStandard, staff+p.Staff, res+p.Residents
	}
	if q != r.QueueMin || std != r.StaffStandard || staff != r.Staff || len(r.Points) != r.PointsAdded {
		t.Errorf("row staff %d/%d/%d over %d points; the points sum to %d/%d/%d over %d", r.QueueMin, r.StaffStandard, r.Staff, r.PointsAdded, q, std, staff, len(r.Points))
	}
	if res > r.Population-r.BeyondAfter {
		t.Errorf("catchments hold %d residents, more than the %d covered", res, r.Population-r.BeyondAfter)
	}
}

// earthKm is the mean Earth radius (IUGG R1), written here rather than
// taken from data/earth so the check shares no code with coverage.
const earthKm = 6371.0088

func haversineKm(lon1, lat1, lon2, lat2 float64) float64 {
	rad := math.Pi / 180
	dlat, dlon := (lat2-lat1)*rad, (lon2-lon1)*rad
	a := math.Sin(dlat/2)*math.Sin(dlat/2) + math.Cos(lat1*rad)*math.Cos(lat2*rad)*math.Sin(dlon/2)*math.Sin(dlon/2)
	return 2 * earthKm * math.Asin(math.Min(1, math.Sqrt(a)))
}

// checkClaims verifies with its own haversine and its own walk over the H3
// cells of the communes' polygons (h3.PolygonToCells, not coverage's
// index) that every cell the plan calls covered lies within the rule of an
// open point (centre or reception point), and every cell it calls beyond
// the rule before lies beyond it for every centre. Minutes are the
// straight-line model's: km × circuity ÷ the speed of the cell's area
// class (docs/reception.md); a relative tolerance of 1e-6 absorbs the last
// bits of two haversine implementations.
func checkClaims(t *testing.T, r *ProvinceReception, sc *scenario.Scenario, ds *data.Dataset) {
	t.Helper()
	tr := travelOf(sc)
	var centres, open [][2]float64
	for _, o := range ds.Offices {
		centres = append(centres, [2]float64{o.Location[0], o.Location[1]})
	}
	open = append(open, centres...)
	for _, p := range r.Points {
		open = append(open, [2]float64{p.Lon, p.Lat})
	}
	within := func(c h3.Cell, class data.AreaClass, pts [][2]float64) bool {
		ll := c.LatLng()
		for _, p := range pts {
			km := haversineKm(ll.Lng, ll.Lat, p[0], p[1])
			mins := km * tr.Circuity / tr.Kmh.For(class) * 60
			if km <= sc.Rule.Km*(1+1e-6) || mins <= sc.Rule.Minutes*(1+1e-6) {
				return true
			}
		}
		return false
	}
	claims := map[h3.Cell]cellClaim{}
	var claimed int64
	for _, c := range r.cells {
		claims[c.H3] = c
		claimed += c.Population
	}
	if claimed != r.Population {
		t.Fatalf("cell claims hold %d residents, the row %d", claimed, r.Population)
	}
	// The own walk: every res-9 cell whose centre lies in a commune polygon.
	walked := map[h3.Cell]bool{}
	for _, cm := range ds.Communes {
		for _, poly := range cm.Geometry {
			gp := h3.GeoPolygon{}
			for k, ring := range poly {
				loop := make(h3.GeoLoop, len(ring))
				for i, p := range ring {
					loop[i] = h3.NewLatLng(p[1], p[0])
				}
				if k == 0 {
					gp.GeoLoop = loop
				} else {
					gp.Holes = append(gp.Holes, loop)
				}
			}
			for _, c := range h3.PolygonToCells(gp, sc.H3Res) {
				walked[c] = true
			}
		}
	}
	var inWalk, covered, checked int64
	for c, cl := range claims {
		if walked[c] {
			inWalk += cl.Population
		}
		if cl.Covered {
			covered += cl.Population
			checked++
			if !within(c, cl.Class, open) {
				t.Errorf("cell %s (%d residents) is called covered, but no open point is within %g km or %g min of its centre", c, cl.Population, sc.Rule.Km, sc.Rule.Minutes)
			}
		}
		if !cl.CoveredBefore && within(c, cl.Class, centres) {
			t.Errorf("cell %s (%d residents) is called beyond the rule of the centres, but one is within it", c, cl.Population)
		}
	}
	if covered != r.Population-r.BeyondAfter {
		t.Errorf("covered cells hold %d residents; the row says %d", covered, r.Population-r.BeyondAfter)
	}
	// The plan's cells are the walk's (up to cells given to slivers and
	// tiny units): a check over some other set would prove nothing.
	if float64(inWalk) < 0.999*float64(claimed) {
		t.Errorf("only %d of %d claimed residents lie in cells of the independent walk", inWalk, claimed)
	}
	t.Logf("independent check: %d covered cells, %d of %d residents in walked cells (%d cells walked)", checked, inWalk, claimed, len(walked))
}

// TestReceptionSameBytesAnyWorkers solves two provinces with one worker and
// with two: every output file must be byte-identical.
func TestReceptionSameBytesAnyWorkers(t *testing.T) {
	if testing.Short() {
		t.Skip("two real provinces, twice")
	}
	sc := receptionScenario(t, "hungyen-reception.yaml")
	sc.Rule = strictRule
	// Hưng Yên and Hải Phòng (the two smallest provinces by area) from
	// the national file, through a dataset.yaml with absolute paths.
	b, err := os.ReadFile(sc.DatasetPath())
	if err != nil {
		t.Fatal(err)
	}
	shared := filepath.Join(testenv.RepoRoot(t), "..", "shared", "data", "vn2025") + "/"
	spec := strings.ReplaceAll(string(b), "../../../shared/data/vn2025/", shared)
	spec = strings.Replace(spec, `select: {province_code: ["33"]}`, `select: {province_code: ["33", "31"]}`, 1)
	dsPath := filepath.Join(t.TempDir(), "two.yaml")
	if err := os.WriteFile(dsPath, []byte(spec), 0o644); err != nil {
		t.Fatal(err)
	}
	sc.Dataset = dsPath
	var outs []string
	for _, workers := range []int{1, 2} {
		dir := t.TempDir()
		if _, err := planReception(context.Background(), sc, dir, PlanOptions{LoadDataset: loadRef}, workers); err != nil {
			t.Fatal(err)
		}
		outs = append(outs, dir)
	}
	for _, f := range []string{"summary.json", ReceptionFile, "national.html"} {
		a, err := os.ReadFile(filepath.Join(outs[0], f))
		if err != nil {
			t.Fatal(err)
		}
		b, err := os.ReadFile(filepath.Join(outs[1], f))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(a, b) {
			t.Errorf("%s differs between 1 and 2 workers", f)
		}
	}
	var sum ReceptionSummary
	b, err = os.ReadFile(filepath.Join(outs[0], "summary.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &sum); err != nil {
		t.Fatal(err)
	}
	if len(sum.Provinces) != 2 || sum.Provinces[0].Code != "31" || sum.Provinces[1].Code != "33" || sum.GroupLevel != "province" {
		t.Fatalf("rows %d, group level %q: want provinces 31 then 33", len(sum.Provinces), sum.GroupLevel)
	}
	var pop, before, after int64
	var points, staff int
	for _, r := range sum.Provinces {
		pop, before, after = pop+r.Population, before+r.BeyondBefore, after+r.BeyondAfter
		points, staff = points+r.PointsAdded, staff+r.Staff
	}
	if pop != sum.Population || before != sum.BeyondBefore || after != sum.BeyondAfter || points != sum.PointsAdded || staff != sum.Staff {
		t.Errorf("national totals %d/%d/%d/%d/%d are not the rows' sums %d/%d/%d/%d/%d",
			sum.Population, sum.BeyondBefore, sum.BeyondAfter, sum.PointsAdded, sum.Staff, pop, before, after, points, staff)
	}
	// The staff columns, the centres and the stated gap (the largest of
	// the rows', not a sum) from the rows as well.
	var qmin, std, centres int
	var gap float64
	for _, r := range sum.Provinces {
		qmin, std, centres = qmin+r.QueueMin, std+r.StaffStandard, centres+r.Centres
		gap = math.Max(gap, r.GapPct)
	}
	if qmin != sum.QueueMin || std != sum.StaffStandard || centres != sum.Centres || gap != sum.MaxGapPct {
		t.Errorf("national queue minimum/standard/centres/gap %d/%d/%d/%g are not the rows' %d/%d/%d/%g",
			sum.QueueMin, sum.StaffStandard, sum.Centres, sum.MaxGapPct, qmin, std, centres, gap)
	}
	// reception.csv has one row per point, with the header of the docs.
	f, err := os.Open(filepath.Join(outs[0], ReceptionFile))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(recs[0], ",") != strings.Join(receptionHeader, ",") || len(recs)-1 != sum.PointsAdded {
		t.Errorf("reception.csv: header %v, %d rows for %d points", recs[0], len(recs)-1, sum.PointsAdded)
	}
	var csvStaff int
	for _, rec := range recs[1:] {
		n, err := strconv.Atoi(rec[14])
		if err != nil {
			t.Fatal(err)
		}
		csvStaff += n
	}
	if csvStaff != sum.Staff {
		t.Errorf("reception.csv staff sum %d, summary %d", csvStaff, sum.Staff)
	}
	html, err := os.ReadFile(filepath.Join(outs[0], "national.html"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(html, []byte("<th>Province</th>")) || bytes.Contains(html, []byte("District")) || bytes.Count(html, []byte("<svg")) != 2 {
		t.Errorf("national.html: want a Province column, no District label and two maps")
	}
	t.Logf("two provinces: beyond %d → %d of %d, %d points, staff %d", sum.BeyondBefore, sum.BeyondAfter, sum.Population, sum.PointsAdded, sum.Staff)
}

// BenchmarkReceptionNational is the whole country (34 provinces), the
// issue's ≤ 10 min and ≤ 4 GB target; run once, with /usr/bin/time -v for
// the peak RSS (docs/reception.md).
func BenchmarkReceptionNational(b *testing.B) {
	if testing.Short() {
		b.Skip("national reception plan: minutes")
	}
	sc, err := scenario.Load(testenv.VN2025(b, "national-reception.yaml"))
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := PlanReception(context.Background(), sc, b.TempDir(), PlanOptions{LoadDataset: loadRef}); err != nil {
			b.Fatal(err)
		}
	}
}
