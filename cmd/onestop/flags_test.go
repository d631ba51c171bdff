package main

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
)

// Bad flag values are usage errors (exit 2) whose message names the flag;
// they fail before any data is loaded.
func TestBadFlagValuesAreUsageErrors(t *testing.T) {
	t.Parallel()
	out := filepath.Join(t.TempDir(), "out")
	tests := []struct {
		args []string
		flag string
	}{
		{[]string{"optimize", "--target-share", "2"}, "--target-share"},
		{[]string{"optimize", "--target-share", "0"}, "--target-share"},
		{[]string{"optimize", "--curve-max", "-5"}, "--curve-max"},
		{[]string{"optimize", "--time-limit", "0s"}, "--time-limit"},
		{[]string{"optimize", "--time-limit", "-5s"}, "--time-limit"},
		{[]string{"optimize", "--minutes", "NaN"}, "--minutes"},
		{[]string{"optimize", "--km", "Inf"}, "--km"},
		{[]string{"optimize", "--minutes", "0", "--km", "0"}, "--minutes and --km"},
		{[]string{"optimize", "--urban-kmh", "0"}, "--urban-kmh"},
		{[]string{"optimize", "--remote-kmh", "-3"}, "--remote-kmh"},
		{[]string{"optimize", "--circuity", "0"}, "--circuity"},
		{[]string{"optimize", "--snap-m", "NaN"}, "--snap-m"},
		{[]string{"optimize", "--access-kmh", "0"}, "--access-kmh"},
		{[]string{"optimize", "--p", "-1"}, "--p"},
		{[]string{"optimize", "--model", "pmedian"}, "--p"},
		{[]string{"optimize", "--res", "99"}, "--res"},
		{[]string{"optimize", "--max-staff-per-point", "-3"}, "--max-staff-per-point"},
		{[]string{"optimize", "--search-minutes", "-1"}, "--search-minutes"},
		{[]string{"optimize", "--boundary-free", "2"}, "--boundary-free"},
		{[]string{"optimize", "--boundary-free", "-0.5"}, "--boundary-free"},
		{[]string{"optimize", "--uncoverable", "skip"}, "--uncoverable"},
		{[]string{"optimize", "--rule", "some"}, "--rule"},
		{[]string{"coverage", "--res", "99"}, "--res"},
		{[]string{"coverage", "--minutes", "-1"}, "--minutes"},
		{[]string{"coverage", "--circuity", "0.5"}, "--circuity"},
		{[]string{"simulate", "--km", "Inf"}, "--km"},
		{[]string{"simulate", "--rural-kmh", "0"}, "--rural-kmh"},
	}
	for _, tc := range tests {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			args := append(append([]string(nil), tc.args...), "--quiet", "--out", out)
			code, stdout, stderr := runCLI(t, context.Background(), args...)
			if code != 2 {
				t.Fatalf("exit %d, want 2 (usage error)\nstdout: %s\nstderr: %s", code, stdout, stderr)
			}
			if !strings.Contains(stderr, tc.flag) {
				t.Errorf("stderr does not name %s:\n%s", tc.flag, stderr)
			}
		})
	}
}
