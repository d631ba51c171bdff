package dossier

import (
	"math"
	"testing"
)

// TestErlangCTextbook checks Erlang C against published values.
func TestErlangCTextbook(t *testing.T) {
	tests := []struct {
		name     string
		c        int
		a        float64 // offered load, erlangs
		s        float64 // mean service time
		pWait    float64
		wq       float64 // mean wait, unit of s
		tolP     float64
		tolWq    float64
		citation string
	}{
		{
			name: "M/M/1 rho=0.5", c: 1, a: 0.5, s: 1, pWait: 0.5, wq: 1, tolP: 1e-12, tolWq: 1e-12,
			citation: "M/M/1 closed form: P(wait)=rho, Wq=rho/(mu-lambda) (Gross & Harris, Fundamentals of Queueing Theory, §2.2)",
		},
		{
			name: "M/M/2 rho=0.5", c: 2, a: 1, s: 1, pWait: 1.0 / 3, wq: 1.0 / 3, tolP: 1e-12, tolWq: 1e-12,
			citation: "M/M/2 closed form: P(wait)=2rho^2/(1+rho), Lq=2rho^3/(1-rho^2), Wq=Lq/lambda",
		},
		{
			name: "c=3 a=2", c: 3, a: 2, s: 1, pWait: 4.0 / 9, wq: 4.0 / 9, tolP: 1e-12, tolWq: 1e-12,
			citation: "hand computation: (a^c/c!)(c/(c-a)) = 4, sum_{k<3} a^k/k! = 5, C = 4/9; Wq = C/(c-a)",
		},
		{
			name: "call centre 100 calls/30 min, AHT 180 s, 11 agents", c: 11, a: 10, s: 180,
			pWait: 0.6821, wq: 122.8, tolP: 5e-5, tolWq: 0.05,
			citation: "Call Centre Helper, 'Erlang C formula – made simple': traffic 10 erlangs, 11 agents, P(wait) 68.21%, ASA 122.8 s",
		},
		{
			name: "120 customers/h, 3 min, 10 assistants", c: 10, a: 6, s: 3,
			pWait: 0.10, wq: 0.10 * 3 / 4, tolP: 0.005, tolWq: 0.005,
			citation: "textbook exercise read off the Erlang C curve: 'the probability of waiting is about 0.10'",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := ErlangC(tc.c, tc.a); math.Abs(got-tc.pWait) > tc.tolP {
				t.Errorf("ErlangC(%d, %v) = %.6f, want %.6f (%s)", tc.c, tc.a, got, tc.pWait, tc.citation)
			}
			if got := ErlangWait(tc.c, tc.a, tc.s); math.Abs(got-tc.wq) > tc.tolWq {
				t.Errorf("ErlangWait(%d, %v, %v) = %.6f, want %.6f (%s)", tc.c, tc.a, tc.s, got, tc.wq, tc.citation)
			}
		})
	}
}

func TestErlangCEdges(t *testing.T) {
	tests := []struct {
		name    string
		c       int
		a       float64
		wantP   float64
		wantInf bool
	}{
		{"no load", 3, 0, 0, false},
		{"load equals servers is unstable", 4, 4, 1, true},
		{"overload", 2, 5, 1, true},
		{"no server", 0, 1, 1, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := ErlangC(tc.c, tc.a); got != tc.wantP {
				t.Errorf("ErlangC(%d, %v) = %v, want %v", tc.c, tc.a, got, tc.wantP)
			}
			if got := ErlangWait(tc.c, tc.a, 10); math.IsInf(got, 1) != tc.wantInf {
				t.Errorf("ErlangWait(%d, %v) = %v, want infinite %v", tc.c, tc.a, got, tc.wantInf)
			}
		})
	}
	// Large server counts must not overflow (a^c and c! would).
	if p := ErlangC(500, 480); !(p > 0 && p < 1) {
		t.Errorf("ErlangC(500, 480) = %v, want a probability in (0,1)", p)
	}
}

func TestMinServers(t *testing.T) {
	tests := []struct {
		name            string
		a, s, target, u float64
		want            int
	}{
		{"no load needs one", 0, 12, 15, 0.85, 1},
		{"light load", 0.5, 12, 15, 0.85, 1},      // Wq(1)=12*0.5/0.5=12 <= 15
		{"occupancy binds", 0.9, 12, 60, 0.85, 2}, // Wq(1)=108 > 60 anyway; 0.9/1 > 0.85
		{"wait binds", 2.4, 12, 1, 0.85, 5},
	}
	for _, bad := range [][4]float64{{math.NaN(), 12, 15, 0.85}, {math.Inf(1), 12, 15, 0.85}, {1, 12, 0, 0.85}, {1, 12, 15, 0}, {-1, 12, 15, 0.85},
		{1, 12, 15, 1e-300}, // would need 1e300 servers: used to loop for ever
	} {
		if c := MinServers(bad[0], bad[1], bad[2], bad[3]); c != 0 {
			t.Errorf("MinServers%v = %d, want 0 (impossible)", bad, c)
		}
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := MinServers(tc.a, tc.s, tc.target, tc.u)
			if c != tc.want {
				t.Errorf("MinServers = %d, want %d", c, tc.want)
			}
			if ErlangWait(c, tc.a, tc.s) > tc.target || tc.a/float64(c) > tc.u {
				t.Errorf("%d servers miss the target", c)
			}
			if c > 1 && ErlangWait(c-1, tc.a, tc.s) <= tc.target && tc.a/float64(c-1) <= tc.u {
				t.Errorf("%d servers would already do", c-1)
			}
		})
	}
}
