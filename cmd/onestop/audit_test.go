package main

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/onestop/onestop/internal/audit"
	"github.com/onestop/onestop/internal/pipeline"
)

func TestAuditOutcome(t *testing.T) {
	var ms []audit.Mismatch
	for i := range 12 {
		ms = append(ms, audit.Mismatch{File: "plan.json", Claim: "closed[" + string(rune('a'+i)) + "].max_km", Stated: "1.000", Recomputed: "2.0000"})
	}
	known := &audit.Result{Mismatches: []audit.Mismatch{{File: "plan.json", Claim: "x", Known: true}}, MismatchCount: 1}
	failing := &audit.Result{Mismatches: ms, MismatchCount: 12, Failures: 12}
	tests := []struct {
		name    string
		r       *audit.Result
		strict  bool
		fails   bool
		lines   int // printed on stderr
		mention string
	}{
		{"clean", &audit.Result{Mismatches: []audit.Mismatch{}}, true, false, 0, ""},
		{"known only, strict", known, true, false, 2, "[known]"},
		{"mismatches, lenient", failing, false, false, 1 + 10 + 1, "and 2 more"},
		{"mismatches, strict", failing, true, true, 12, "stated 1.000, recomputed 2.0000"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var w bytes.Buffer
			err := auditOutcome(&w, tt.r, tt.strict)
			var ae *pipeline.AuditError
			if (err != nil) != tt.fails || err != nil && !errors.As(err, &ae) {
				t.Fatalf("error %v, want failure %v", err, tt.fails)
			}
			out := w.String()
			if n := strings.Count(out, "\n"); n != tt.lines || !strings.Contains(out, tt.mention) {
				t.Errorf("%d lines, want %d mentioning %q:\n%s", n, tt.lines, tt.mention, out)
			}
		})
	}
}
