package dossier

import (
	"testing"
	"testing/fstest"
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
			if p.Record <= 0 {
				t.Fatalf("row problem without a line: %v", p)
			}
		}
		if log.Skipped < 0 || log.Days() < 1 {
			t.Fatalf("rows %d skipped %d days %d", log.Rows, log.Skipped, log.Days())
		}
	})
}
