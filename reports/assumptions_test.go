package reports

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// truthRun is the synthetic run with a curve and an audit, so every
// section and export of the report is made.
func truthRun(lang Lang) Run {
	r := syntheticRun(3, lang)
	r.Curve = &Curve{Points: []CurvePoint{{Offices: 30, MeanMinutes: 14.2}, {Offices: 40, MeanMinutes: 10.5}, {Offices: 50, MeanMinutes: 8.75}},
		Chosen: CurvePoint{Offices: 40, MeanMinutes: 10.5}}
	r.Audit = &Audit{Checked: 120}
	for i := range r.Offices {
		r.Offices[i].LoadSource = LoadFromRate
		r.Offices[i].PeakOccupancy = 0.42
	}
	return r
}

// TestNoUtilisationAnywhere: the ambiguous word is gone from the page and
// every export (CSV headers, GeoJSON and GeoPackage attributes, labels), and
// the two named measures are there instead.
func TestNoUtilisationAnywhere(t *testing.T) {
	t.Parallel()
	banned := regexp.MustCompile(`(?i)utili[sz]ation|mức tải`)
	for _, lang := range []Lang{English, Vietnamese} {
		files, err := Files(context.Background(), truthRun(lang))
		if err != nil {
			t.Fatal(err)
		}
		all := map[string][]byte{}
		for name, enc := range files {
			var b bytes.Buffer
			if err := enc(&b); err != nil {
				t.Fatal(err)
			}
			all[name] = b.Bytes()
			if m := banned.Find(b.Bytes()); m != nil {
				t.Errorf("%s %s: %q is still written", lang, name, m)
			}
		}
		if len(all) < 8 {
			t.Fatalf("%s: only %d files made", lang, len(all))
		}
		rows, err := csv.NewReader(bytes.NewReader(all[FileOffices])).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		for _, col := range []string{"productivity_vs_norm", "peak_occupancy", "wait_erlang_min", "wait_sim_mean_min", "queue_min_staff", "staff_standard", "load_source", "verdict"} {
			if !slices.Contains(rows[0], col) {
				t.Errorf("%s offices.csv header %v lacks %s", lang, rows[0], col)
			}
		}
		for _, key := range []string{"productivity_vs_norm", "peak_occupancy"} {
			if !bytes.Contains(all[FileGeoPackage], []byte(key)) {
				t.Errorf("%s export.gpkg has no %s attribute", lang, key)
			}
		}
		lb, _ := lang.labels()
		for _, label := range []string{lb.ProductivityVsNorm, lb.PeakOccupancy} {
			if !bytes.Contains(all[FileReport], []byte(htmlText(label))) {
				t.Errorf("%s report lacks the label %q", lang, label)
			}
		}
	}
}

func htmlText(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&#34;", "'", "&#39;").Replace(s)
}

// TestVerdicts: the two targets stay apart. Productivity above the norm is
// no overload (Hòa Nhơn at 160 % of it was the case that confused readers);
// only the wait overloads, only productivity below the norm under-uses.
func TestVerdicts(t *testing.T) {
	t.Parallel()
	base := OfficeRow{ID: "x", Status: Kept, StaffAfter: 5, Norm: 1600}
	tests := []struct {
		name string
		edit func(*OfficeRow)
		want []string
	}{
		{"160 % of the norm, short wait", func(o *OfficeRow) { o.Dossiers, o.WaitSimMeanMin = 12800, 3 }, nil},
		{"peak wait over the target", func(o *OfficeRow) { o.Dossiers, o.WaitErlangMin = 9000, 15.1 }, []string{VerdictOverloaded}},
		{"peak wait at the target", func(o *OfficeRow) { o.Dossiers, o.WaitErlangMin = 9000, 15 }, nil},
		{"simulated mean is shown, not judged", func(o *OfficeRow) { o.Dossiers, o.WaitSimMeanMin, o.WaitErlangMin = 9000, 40, 3 }, nil},
		{"Erlang wait when not simulated", func(o *OfficeRow) { o.Dossiers, o.WaitErlangMin = 9000, 40 }, []string{VerdictOverloaded}},
		{"below the norm", func(o *OfficeRow) { o.Dossiers, o.WaitSimMeanMin = 7999, 1 }, []string{VerdictUnderused}},
		{"given productivity wins", func(o *OfficeRow) { o.Dossiers, o.ProductivityVsNorm = 100, 1.2 }, nil},
		{"queue minimum above the standard", func(o *OfficeRow) { o.Dossiers, o.QueueMinStaff, o.StaffStandard = 1000, 2, 1 },
			[]string{VerdictUnderused, VerdictInefficient}},
		{"queue minimum at the standard", func(o *OfficeRow) { o.Dossiers, o.QueueMinStaff, o.StaffStandard = 8000, 5, 5 }, nil},
		{"standard unknown", func(o *OfficeRow) { o.Dossiers, o.QueueMinStaff = 8000, 9 }, nil},
		{"closed", func(o *OfficeRow) { o.Status, o.WaitSimMeanMin = Closed, 99 }, nil},
	}
	for _, tc := range tests {
		o := base
		tc.edit(&o)
		if got := o.verdicts(15); !slices.Equal(got, tc.want) {
			t.Errorf("%s: verdicts %v, want %v", tc.name, got, tc.want)
		}
	}
}

// TestAssumptionsFirstScreen: the first screen lists exactly the
// assumptions that hold, in the report's language, before any chart.
func TestAssumptionsFirstScreen(t *testing.T) {
	t.Parallel()
	en, _ := English.labels()
	nf := English.numbers()
	tests := []struct {
		name   string
		a      Assumptions
		source string  // every office's LoadSource
		growth float64 // Run.DossierGrowth
		want   []string
	}{
		{"straight line and generated offices", Assumptions{OfficesGenerated: 91, StaffAssumed: 91, StraightLine: true, Circuity: 1.3}, "", 0,
			[]string{fmt.Sprintf(en.AssumeGenerated, 91), fmt.Sprintf(en.AssumeStraight, "1.30")}},
		{"road graph and recorded counts", Assumptions{}, LoadFromRecorded, 0, []string{en.NoAssumptions}},
		{"dossier log", Assumptions{}, LoadFromLog, 0, []string{en.NoAssumptions}},
		{"staff only assumed", Assumptions{StaffAssumed: 4}, LoadFromRecorded, 0, []string{fmt.Sprintf(en.AssumeStaff, 4)}},
		{"rates, counts unused, time limit", Assumptions{RecordedUnused: 12, StoppedBy: "time limit", GapPct: 3.26}, LoadFromRate, 0,
			[]string{"", fmt.Sprintf(en.AssumeRecordedUnused, 12), fmt.Sprintf(en.AssumeStopped, "time limit", "3.26")}},
		{"optimal search states nothing", Assumptions{StoppedBy: "optimal"}, LoadFromRecorded, 0, []string{en.NoAssumptions}},
		{"work budget", Assumptions{StoppedBy: "work budget", GapPct: 0}, LoadFromRecorded, 0, []string{fmt.Sprintf(en.AssumeStopped, "work budget", "0.00")}},
		{"excluded residents and growth", Assumptions{ExcludedResidents: 12345, ExcludedCommunes: 2}, LoadFromRecorded, 1.2,
			[]string{fmt.Sprintf(en.AssumeExcluded, "12,345", 2), fmt.Sprintf(en.AssumeGrowth, "1.20")}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := syntheticRun(5, English)
			r.Assumptions, r.DossierGrowth = tc.a, tc.growth
			open := 0
			for i := range r.Offices {
				r.Offices[i].LoadSource = tc.source
				if r.Offices[i].Status != Closed {
					open++
				}
			}
			want := slices.Clone(tc.want)
			if tc.source == LoadFromRate {
				want[0] = fmt.Sprintf(en.AssumeRates, open, open)
			}
			got := assumptionSentences(r, nf, en)
			if !slices.Equal(got, want) {
				t.Fatalf("assumptions\n got %q\nwant %q", got, want)
			}
			page, err := Render(r)
			if err != nil {
				t.Fatal(err)
			}
			first := bytes.Index(page, []byte(`<section id="assumptions">`))
			chart := bytes.Index(page, []byte(`class="item"`))
			if first < 0 || chart < 0 || first > chart {
				t.Fatalf("assumptions at %d, first chart at %d: the assumptions must come first", first, chart)
			}
			section := page[first : first+bytes.Index(page[first:], []byte("</section>"))]
			for _, s := range want {
				if !bytes.Contains(section, []byte(htmlText(s))) {
					t.Errorf("first screen lacks %q", s)
				}
			}
			// sentences that do not hold are absent
			for _, s := range []string{en.AssumeGenerated, en.AssumeStraight, en.AssumeRates, en.AssumeStopped, en.AssumeExcluded} {
				stem, _, _ := strings.Cut(s, "%")
				if !slices.ContainsFunc(want, func(w string) bool { return strings.HasPrefix(w, stem) }) && bytes.Contains(section, []byte(htmlText(stem))) {
					t.Errorf("first screen states %q, which does not hold", stem)
				}
			}
		})
	}
}

// TestLargestPoint: the first screen names the point with most staff, as
// the report names it, with its staff and dossiers.
func TestLargestPoint(t *testing.T) {
	t.Parallel()
	en, _ := English.labels()
	r := Run{Lang: English, Offices: []OfficeRow{
		{ID: "A", Name: "Alpha", Status: Kept, StaffAfter: 12, Dossiers: 9000},
		{ID: "8865b560a1fffff", Name: "grid point 8865b560a1fffff", NameGenerated: true, Status: New, StaffAfter: 173, Dossiers: 276800},
		{ID: "C", Name: "Closed big", Status: Closed, StaffBefore: 400},
		{ID: "B", Name: "Beta", Status: Kept, StaffAfter: 173, Dossiers: 1000},
	}}
	got := largestPoint(r, English.numbers(), en)
	want := fmt.Sprintf(en.LargestPoint, "grid point 8865b560a1fffff (8865b560a1fffff)", 173, "276,800")
	if got != want {
		t.Errorf("largest point %q, want %q", got, want)
	}
	if got := largestPoint(Run{}, English.numbers(), en); got != "" {
		t.Errorf("no office: %q, want nothing", got)
	}
}

// curveSeries finds each series of the trade-off chart's option: its data
// (keys are written sorted, so data comes first), name and type.
var curveSeries = regexp.MustCompile(`"data":(\[\[[-0-9.,\[\]]*?\]\]),.*?"name":"([^"]*)".*?"type":"(line|scatter)"`)

// TestCurveMarksChosenPlan: the trade-off chart draws the curve and marks
// the adopted plan at its own offices and minutes; a run without a curve
// has no such section.
func TestCurveMarksChosenPlan(t *testing.T) {
	t.Parallel()
	r := truthRun(English)
	en, _ := English.labels()
	page, err := Render(r)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(page, []byte(`<section id="curve">`)) {
		t.Fatal("no curve section")
	}
	var script string
	for _, s := range inlineScripts(page) {
		if strings.Contains(s, "option_tradeoff_curve") {
			script = s
		}
	}
	if script == "" {
		t.Fatal("no script draws the curve")
	}
	series := map[string]string{}
	for _, m := range curveSeries.FindAllStringSubmatch(script, -1) {
		series[m[2]+"/"+m[3]] = m[1]
	}
	if got, want := series[en.CurveSeries+"/line"], "[[30,14.2],[40,10.5],[50,8.75]]"; got != want {
		t.Errorf("curve data %s, want %s (series %v)", got, want, series)
	}
	if got, want := series[en.ChosenPlan+"/scatter"], "[[40,10.5]]"; got != want {
		t.Errorf("chosen plan marked at %s, want %s (series %v)", got, want, series)
	}
	r.Curve = nil
	page, err = Render(r)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(page, []byte(`id="curve"`)) || bytes.Contains(page, []byte("tradeoff_curve")) {
		t.Error("a run without a curve shows a curve section")
	}
}

// TestAuditSection: a clean audit is one green line; mismatches are listed
// in red, their texts escaped.
func TestAuditSection(t *testing.T) {
	t.Parallel()
	en, _ := English.labels()
	r := truthRun(English)
	page, err := Render(r)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`class="audit audit-ok"`, "Audit: 120 claims recomputed, 0 mismatches.", fmt.Sprintf(en.AuditBeyond, "0")} {
		if !bytes.Contains(page, []byte(want)) {
			t.Errorf("clean audit: page lacks %q", want)
		}
	}
	r.Audit = &Audit{Checked: 120, ResidentsBeyondRule: 1500, Mismatches: []AuditMismatch{
		{File: "plan.json", Claim: `closed[3].why (<b>OS-1</b>)`, Stated: "42.6 min", Recomputed: "`${alert(1)}`"},
		{File: "summary.json", Claim: "after.minutes.mean", Stated: "4.9", Recomputed: "33.9"},
	}}
	page, err = Render(r)
	if err != nil {
		t.Fatal(err)
	}
	checkNoInjection(t, page)
	for _, want := range []string{`class="audit audit-bad"`, "Audit: 120 claims recomputed, 2 mismatches:", "closed[3].why (&lt;b&gt;OS-1&lt;/b&gt;)",
		"<td>33.9</td>", fmt.Sprintf(en.AuditBeyond, "1,500")} {
		if !bytes.Contains(page, []byte(want)) {
			t.Errorf("audit with mismatches: page lacks %q", want)
		}
	}
	if bytes.Contains(page, []byte("<b>OS-1</b>")) {
		t.Error("a mismatch's claim is written as markup")
	}
	r.Audit = nil
	page, _ = Render(r)
	if bytes.Contains(page, []byte(`id="audit"`)) {
		t.Error("an unaudited run shows an audit section")
	}
}

// TestOfficesCSVVerdict: offices.csv says "overloaded" only for a wait
// breach, whatever the engine's flag said; a planner's own flag stays.
func TestOfficesCSVVerdict(t *testing.T) {
	t.Parallel()
	r := Run{Lang: English, Offices: []OfficeRow{
		// the engine flagged it for peak occupancy, but its wait is short
		{ID: "busy", Status: Kept, StaffAfter: 4, Dossiers: 9000, Norm: 1600, PeakOccupancy: 0.9, WaitSimMeanMin: 3, Flag: "overloaded"},
		{ID: "slow", Status: Kept, StaffAfter: 4, Dossiers: 9000, Norm: 1600, WaitErlangMin: 20, Flag: "ok"},
		{ID: "small", Status: Kept, StaffAfter: 4, Dossiers: 3200, Norm: 1600, WaitSimMeanMin: 1, QueueMinStaff: 2, StaffStandard: 2, Flag: "lease ends 2026"},
	}}
	tb := officesTable(r, namesOf(r))
	col := func(name string) int { return slices.Index(tb.header(), name) }
	want := map[string][2]string{"busy": {"", ""}, "slow": {"overloaded", ""}, "small": {"underused", "lease ends 2026"}}
	for _, rec := range tb.records()[1:] {
		w := want[rec[0]]
		if got := [2]string{rec[col("verdict")], rec[col("flag")]}; got != w {
			t.Errorf("%s: verdict, flag %q, want %q", rec[0], got, w)
		}
	}
	if got := tb.records()[1][col("productivity_vs_norm")]; got != "1.4062" {
		t.Errorf("busy productivity_vs_norm %s, want 1.4062 (9000 / 4 / 1600 = 1.40625, printed by strconv)", got)
	}
}
