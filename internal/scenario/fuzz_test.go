package scenario

import (
	"testing"
	"time"
)

// FuzzParse: any bytes give a scenario or an error naming the file, never a
// panic, and every scenario accepted passes its own range check (so no
// value reaches a run unchecked).
func FuzzParse(f *testing.F) {
	for _, n := range Examples() {
		_, b, err := Example(n)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	for _, s := range []string{"", "{}", "phase: 2", "optimize: {time_limit: 90}", "optimize: {time_limit: 1e300}",
		"rule: {minutes: .nan}", "travel: {speeds_kmh: {urban: 0}}", "dossiers: {norms: {rural: -1600}}", "- [", "&a [*a]"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		type parsed struct {
			s   *Scenario
			err error
		}
		done := make(chan parsed, 1)
		go func() { s, err := Parse(b, "fuzz.yaml"); done <- parsed{s, err} }()
		var s *Scenario
		var err error
		select {
		case r := <-done:
			s, err = r.s, r.err
		case <-time.After(2 * time.Second):
			t.Fatalf("Parse took more than 2 s on %q", b)
		}
		if err != nil {
			return
		}
		if err := s.check(); err != nil {
			t.Fatalf("accepted scenario fails its check: %v", err)
		}
		if s.Optimize.TimeLimit.Duration <= 0 {
			t.Fatalf("accepted time limit %v", s.Optimize.TimeLimit)
		}
	})
}
