package scenario

import (
	"strings"
	"testing"
	"time"
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
		if s.Phase != i+1 || s.Dataset != "demo" {
			t.Errorf("%s: phase %d dataset %q", n, s.Phase, s.Dataset)
		}
	}
	s, _, _ := Example(DefaultExample)
	if s.Phase != 3 || s.Optimize.TimeLimit.Duration != 20*time.Second {
		t.Errorf("default example: phase %d, time limit %v", s.Phase, s.Optimize.TimeLimit)
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		yaml, want string
	}{
		{"phase: 4", "phase"},
		{"rule: {mode: some}", "rule.mode"},
		{"rule: {minutes: 0, km: 0}", "not both 0"},
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
