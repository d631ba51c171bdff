package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestSimulateFlagRanges: a flag value outside its range is a usage error
// (exit 2) naming the flag, before any data is read.
func TestSimulateFlagRanges(t *testing.T) {
	t.Parallel()
	out := filepath.Join(t.TempDir(), "sim")
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"--log-sample", "0"}, "--log-sample: log_sample 0 is out of range"},
		{[]string{"--log-sample", "NaN"}, "--log-sample: log_sample NaN"},
		{[]string{"--log-sample", "1.5"}, "log_sample 1.5"},
		{[]string{"--log-sample", "-0.5"}, "log_sample -0.5"},
		{[]string{"--boundary-free", "-0.1"}, "--boundary-free: boundary_free -0.1"},
		{[]string{"--boundary-free", "1.1"}, "boundary_free 1.1"},
		{[]string{"--boundary-free", "NaN"}, "boundary_free NaN"},
		{[]string{"--wait-target", "-1"}, "--wait-target: wait_target_min -1"},
		{[]string{"--wait-target", "0"}, "wait_target_min 0"},
		{[]string{"--wait-target", "+Inf"}, "wait_target_min +Inf"},
		{[]string{"--year", "0"}, "--year: year 0 is out of range"},
		{[]string{"--year", "300000"}, "year 300000"},
		{[]string{"--year", "1999"}, "year 1999"},
	}
	for _, tc := range tests {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			args := append([]string{"simulate", "--quiet", "--out", out}, tc.args...)
			code, _, errs := runCLI(t, context.Background(), args...)
			if code != 2 || !strings.Contains(errs, tc.want) {
				t.Errorf("exit %d, want 2, with %q in stderr:\n%s", code, tc.want, errs)
			}
		})
	}
}

// TestSimulateRefusesImplausibleLog: a log dated on one day, or with most
// rows rejected, stops the run (exit 1) with the numbers, instead of giving
// a yearly demand from it.
func TestSimulateRefusesImplausibleLog(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	const hdr = "id,procedure,received_at,returned_at,due_at,office,applicant_commune,channel\n"
	oneDay, mostlyBad := hdr, hdr
	for i := range 100 {
		oneDay += fmt.Sprintf("d%d,p,2024-03-04 %02d:%02d,,,MC-25741,25741,counter\n", i, 8+i/60, i%60)
		row := fmt.Sprintf("b%d,p,2024-03-04 09:00,,,MC-25741,25741,counter\n", i)
		if i%10 != 0 {
			row = strings.Replace(row, "2024-", "1900-", 1)
		}
		mostlyBad += row
	}
	tests := []struct {
		file, content string
		want          []string
	}{
		{"one-day.csv", oneDay, []string{"one-day.csv", "1 day(s): too short to estimate a yearly volume"}},
		{"mostly-1900.csv", mostlyBad, []string{"mostly-1900.csv", "90 of 100 rows rejected (90 %)", "outside the plausible range"}},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			log := filepath.Join(dir, tc.file)
			if err := os.WriteFile(log, []byte(tc.content), 0o644); err != nil {
				t.Fatal(err)
			}
			code, _, errs := runCLI(t, context.Background(), "simulate", "--quiet", "--skip-sim", "--dossiers", log, "--out", filepath.Join(dir, "out"))
			if code != 1 {
				t.Fatalf("exit %d, want 1:\n%s", code, errs)
			}
			for _, w := range tc.want {
				if !strings.Contains(errs, w) {
					t.Errorf("stderr lacks %q:\n%s", w, errs)
				}
			}
		})
	}
}

// TestSimulateShowsLogSpan: the run says which span and rows the yearly
// volumes rest on, and the volumes of the demo are unchanged: the offices'
// recorded counts (three districts) first, the log for the other communes.
func TestSimulateShowsLogSpan(t *testing.T) {
	t.Parallel()
	code, out, errs := runCLI(t, context.Background(), "simulate", "--quiet", "--skip-sim", "--out", filepath.Join(t.TempDir(), "sim"))
	if code != 0 {
		t.Fatalf("exit %d:\n%s", code, errs)
	}
	for _, w := range []string{"dossier log dossiers.csv: 2024-01-01 to 2024-12-31 (366 days), 10381 rows used, 0 rejected", "1081617 dossiers/year", "offices by load source: log 59, mixed 10, recorded 32",
		"staff needed 215, justified 666, available 698"} {
		if !strings.Contains(out, w) {
			t.Errorf("stdout lacks %q:\n%s", w, out)
		}
	}
}
