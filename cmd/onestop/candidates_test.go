package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCandidateDensity: the generated candidates follow
// --candidate-resolution and --candidate-spacing-m, plan.json says which
// density the plan assumed, and the plan still passes the strict audit.
func TestCandidateDensity(t *testing.T) {
	ctx := context.Background()
	type planHead struct {
		Candidates int     `json:"candidates"`
		Res        int     `json:"candidate_resolution"`
		Spacing    float64 `json:"candidate_spacing_m"`
	}
	run := func(extra ...string) planHead {
		t.Helper()
		dir := filepath.Join(t.TempDir(), "opt")
		args := append([]string{"optimize", "--quiet", "--model", "lscp", "--strict-audit", "--fixed-seconds", "--out", dir}, extra...)
		if code, _, errs := runCLI(t, ctx, args...); code != 0 {
			t.Fatalf("%v: exit %d: %s", extra, code, errs)
		}
		b, err := os.ReadFile(filepath.Join(dir, "plan.json"))
		if err != nil {
			t.Fatal(err)
		}
		var p planHead
		if err := json.Unmarshal(b, &p); err != nil {
			t.Fatal(err)
		}
		return p
	}
	def, coarse := run(), run("--candidate-resolution", "7", "--candidate-spacing-m", "1000")
	if def.Res != 8 || def.Spacing != 250 || coarse.Res != 7 || coarse.Spacing != 1000 {
		t.Errorf("plan.json density: default %+v, coarse %+v; want resolution 8 / 250 m and 7 / 1000 m", def, coarse)
	}
	if def.Candidates == 0 || coarse.Candidates >= def.Candidates/2 {
		t.Errorf("candidates: %d at resolution 8, %d at 7 with 1 km spacing; want far fewer at 7", def.Candidates, coarse.Candidates)
	}
	for _, tc := range []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"--candidate-resolution", "10"}, 1, "finer than the population cells"},
		{[]string{"--candidate-resolution", "16"}, 2, "--candidate-resolution"},
		{[]string{"--candidate-spacing-m", "-5"}, 2, "--candidate-spacing-m"},
	} {
		dir := filepath.Join(t.TempDir(), "bad")
		code, _, errs := runCLI(t, ctx, append([]string{"optimize", "--quiet", "--out", dir}, tc.args...)...)
		if code != tc.code || !strings.Contains(errs, tc.msg) {
			t.Errorf("%v: exit %d, stderr %q; want exit %d naming %q", tc.args, code, errs, tc.code, tc.msg)
		}
	}
}
