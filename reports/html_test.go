package reports

import (
	"bytes"
	"context"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/paulmach/orb"
)

// artifactDir is where tests leave files for people to look at.
func artifactDir(t testing.TB) string {
	dir := os.Getenv("ONESTOP_ARTIFACTS")
	if dir == "" {
		dir = filepath.Join("testdata", "artifacts")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatalf("artifact directory: %v", err)
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		t.Fatal(err)
	}
	return abs
}

func TestRenderIsSelfContained(t *testing.T) {
	t.Parallel()
	for _, lang := range []Lang{Vietnamese, English} {
		t.Run(string(lang), func(t *testing.T) {
			page, err := Render(syntheticRun(1, lang))
			if err != nil {
				t.Fatal(err)
			}
			remote := regexp.MustCompile(`(?i)<script[^>]*\bsrc\s*=\s*["']?\s*(https?:)?//|<link[^>]*\bhref\s*=\s*["']?\s*(https?:)?//`)
			if m := remote.Find(page); m != nil {
				t.Errorf("page loads a remote resource: %s", m)
			}
			if regexp.MustCompile(`(?i)<script[^>]*\bsrc\s*=`).Match(page) {
				t.Errorf("page has a <script src>; everything must be inline")
			}
			if bytes.Contains(page, []byte("go-echarts.github.io")) {
				t.Error("page mentions go-echarts' CDN host")
			}
			for _, want := range []string{`<meta charset="utf-8">`, "echarts.registerMap(", "Apache", `id="map_before"`,
				`<section id="summary">`, `<section id="map">`, `<section id="distribution">`, `<section id="districts">`,
				`<section id="load">`, `<section id="merges">`, `<section id="worse">`,
				`id="map_after"`, `id="travel_hist"`, `id="office_load"`, "Phường", "Thủ Dầu Một"} {
				if !bytes.Contains(page, []byte(want)) {
					t.Errorf("page lacks %q", want)
				}
			}
			if err := os.WriteFile(filepath.Join(artifactDir(t), "report_"+string(lang)+".html"), page, 0o644); err != nil {
				t.Fatal(err)
			}
		})
	}
}

func TestRenderIsDeterministic(t *testing.T) {
	t.Parallel()
	a, err := Render(syntheticRun(3, Vietnamese))
	if err != nil {
		t.Fatal(err)
	}
	b, err := Render(syntheticRun(3, Vietnamese))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a, b) {
		t.Fatal("two renders of the same run differ")
	}
	c, err := Render(syntheticRun(4, Vietnamese))
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(a, c) {
		t.Fatal("renders of different runs are identical: the page does not depend on the data")
	}
}

func TestRenderLanguage(t *testing.T) {
	t.Parallel()
	tests := []struct {
		lang          Lang
		want, notWant []string
	}{
		{Vietnamese, []string{`<html lang="vi">`, "Tóm tắt cho lãnh đạo", "Điểm tiếp nhận liên phường", "Bộ phận Một cửa"}, []string{"Summary for leaders"}},
		{English, []string{`<html lang="en">`, "Summary for leaders", "Inter-ward point", "Communes that get worse off"}, []string{"Tóm tắt cho lãnh đạo"}},
		{"", []string{`<html lang="vi">`}, nil},
	}
	for _, tc := range tests {
		t.Run(string(tc.lang), func(t *testing.T) {
			r := syntheticRun(1, tc.lang)
			page, err := Render(r)
			if err != nil {
				t.Fatal(err)
			}
			for _, w := range tc.want {
				if !bytes.Contains(page, []byte(w)) {
					t.Errorf("missing %q", w)
				}
			}
			for _, w := range tc.notWant {
				if bytes.Contains(page, []byte(w)) {
					t.Errorf("unexpected %q", w)
				}
			}
		})
	}
}

// TestRenderEscapesNames: names come from planners' files and must not be
// able to inject markup into the tables or close the chart scripts.
func TestRenderEscapesNames(t *testing.T) {
	t.Parallel()
	r := syntheticRun(1, English)
	evil := `Xã <b>Evil</b></script><script>alert(1)</script>`
	r.Communes[0].Name = evil
	r.Communes[0].WorseOff = true
	r.Offices[0].Name = evil
	r.Merges = append(r.Merges, Merge{From: r.Offices[0].ID, To: r.Offices[1].ID, Reason: evil})
	page, err := Render(r)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(page, []byte("<script>alert(1)")) || bytes.Contains(page, []byte("<b>Evil</b>")) {
		t.Fatal("a name was inserted as raw markup")
	}
	if !bytes.Contains(page, []byte("Xã &lt;b&gt;Evil&lt;/b&gt;")) {
		t.Fatal("escaped name missing from the tables")
	}
}

func TestValidateNamesBadRecords(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		break_ func(r *Run)
		want   string
	}{
		{"language", func(r *Run) { r.Lang = "fr" }, `language "fr"`},
		{"covered above population", func(r *Run) { r.After.Covered = r.After.Population + 1 }, "After summary"},
		{"NaN minutes", func(r *Run) { r.Before.MeanMinutes = math.NaN() }, "Before summary"},
		{"overlapping bins", func(r *Run) { r.After.Histogram[1].FromMin = 1 }, "After histogram bin 1"},
		{"duplicate commune", func(r *Run) { r.Communes[1].Code = r.Communes[0].Code }, "code listed twice"},
		{"unknown district", func(r *Run) { r.Communes[2].District = "999" }, `district "999"`},
		{"share as percent", func(r *Run) { r.Communes[3].CoveredShareAfter = 87 }, "not a percentage"},
		{"open ring", func(r *Run) { r.Communes[4].Geometry = orb.MultiPolygon{{{{106, 11}, {106.1, 11}}}} }, "ring 0 has 2 points"},
		{"bad status", func(r *Run) { r.Offices[0].Status = "moved" }, `status "moved"`},
		{"merge to unknown", func(r *Run) { r.Merges = append(r.Merges, Merge{From: r.Offices[0].ID, To: "X-1"}) }, `to office "X-1"`},
		{"absorbed by closed", func(r *Run) {
			r.Offices[0].Status = Closed
			r.Offices[1].AbsorbedBy = r.Offices[0].ID
		}, "not an open office"},
		{"negative cell", func(r *Run) { r.Cells[0].Population = -5 }, "cell 0"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := syntheticRun(1, English)
			tc.break_(&r)
			_, err := Render(r)
			if err == nil {
				t.Fatal("Render accepted a bad run")
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %q does not mention %q", err, tc.want)
			}
		})
	}
}

func TestNumberFormat(t *testing.T) {
	t.Parallel()
	tests := []struct {
		lang Lang
		got  func(numberFormat) string
		want string
	}{
		{Vietnamese, func(f numberFormat) string { return f.Int(2426561) }, "2.426.561"},
		{English, func(f numberFormat) string { return f.Int(2426561) }, "2,426,561"},
		{English, func(f numberFormat) string { return f.Int(-1200) }, "-1,200"},
		{Vietnamese, func(f numberFormat) string { return f.Float(1234.56, 1) }, "1.234,6"},
		{English, func(f numberFormat) string { return f.Pct(0.9876) }, "98.8 %"},
		{English, func(f numberFormat) string { return f.SignedFloat(-0.04, 1) }, "0.0"},
		{English, func(f numberFormat) string { return f.SignedFloat(2.26, 1) }, "+2.3"},
		{English, func(f numberFormat) string { return f.SignedInt(0) }, "0"},
		{Vietnamese, func(f numberFormat) string { return f.SignedInt(12000) }, "+12.000"},
	}
	for _, tc := range tests {
		if got := tc.got(tc.lang.numbers()); got != tc.want {
			t.Errorf("%s: got %q, want %q", tc.lang, got, tc.want)
		}
	}
}

func TestCompare(t *testing.T) {
	t.Parallel()
	a := syntheticRun(1, English)
	b := syntheticRun(1, English)
	b.Scenario = "Keep all offices"
	for i := range b.Offices {
		if b.Offices[i].Status == Closed {
			b.Offices[i].Status, b.Offices[i].AbsorbedBy = Kept, ""
			b.Offices[i].StaffAfter = b.Offices[i].StaffBefore
		}
	}
	b.Merges = nil
	for i := range b.Cells {
		b.Cells[i].MinutesAfter, b.Cells[i].CoveredAfter, b.Cells[i].OfficeAfter = b.Cells[i].MinutesBefore, b.Cells[i].CoveredBefore, b.Cells[i].OfficeBefore
	}
	aggregate(&b)
	page, err := Compare(a, b)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{a.Scenario, b.Scenario, `id="map_a"`, `id="map_b"`, `id="compare_hist"`, "(B − A)",
		"Communes where the two scenarios differ most"} {
		if !bytes.Contains(page, []byte(want)) {
			t.Errorf("comparison lacks %q", want)
		}
	}
	// B keeps every office, so it has more offices than A: the delta is positive
	wantDelta := a.After.Offices < b.After.Offices
	if !wantDelta || !bytes.Contains(page, []byte("+"+English.numbers().Int(int64(b.After.Offices-a.After.Offices)))) {
		t.Errorf("office delta +%d missing", b.After.Offices-a.After.Offices)
	}
	if regexp.MustCompile(`(?i)<script[^>]*\bsrc\s*=`).Match(page) {
		t.Error("comparison has a <script src>")
	}
	again, _ := Compare(a, b)
	if !bytes.Equal(page, again) {
		t.Error("comparison is not deterministic")
	}
	if err := os.WriteFile(filepath.Join(artifactDir(t), "compare_en.html"), page, 0o644); err != nil {
		t.Fatal(err)
	}
	bad := b
	bad.Lang = "de"
	if _, err := Compare(a, bad); err == nil || !strings.Contains(err.Error(), "run B") {
		t.Errorf("Compare with a bad run B: err = %v, want it to name run B", err)
	}
}

// Files computes everything before returning: a bad run fails there, so
// the caller never starts writing a half report.
func TestFilesFailBeforeWriting(t *testing.T) {
	t.Parallel()
	files, err := Files(context.Background(), syntheticRun(2, Vietnamese))
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := files[FileReport](&b); err != nil || b.Len() < 1<<20 || !bytes.Contains(b.Bytes(), []byte(`lang="vi"`)) {
		t.Fatalf("report.html: %d bytes, %v (echarts inlined?)", b.Len(), err)
	}
	if files, err := Files(context.Background(), syntheticRun(2, "xx")); err == nil || files != nil {
		t.Fatalf("a bad run gave %d encoders and error %v", len(files), err)
	}
}

// TestRenderSparseRuns: a run may lack cells, merges, geometry or even
// everything; the page must still build and say so rather than panic.
func TestRenderSparseRuns(t *testing.T) {
	t.Parallel()
	full := syntheticRun(1, English)
	tests := []struct {
		name string
		run  Run
		want []string
	}{
		{"empty", Run{Lang: English}, []string{"The scenario merges no office.", "No commune gets worse off."}},
		{"no cells", func() Run { r := full; r.Cells = nil; return r }(), []string{`id="map_after"`}},
		{"no geometry", func() Run {
			r := full
			r.Communes = append([]CommuneRow(nil), r.Communes...)
			for i := range r.Communes {
				r.Communes[i].Geometry = nil
			}
			return r
		}(), []string{`"features":[]`}},
		{"no offices", func() Run { r := full; r.Offices, r.Merges = nil, nil; return r }(), []string{"The scenario merges no office."}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			page, err := Render(tc.run)
			if err != nil {
				t.Fatal(err)
			}
			for _, w := range tc.want {
				if !bytes.Contains(page, []byte(w)) {
					t.Errorf("page lacks %q", w)
				}
			}
			if _, err := Compare(tc.run, tc.run); err != nil {
				t.Errorf("compare: %v", err)
			}
			if err := writeExports(context.Background(), t.TempDir(), tc.run); err != nil {
				t.Errorf("exports: %v", err)
			}
		})
	}
}

func TestNiceCeil(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want float64 }{{0, 1}, {-3, 1}, {0.7, 1}, {110, 200}, {16.5, 20}, {18, 20}, {22, 25}, {250, 250}, {251, 500}, {9.9, 10}}
	for _, tc := range tests {
		if got := niceCeil(tc.in); got != tc.want {
			t.Errorf("niceCeil(%v) = %v, want %v", tc.in, got, tc.want)
		}
	}
}

// An office whose queue grows without end shows "∞" in the table and sits
// at the top of the wait axis, which scales to the finite waits.
func TestRenderUnstableQueue(t *testing.T) {
	t.Parallel()
	r := syntheticRun(5, English)
	k := -1
	for i, o := range r.Offices {
		if o.Status != Closed {
			k = i
			break
		}
	}
	r.Offices[k].WaitErlangMin, r.Offices[k].WaitSimMeanMin = UnstableWait, UnstableWait
	page, err := Render(r)
	if err != nil {
		t.Fatal(err)
	}
	lb, _ := English.labels()
	for _, want := range []string{">∞<", lb.WaitUnstable} {
		if !strings.Contains(string(page), want) {
			t.Errorf("page lacks %q", want)
		}
	}
	bar := loadChart("x", r, lb, r.Targets.withDefaults().WaitMinutes)
	snip := string(bar.RenderSnippet().Option)
	if strings.Contains(snip, "9999") || strings.Contains(snip, "20000") {
		t.Errorf("the wait axis or a dot is scaled to the unstable queue:\n%.400s", snip)
	}
	// Without an unstable office there is no such series.
	r2 := syntheticRun(5, English)
	for i := range r2.Offices {
		r2.Offices[i].WaitSimMeanMin = min(r2.Offices[i].WaitSimMeanMin, 30)
		r2.Offices[i].WaitErlangMin = min(r2.Offices[i].WaitErlangMin, 30)
	}
	if snip := string(loadChart("x", r2, lb, 15).RenderSnippet().Option); strings.Contains(snip, lb.WaitUnstable) {
		t.Error("unstable series drawn with no unstable office")
	}
}
