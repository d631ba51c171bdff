package scenario

import (
	"slices"
	"strings"
	"testing"
	"time"

	"gopkg.in/yaml.v3"
)

func TestExamplesParse(t *testing.T) {
	names := Examples()
	if len(names) != 3 {
		t.Fatalf("examples %v, want phase 1, 2 and 3", names)
	}
	for i, n := range names {
		s, _, err := Example(n)
		if err != nil {
			t.Fatal(err)
		}
		if int(s.Phase) != i+1 || s.Dataset != "demo" {
			t.Errorf("%s: phase %d dataset %q", n, s.Phase, s.Dataset)
		}
	}
	s, _, _ := Example(DefaultExample)
	if s.Phase != 3 || s.Optimize.TimeLimit.Duration != 10*time.Minute || s.Optimize.Work != 20000 {
		t.Errorf("default example: phase %d, time limit %v, work %d", s.Phase, s.Optimize.TimeLimit, s.Optimize.Work)
	}
}

// TestPhase reads the phase as a number or the word reception, and writes
// it back the same way.
func TestPhase(t *testing.T) {
	tests := []struct {
		yaml string
		want Phase
		text string
	}{
		{"name: x", 3, "3"}, // the default
		{"phase: 1", 1, "1"},
		{"phase: '2'", 2, "2"},
		{"phase: 3", 3, "3"},
		{"phase: reception", Reception, "reception"},
		{"phase: Reception\noptimize: {model: lscp}", Reception, "reception"},
	}
	for _, tc := range tests {
		s, err := Parse([]byte(tc.yaml), "scenario.yaml")
		if err != nil {
			t.Errorf("%q: %v", tc.yaml, err)
			continue
		}
		if s.Phase != tc.want || s.Phase.String() != tc.text {
			t.Errorf("%q: phase %d (%s), want %d (%s)", tc.yaml, int(s.Phase), s.Phase, int(tc.want), tc.text)
		}
		b, err := yaml.Marshal(map[string]Phase{"phase": s.Phase})
		if err != nil || string(b) != "phase: "+tc.text+"\n" {
			t.Errorf("%q: marshalled %q (%v)", tc.yaml, b, err)
		}
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		yaml, want string
	}{
		{"phase: 4", "phase"},
		// 4 is reception's internal value: it must not be accepted as a number.
		{"phase: 4", `"4" is not 1, 2, 3 or reception`},
		{"phase: 0", "phase"},
		{"phase: receptions", `"receptions" is not 1, 2, 3 or reception`},
		{"phase: [3]", "phase"},
		{"phase: reception\noptimize: {model: mclp, p: 3}", "cannot plan reception points"},
		{"phase: reception\noptimize: {model: pmedian, p: 3}", "cannot plan reception points"},
		{"rule: {mode: some}", "rule.mode"},
		{"rule: {minutes: 0, km: 0}", "both 0"},
		{"rule: {minutes: .nan}", "rule.minutes: NaN is not in the accepted range [0, 1440]"},
		{"rule: {km: -1}", "rule.km"},
		{"h3_resolution: 4", "h3_resolution: 4 is not in the accepted range [5, 11]"},
		{"travel: {circuity: -1}", "travel.circuity: -1 is not in the accepted range [1, 5]"},
		{"travel: {circuity: 0}", "travel.circuity"},
		{"travel: {speeds_kmh: {urban: 0}}", "travel.speeds_kmh.urban: 0 is not in the accepted range (0, 200]"},
		{"travel: {speeds_kmh: {city: 30}}", "city"},
		{"travel: {access_kmh: .inf}", "travel.access_kmh"},
		{"travel: {max_snap_m: -3}", "travel.max_snap_m"},
		{"optimize: {p: -1}", "optimize.p"},
		{"optimize: {target_share: 0}", "optimize.target_share: 0 is not in the accepted range (0, 1]"},
		{"optimize: {target_share: 2}", "optimize.target_share"},
		{"optimize: {time_limit: -5s}", "optimize.time_limit: -5s"},
		{"optimize: {time_limit: 0}", "optimize.time_limit"},
		{"optimize: {time_limit: NaN}", "duration"},
		{"optimize: {time_limit: 1e300}", "duration"},
		{"optimize: {max_staff_per_point: -3}", "optimize.max_staff_per_point: -3"},
		{"optimize: {work: 0}", "optimize.work: 0"},
		{"optimize: {uncoverable: skip}", "optimize.uncoverable"},
		{"dossiers: {boundary_free_share: .nan}", "boundary_free_share: NaN"},
		{"dossiers: {norms: {urban: 0}}", "dossiers.norms.urban: 0 is not in the accepted range (0, 100000]"},
		{"dossiers: {norms: {rural: -1600}}", "dossiers.norms.rural"},
		{"dossiers: {wait_target_min: -5}", "dossiers.wait_target_min: -5"},
		{"dossiers: {rates: {remote: -0.1}}", "dossiers.rates.remote"},
		{"dossiers: {log_sample: 0}", "dossiers.log_sample"},
		{"dossiers: {growth: 0}", "dossiers.growth: 0 is not in the accepted range (0, 10]"},
		{"dossiers: {growth: 11}", "dossiers.growth"},
		{"dossiers: {growth: .nan}", "dossiers.growth"},
		{"optimize: {curve_max: -1}", "optimize.curve_max"},
		{"optimize: {curve: maybe}", "scenario"},
		{"optimize: {force_open: [a, a]}", `optimize.force_open: "a" is listed twice`},
		{"optimize: {force_open: ['']}", "optimize.force_open: an empty id"},
		{"h3_resolution: 14", "h3_resolution"},
		{"optimize: {model: pmedian}", "optimize.p"},
		{"optimize: {model: greedy}", "optimize.model"},
		{"optimize: {time_limit: soon}", "duration"},
		{"dossiers: {boundary_free_share: 1.5}", "boundary_free_share"},
		{"dossiers: {norms: {city: 2000}}", "city"},
		{"report: {lang: fr}", "report.lang"},
		{"phse: 3", "phse"},           // misspelt key
		{"rule: [30, 5]", "scenario"}, // wrong shape
	}
	for _, tc := range tests {
		_, err := Parse([]byte(tc.yaml), "scenario.yaml")
		if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "scenario.yaml") {
			t.Errorf("%q: error %v, want one naming the file and %q", tc.yaml, err, tc.want)
		}
	}
}

func TestDefaultsAndDurations(t *testing.T) {
	s, err := Parse([]byte("optimize: {time_limit: 90}\n"), "s.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if s.Optimize.TimeLimit.Duration != 90*time.Second {
		t.Errorf("time_limit 90 = %v", s.Optimize.TimeLimit)
	}
	if s.Rule.Minutes != 30 || s.Rule.Km != 5 || s.Rule.Mode != "any" || s.H3Res != 9 || s.Dossiers.WaitTargetMin != 15 {
		t.Errorf("defaults not applied: %+v", s)
	}
	s.Dir = "/x/y"
	if got := s.Resolve("log.csv"); got != "/x/y/log.csv" {
		t.Errorf("Resolve = %q", got)
	}
	if s.DatasetPath() != "demo" {
		t.Errorf("dataset path %q", s.DatasetPath())
	}
}

// The what-if keys of issue 15 parse with their defaults when absent.
func TestWhatIfKeys(t *testing.T) {
	tests := []struct {
		yaml      string
		growth    float64
		curve     bool
		curveMax  int
		forceOpen []string
	}{
		{"", 1, false, 0, nil},
		{"dossiers: {growth: 1.2}", 1.2, false, 0, nil},
		{"optimize: {curve: true, curve_max: 12}", 1, true, 12, nil},
		{"optimize: {force_open: [25741, my-site]}", 1, false, 0, []string{"25741", "my-site"}},
	}
	for _, tc := range tests {
		s, err := Parse([]byte(tc.yaml), "s.yaml")
		if err != nil {
			t.Fatalf("%q: %v", tc.yaml, err)
		}
		o := s.Optimize
		if s.Dossiers.Growth != tc.growth || o.Curve != tc.curve || o.CurveMax != tc.curveMax || !slices.Equal(o.ForceOpen, tc.forceOpen) {
			t.Errorf("%q: growth %v curve %v/%d force_open %q", tc.yaml, s.Dossiers.Growth, o.Curve, o.CurveMax, o.ForceOpen)
		}
	}
}

func TestLoadRefusesSpecialFiles(t *testing.T) {
	for _, path := range []string{"/dev/zero", t.TempDir()} {
		if _, err := Load(path); err == nil || !strings.Contains(err.Error(), "not a regular file") {
			t.Errorf("Load(%s): %v, want a refusal", path, err)
		}
	}
}
