package data

import (
	"errors"
	"math"
	"path/filepath"
	"strings"
	"testing"
)

// loadMini writes testdata/mini, edited by edit, and loads it.
func loadMini(t *testing.T, edit func(t *testing.T, f map[string]string)) (*Dataset, error) {
	t.Helper()
	files := miniFiles(t)
	if edit != nil {
		edit(t, files)
	}
	dir := t.TempDir()
	for name, content := range files {
		writeFile(t, filepath.Join(dir, name), content)
	}
	return LoadFile(filepath.Join(dir, "dataset.yaml"))
}

// TestBOMAccepted: a UTF-8 byte-order mark at the start of any text input
// loads exactly as the file without it.
func TestBOMAccepted(t *testing.T) {
	base, err := loadMini(t, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := base.Summary()
	want.Source = ""
	const bom = "\xef\xbb\xbf"
	for _, name := range []string{"dataset.yaml", "communes.geojson", "districts.csv", "offices.csv", "population.csv", "roads.geojson"} {
		t.Run(name, func(t *testing.T) {
			d, err := loadMini(t, func(t *testing.T, f map[string]string) { f[name] = bom + f[name] })
			if err != nil {
				t.Fatalf("with a BOM: %v", err)
			}
			got := d.Summary()
			got.Source = ""
			if got.String() != want.String() {
				t.Errorf("summary with a BOM:\n%s\nwithout:\n%s", got, want)
			}
		})
	}
	t.Run("offices.geojson", func(t *testing.T) {
		_, err := loadMini(t, func(t *testing.T, f map[string]string) {
			replace(t, f, "dataset.yaml", "file: offices.csv", "file: offices.geojson")
			f["offices.geojson"] = bom + `{"type":"FeatureCollection","features":[` +
				`{"type":"Feature","properties":{"id":"A"},"geometry":{"type":"Point","coordinates":[106.61,11.01]}}]}`
		})
		if err != nil {
			t.Fatalf("with a BOM: %v", err)
		}
	})
}

// TestRejectedCommuneNoCascade: a commune rejected for its own fault must
// not make the offices and grid records inside it look wrong.
func TestRejectedCommuneNoCascade(t *testing.T) {
	cases := []struct {
		name   string
		break_ func(t *testing.T, f map[string]string)
		// The office B-700 (no commune column) lies in commune 10001.
		warn string // the warning B-700 gets instead of an error
	}{
		{"bad population", func(t *testing.T, f map[string]string) {
			replace(t, f, "communes.geojson", `"pop":1000`, `"pop":9223372036854775807`)
		}, "lies in commune 10001 (Phường Một, record 1"},
		{"unknown kind", func(t *testing.T, f map[string]string) {
			replace(t, f, "communes.geojson", `"type":"Phường"`, `"type":"Khu phố"`)
		}, "which was rejected above"},
		{"unclosed ring", func(t *testing.T, f map[string]string) {
			replace(t, f, "communes.geojson", square1, `[[[106.60,11.00],[106.62,11.00],[106.62,11.02],[106.60,11.02]]]`)
		}, "which was rejected above"},
		{"no geometry", func(t *testing.T, f map[string]string) {
			replace(t, f, "communes.geojson", `{"type":"Polygon","coordinates":`+square1+`}`, `null`)
		}, "may lie in one of them"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := loadMini(t, tc.break_)
			ps := problemsOf(t, err)
			if !hasProblem(ps, Error, "communes.geojson", 1, "10001", "") {
				t.Fatalf("the commune's own error is missing:\n%v", err)
			}
			for _, p := range ps {
				if p.Severity == Error && !strings.HasSuffix(p.File, "communes.geojson") {
					t.Errorf("cascaded error: %v", p)
				}
				if strings.Contains(p.Msg, "outside every commune") && !strings.Contains(p.Msg, "that loaded") {
					t.Errorf("cascade reported as outside: %v", p)
				}
			}
			if !hasProblem(ps, Warning, "offices.csv", 1, "B-700", tc.warn) {
				t.Errorf("no warning on B-700 containing %q:\n%v", tc.warn, err)
			}
		})
	}
}

func TestSummaryOverflowIsAnError(t *testing.T) {
	cases := []struct {
		name string
		d    Dataset
		msg  string
	}{
		{"two max-int64 communes", Dataset{Name: "x", Communes: []Commune{
			{Code: "1", Population: math.MaxInt64, Class: Urban}, {Code: "2", Population: math.MaxInt64, Class: Urban}}}, "population"},
		{"wrap to a plausible total", Dataset{Name: "x", Communes: []Commune{
			{Code: "1", Population: math.MaxInt64, Class: Urban}, {Code: "2", Population: math.MaxInt64, Class: Rural},
			{Code: "3", Population: 2_357_245, Class: Rural}}}, "population"},
		{"staff", Dataset{Name: "x", Offices: []Office{{ID: "a", Staff: math.MaxInt}, {ID: "b", Staff: 1}}}, "staff"},
		{"negative population", Dataset{Name: "x", Communes: []Commune{{Code: "1", Population: -5}}}, "negative"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := tc.d.Summary()
			if s.Err == nil || !strings.Contains(s.Err.Error(), tc.msg) {
				t.Fatalf("Summary().Err = %v, want an error about %s", s.Err, tc.msg)
			}
			if tc.msg != "negative" && !errors.Is(s.Err, ErrOverflow) {
				t.Errorf("error %v does not wrap ErrOverflow", s.Err)
			}
			text := s.String()
			if !strings.Contains(text, "not computed") || strings.Contains(text, "population:  ") {
				t.Errorf("summary text prints totals despite the error:\n%s", text)
			}
		})
	}
	if _, err := (&Dataset{Communes: []Commune{{Population: math.MaxInt64}, {Population: 1}}}).TotalPopulation(); !errors.Is(err, ErrOverflow) {
		t.Errorf("TotalPopulation overflow: %v", err)
	}
}

// TestAllZeroPopulation: communes that all count 0 leave no resident to
// cover (the grid only says where the communes' residents live), so the
// dataset is refused with the fix, and nothing divides by the zero total.
func TestAllZeroPopulation(t *testing.T) {
	_, err := loadMini(t, func(t *testing.T, f map[string]string) {
		for _, p := range []string{`"pop":1000`, `"pop":2000`, `"pop":"3000"`} {
			replace(t, f, "communes.geojson", p, `"pop":0`)
		}
	})
	var ve *ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("all-zero communes: %v, want a validation error", err)
	}
	if !hasProblem(ve.Problems, Error, "communes.geojson", 0, "", "no residents to cover") {
		t.Errorf("no error about the zero communes: %v", ve.Problems)
	}
	for _, p := range ve.Problems {
		if strings.Contains(p.Msg, "NaN") || strings.Contains(p.Msg, "Inf") {
			t.Errorf("problem divides by zero: %v", p)
		}
	}
}
