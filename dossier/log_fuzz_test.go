package dossier

import (
	"testing"
	"testing/fstest"

	"github.com/onestop/onestop/data"
)

// FuzzLoadLog: any bytes give a log or problems, never a panic, and every
// row problem names its line.
func FuzzLoadLog(f *testing.F) {
	f.Add([]byte(header + "HS1,p,2025-03-03 08:10,2025-03-03 09:00,2025-03-03 17:00,o1,A,counter\n"))
	f.Add([]byte(header + "HS1,p,2025-03-03 08:10,,,o1,A,counter\nHS1,p,bad,,,o9,Z,walk\n"))
	f.Add([]byte(header + `x,"unterminated,2025-03-03 08:10` + "\n"))
	f.Add([]byte("id\n1\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		log, probs, err := LoadLog(fstest.MapFS{"f.csv": {Data: b}}, "f.csv", []string{"o1"}, []string{"A"})
		if err != nil {
			return
		}
		if log.Rows == 0 {
			t.Fatal("a log without rows loaded without error")
		}
		for _, p := range probs {
			// Whole-log problems (rows rejected, problems not listed) have
			// no line and are only warnings on a log that loads.
			if p.Record <= 0 && p.Severity != data.Warning {
				t.Fatalf("row problem without a line: %v", p)
			}
		}
		if log.Skipped < 0 || log.Days() < MinLogDays || float64(log.Skipped) > MaxRejectedShare*float64(log.Rows+log.Skipped) {
			t.Fatalf("rows %d skipped %d days %d: an implausible log loaded", log.Rows, log.Skipped, log.Days())
		}
		if _, err := log.CommuneRates(1); err != nil {
			t.Fatalf("a loaded log gives no rates: %v", err)
		}
	})
}
