package reports

import (
	"bytes"
	"context"
	"encoding/csv"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// hostileNames are what an attacker can put into the names of an input
// file: markup for the tables and tooltips, text that closes the inline
// script or its string literals, and spreadsheet formulas.
var hostileNames = []string{
	`<img src=x onerror=alert(1)>`,
	`</script><script>alert(1)</script>`,
	`"'><svg onload=alert(1)>`,
	`=HYPERLINK("http://evil","x")`,
	"`${alert(1)}`'\\",
	`<img src=x onerror=window.__pwned=1>`,
	"+cmd|' /C calc'!A0",
	"@SUM(A1:A2)",
	"-2+3 & <!-- \u2028",
}

// hostile returns the i-th hostile name, cycling.
func hostile(i int) string { return hostileNames[i%len(hostileNames)] }

// hostileRun is syntheticRun with every name a planner's file can set
// replaced by a hostile one: title, dataset, scenario, districts, communes,
// offices, office flags and merge reasons. Some communes are flagged worse
// off so the worse-off table lists them too.
func hostileRun(seed uint64, lang Lang) Run {
	r := syntheticRun(seed, lang)
	r.Title, r.Dataset, r.Scenario, r.Phase = hostile(0), hostile(1), hostile(2), hostile(3)
	for i := range r.Districts {
		r.Districts[i].Name = hostile(i)
	}
	for i := range r.Communes {
		r.Communes[i].Name = hostile(i + 1)
		if i < len(hostileNames) {
			r.Communes[i].WorseOff = true
		}
	}
	for i := range r.Offices {
		r.Offices[i].Name = hostile(i + 2)
		if r.Offices[i].Flag != "" || i < len(hostileNames) {
			r.Offices[i].Flag = hostile(i + 3)
		}
	}
	for i := range r.Merges {
		r.Merges[i].Reason, r.Merges[i].ReasonLang = hostile(i+4), langOrDefault(lang)
	}
	// an engine's unknown load source and the audit's claims reach the
	// page too; the curve adds its chart and tooltip
	for i := range r.Offices {
		if i%3 == 0 {
			r.Offices[i].LoadSource = hostile(i + 5)
		}
	}
	r.Audit = &Audit{Checked: 40, ResidentsBeyondRule: 3}
	for i := range hostileNames {
		r.Audit.Mismatches = append(r.Audit.Mismatches, AuditMismatch{File: hostile(i), Claim: hostile(i + 1), Stated: hostile(i + 2), Recomputed: hostile(i + 3)})
	}
	r.Curve = &Curve{Points: []CurvePoint{{Offices: 40, MeanMinutes: 9}, {Offices: 50, MeanMinutes: 7}, {Offices: 60, MeanMinutes: 6}}, Chosen: CurvePoint{Offices: 50, MeanMinutes: 7}}
	return r
}

// markerName wraps code in go-echarts' function marker. go-echarts deletes
// the marker and the adjoining quote everywhere in its output, so a name
// like this, written into a chart option as a plain string, becomes code
// (where it is the whole string) or a syntax error that stops the chart.
// It is kept out of hostileNames so that the pages built from those still
// draw with the unescaped code of old and show the tooltip injection.
const markerName = `__f__alert(1)__f__`

// withMarkerNames puts markerName into every kind of name a chart shows.
func withMarkerNames(r Run) Run {
	r.Scenario = markerName
	r.Districts[1].Name = markerName
	for _, i := range []int{0, 5, len(r.Communes) - 1} {
		r.Communes[i].Name = markerName
	}
	for _, i := range []int{0, 4, len(r.Offices) - 1} {
		r.Offices[i].Name = markerName
	}
	return r
}

// hostileCompare is two hostile runs whose scenario names (map titles,
// histogram series and table headers) are hostile too; with marker, run B
// also carries markerName.
func hostileCompare(lang Lang, marker bool) (a, b Run) {
	a, b = hostileRun(11, lang), hostileRun(12, lang)
	a.Scenario, b.Scenario = hostile(5), hostile(1)
	if marker {
		b = withMarkerNames(b)
	}
	return a, b
}

// rawMarkup is what a hostile name would leave in the page if it were
// pasted in unescaped.
var rawMarkup = []string{"<img", "<svg", "<script>alert", "<!--"}

// inlineScripts returns the bodies of the page's script elements except
// the inlined ECharts library.
func inlineScripts(page []byte) []string {
	re := regexp.MustCompile(`(?s)<script[^>]*>(.*?)</script>`)
	var out []string
	for _, m := range re.FindAllSubmatch(page, -1) {
		if body := string(m[1]); body != echartsJS {
			out = append(out, body)
		}
	}
	return out
}

// codeOutsideStrings keeps the text of a script that is not inside a string
// literal: what the JavaScript engine would run. The scripts of this package
// have no comments and no regular expressions with quotes, so quote and
// backslash tracking is enough.
func codeOutsideStrings(script string) string {
	var b strings.Builder
	var quote byte
	for i := 0; i < len(script); i++ {
		ch := script[i]
		switch {
		case quote == 0:
			if ch == '"' || ch == '\'' || ch == '`' {
				quote = ch
				b.WriteString(" STR ")
			} else {
				b.WriteByte(ch)
			}
		case ch == '\\':
			i++
		case ch == quote:
			quote = 0
		}
	}
	return b.String()
}

// formatterFuncs returns the source of every function given as a formatter
// in a chart script, up to its matching brace.
func formatterFuncs(script string) []string {
	var out []string
	const key = `"formatter":function`
	for rest := script; ; {
		i := strings.Index(rest, key)
		if i < 0 {
			return out
		}
		rest = rest[i:]
		depth, end := 0, len(rest)
		for j := 0; j < len(rest); j++ {
			if rest[j] == '{' {
				depth++
			} else if rest[j] == '}' {
				if depth--; depth == 0 {
					end = j + 1
					break
				}
			}
		}
		out = append(out, rest[:end])
		rest = rest[end:]
	}
}

// checkNoInjection fails if a hostile name reached the page as markup, closed
// a script element, or became code in a script.
func checkNoInjection(t *testing.T, page []byte) {
	t.Helper()
	rest := bytes.ReplaceAll(page, []byte(echartsJS), nil)
	for _, m := range rawMarkup {
		if i := bytes.Index(rest, []byte(m)); i >= 0 {
			lo, hi := max(0, i-80), min(len(rest), i+80)
			t.Errorf("raw %q in the page: …%s…", m, rest[lo:hi])
		}
	}
	scripts := inlineScripts(page)
	if len(scripts) < 3 {
		t.Fatalf("found %d inline scripts besides ECharts: the page structure was broken", len(scripts))
	}
	formatters := 0
	for i, s := range scripts {
		for _, f := range formatterFuncs(s) {
			formatters++
			if !strings.Contains(f, "onestopEsc") {
				t.Errorf("script %d: tooltip formatter does not escape what it prints (ECharts inserts it as HTML): %.200s", i, f)
			}
		}
		code := codeOutsideStrings(s)
		for _, bad := range []string{"alert", "__pwned", "__f__"} {
			if j := strings.Index(code, bad); j >= 0 {
				lo, hi := max(0, j-80), min(len(code), j+80)
				t.Errorf("script %d runs %q from a name: …%s…", i, bad, code[lo:hi])
			}
		}
	}
	if formatters == 0 {
		t.Error("no tooltip formatter found in the chart scripts: the check above saw nothing")
	}
}

func TestHostileNamesHTML(t *testing.T) {
	t.Parallel()
	escaped := []string{"&lt;img src=x onerror=alert(1)&gt;", "&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;",
		"&#34;&#39;&gt;&lt;svg onload=alert(1)&gt;"}
	tests := []struct {
		name string
		page func() ([]byte, error)
		want []string // in the tables, escaped
	}{
		{"report_en", func() ([]byte, error) { return Render(hostileRun(11, English)) }, escaped},
		{"report_vi", func() ([]byte, error) { return Render(hostileRun(12, Vietnamese)) }, escaped},
		{"compare_en", func() ([]byte, error) { return Compare(hostileCompare(English, false)) }, escaped},
		{"marker_report_en", func() ([]byte, error) { return Render(withMarkerNames(hostileRun(11, English))) }, []string{markerName}},
		{"marker_compare_vi", func() ([]byte, error) { return Compare(hostileCompare(Vietnamese, true)) }, []string{markerName}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			page, err := tc.page()
			if err != nil {
				t.Fatal(err)
			}
			checkNoInjection(t, page)
			// the names still show, escaped, in the tables
			for _, want := range tc.want {
				if !bytes.Contains(page, []byte(want)) {
					t.Errorf("escaped name %q missing from the page", want)
				}
			}
			again, _ := tc.page()
			if !bytes.Equal(page, again) {
				t.Error("two renders of the same hostile run differ")
			}
			if err := os.WriteFile(filepath.Join(artifactDir(t), "hostile_"+tc.name+".html"), page, 0o644); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// TestHostileNamesCSV: every CSV cell a spreadsheet would evaluate as a
// formula is read back as text (a leading apostrophe); numbers stay numbers.
func TestHostileNamesCSV(t *testing.T) {
	t.Parallel()
	r := withMarkerNames(hostileRun(11, English))
	dir := t.TempDir()
	if err := writeExports(context.Background(), dir, r); err != nil {
		t.Fatal(err)
	}
	tables := []string{FileSummary, FileDistricts, FileCommunes, FileOffices, FileMerges, FileCells}
	formulas := 0
	for _, name := range tables {
		f, err := os.Open(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		rows, err := csv.NewReader(f).ReadAll()
		f.Close()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		for i, row := range rows {
			for j, cell := range row {
				if cell == "" || !strings.ContainsRune("=+-@\t\r", rune(cell[0])) {
					if strings.HasPrefix(cell, "'") {
						formulas++
					}
					continue
				}
				if _, err := strconv.ParseFloat(cell, 64); err != nil {
					t.Errorf("%s row %d column %d: %q would run as a formula", name, i, j, cell)
				}
			}
		}
	}
	if formulas == 0 {
		t.Fatal("no neutralised cell found: the hostile names did not reach the CSVs")
	}
	// names round-trip exactly, with the apostrophe only where needed
	f, _ := os.Open(filepath.Join(dir, FileCommunes))
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	for i, c := range r.Communes {
		want := c.Name
		if strings.ContainsRune("=+-@", rune(want[0])) {
			want = "'" + want
		}
		if got := rows[i+1][1]; got != want {
			t.Errorf("communes.csv row %d name %q, want %q", i+1, got, want)
		}
	}
}
