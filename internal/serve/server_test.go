package serve

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"syscall"
	"testing"
	"time"

	"github.com/onestop/onestop/coverage"
	"github.com/onestop/onestop/data"
	"github.com/onestop/onestop/dossier"
	"github.com/onestop/onestop/dossier/demo"
	"github.com/onestop/onestop/internal/pipeline"
	"github.com/onestop/onestop/internal/scenario"
	"github.com/onestop/onestop/optimize"
	"github.com/paulmach/orb"
)

// loadDemo is the dataset loader of the tests: the embedded demo only.
func loadDemo(ctx context.Context, ref string) (*data.Dataset, error) {
	if ref != "demo" {
		return nil, fmt.Errorf("test loader: only demo, not %q", ref)
	}
	ds, err := data.LoadContext(ctx, demo.FS(), demo.DatasetFile)
	if err != nil {
		return nil, err
	}
	ds.Source = "demo"
	return ds, nil
}

func demoServer(t testing.TB) (*Server, *httptest.Server) {
	t.Helper()
	sc := scenario.Default()
	sc.Phase = 2
	s, err := New(context.Background(), Options{Scenario: &sc, LoadDataset: loadDemo})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(s.Handler())
	t.Cleanup(ts.Close)
	return s, ts
}

func post(t testing.TB, url string, body any, out any) int {
	t.Helper()
	b, _ := json.Marshal(body)
	r, err := http.Post(url, "application/json", bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	defer r.Body.Close()
	if out != nil {
		if err := json.NewDecoder(r.Body).Decode(out); err != nil {
			t.Fatal(err)
		}
	}
	return r.StatusCode
}

// TestEvaluateMatchesFullCoverage is the oracle test of the issue: 50
// random edit sequences through /api/evaluate, each compared with a full
// coverage.Evaluate of the same office set (what `onestop coverage
// --offices` runs): identical covered population and travel statistics
// (12 of them under -short).
func TestEvaluateMatchesFullCoverage(t *testing.T) {
	s, ts := demoServer(t)
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(16, 50))
	b := s.bbox
	sequences := 50
	if testing.Short() {
		sequences = 12 // the first 12 of the same 50
	}
	for seq := range sequences {
		var e Edits
		steps := 1 + rng.IntN(4)
		for st := range steps {
			switch rng.IntN(3) {
			case 0, 1:
				o := s.base.Offices[rng.IntN(len(s.base.Offices))]
				if !slices.Contains(e.Closed, o.ID) && len(e.Closed) < len(s.base.Offices)-1 {
					e.Closed = append(e.Closed, o.ID)
				}
			default:
				e.Add = append(e.Add, Point{ID: fmt.Sprintf("p%d-%d", seq, st), Kind: "inter-ward",
					Lon: b.Min[0] + rng.Float64()*(b.Max[0]-b.Min[0]), Lat: b.Min[1] + rng.Float64()*(b.Max[1]-b.Min[1])})
			}
			var got Evaluation
			code := post(t, ts.URL+"/api/evaluate", e, &got)
			// A point off every road is refused (as Evaluate refuses it).
			if code == http.StatusUnprocessableEntity && len(e.Add) > 0 {
				e.Add = e.Add[:len(e.Add)-1]
				continue
			}
			if code != http.StatusOK {
				t.Fatalf("sequence %d step %d: status %d", seq, st, code)
			}
			var offs []data.Office
			for _, o := range s.base.Offices {
				if !slices.Contains(e.Closed, o.ID) {
					offs = append(offs, o)
				}
			}
			for _, p := range e.Add {
				offs = append(offs, s.newPoint(p))
			}
			res, err := coverage.Evaluate(ctx, s.idx, offs, s.model, s.rule)
			if err != nil {
				t.Fatal(err)
			}
			want := pipeline.SummarizeNetwork(optimize.Network{Offices: offs}, res, &dossier.Result{})
			if got.CoveredPopulation != want.CoveredPopulation || got.Minutes != want.Minutes || got.Km != want.Km ||
				got.CoveredPct != want.CoveredPct || got.WithinTimePct != want.WithinTimePct || got.WithinDistancePct != want.WithinDistancePct ||
				got.Offices != want.Offices {
				t.Fatalf("sequence %d step %d (%+v):\napi      %+v\nevaluate %+v", seq, st, e, got.NetSummary, want)
			}
			// beyond_rule: the residents of the cells the rule leaves
			// uncovered, summed cell by cell.
			var beyond int64
			for i, c := range s.idx.Cells {
				if !res.Covered[i] {
					beyond += c.Population
				}
			}
			if got.BeyondRule != beyond {
				t.Fatalf("sequence %d step %d: beyond_rule %d, cells outside the rule hold %d residents", seq, st, got.BeyondRule, beyond)
			}
		}
	}
}

func TestEvaluateRefusesBadInput(t *testing.T) {
	s, ts := demoServer(t)
	id := s.base.Offices[0].ID
	for _, tc := range []struct {
		name string
		body string
		code int
	}{
		{"unknown key", `{"closed":[],"bogus":1}`, 400},
		{"trailing data", `{"closed":[]} {}`, 400},
		{"not json", `closed`, 400},
		{"unknown office", `{"closed":["no-such-office"]}`, 422},
		{"twice", `{"closed":["` + id + `","` + id + `"]}`, 422},
		{"reopen an open office", `{"open":["` + id + `"]}`, 422},
		{"point outside", `{"add":[{"id":"x","lon":0,"lat":0,"kind":"inter-ward"}]}`, 422},
		{"bad id", `{"add":[{"id":"a,b","lon":0,"lat":0}]}`, 422},
		{"id of an office", `{"add":[{"id":"` + id + `","lon":0,"lat":0}]}`, 422},
		{"bad kind", `{"add":[{"id":"x","lon":0,"lat":0,"kind":"palace"}]}`, 422},
		{"in the bound, in no commune", fmt.Sprintf(`{"add":[{"id":"x","lon":%v,"lat":%v}]}`, s.bbox.Min[0], s.bbox.Min[1]), 422},
		{"NaN is not JSON", `{"add":[{"id":"x","lon":NaN,"lat":0}]}`, 400},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, err := http.Post(ts.URL+"/api/evaluate", "application/json", bytes.NewReader([]byte(tc.body)))
			if err != nil {
				t.Fatal(err)
			}
			r.Body.Close()
			if r.StatusCode != tc.code {
				t.Errorf("status %d, want %d", r.StatusCode, tc.code)
			}
		})
	}
	big := bytes.Repeat([]byte(" "), maxBody+10)
	r, err := http.Post(ts.URL+"/api/evaluate", "application/json", bytes.NewReader(big))
	if err != nil {
		t.Fatal(err)
	}
	r.Body.Close()
	if r.StatusCode != 400 {
		t.Errorf("oversized body: status %d, want 400", r.StatusCode)
	}
	if got := s.communeAt(orb.Point{s.bbox.Min[0], s.bbox.Min[1]}); got != "" {
		t.Fatalf("the demo's bound corner lies in commune %s; the test needs a point in no commune", got)
	}
}

func TestCheckAddr(t *testing.T) {
	for _, tc := range []struct {
		addr string
		any  bool
		ok   bool
	}{
		{"127.0.0.1:8765", false, true}, {"localhost:0", false, true}, {"[::1]:80", false, true},
		{"0.0.0.0:8765", false, false}, {"192.168.1.2:80", false, false}, {":8765", false, false},
		{"0.0.0.0:8765", true, true}, {"nonsense", false, false},
	} {
		if err := CheckAddr(tc.addr, tc.any); (err == nil) != tc.ok {
			t.Errorf("CheckAddr(%q, %v) = %v, want ok=%v", tc.addr, tc.any, err, tc.ok)
		}
	}
}

// BenchmarkEditDemo is one edit over the API on the demo province: close an
// office, then reopen it, alternating.
func BenchmarkEditDemo(b *testing.B) {
	s, ts := demoServer(b)
	benchEdits(b, s, ts.URL)
}

// benchEdits reports, besides wall time, the process CPU time per edit
// (client and server, both in this process): on a machine shared with
// other work the wall time measures the queue for the CPU, the CPU time
// what an edit costs.
func benchEdits(b *testing.B, s *Server, url string) {
	b.ReportAllocs()
	cpu0 := cpuTime()
	b.ResetTimer()
	for i := range b.N {
		var e Edits
		if i%2 == 0 {
			e.Closed = []string{s.base.Offices[(i/2)%len(s.base.Offices)].ID}
		}
		var ev Evaluation
		if code := post(b, url+"/api/evaluate", e, &ev); code != http.StatusOK {
			b.Fatalf("status %d", code)
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(cpuTime()-cpu0)/1e6/float64(b.N), "cpu-ms/op")
	b.ReportMetric(float64(len(s.idx.Cells)), "cells")
	b.ReportMetric(float64(len(s.base.Offices)), "offices")
}

// cpuTime is the user+system CPU time of the process so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// TestServeShutsDown: cancelling the context (what SIGINT does through the
// command's context) stops Serve without an error.
func TestServeShutsDown(t *testing.T) {
	s, _ := demoServer(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Serve(ctx, ln) }()
	r, err := http.Get("http://" + ln.Addr().String() + "/api/state")
	if err != nil {
		t.Fatal(err)
	}
	r.Body.Close()
	if r.StatusCode != 200 || r.Header.Get("Content-Security-Policy") == "" {
		t.Errorf("state: status %d, CSP %q", r.StatusCode, r.Header.Get("Content-Security-Policy"))
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Serve after cancel: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Serve still running 10 s after its context was cancelled")
	}
}

// TestStartFromPlan: --run's plan becomes the start: its closures are
// offices closed at the start (reopenable), its new points start edits.
func TestStartFromPlan(t *testing.T) {
	sc := scenario.Default()
	ds, err := loadDemo(context.Background(), "demo")
	if err != nil {
		t.Fatal(err)
	}
	base := optimize.Phase2(ds)
	gone, near := base.Offices[3], base.Offices[10]
	plan := &optimize.Plan{Closed: []optimize.Closed{{ID: gone.ID}},
		New: []optimize.NewPoint{{ID: "iw-1/2", Lon: near.Location[0] + 0.002, Lat: near.Location[1]}}}
	s, err := New(context.Background(), Options{Scenario: &sc, LoadDataset: loadDemo, Start: plan})
	if err != nil {
		t.Fatal(err)
	}
	if want := len(base.Offices); s.startSum.Offices != want {
		t.Errorf("start network: %d offices, want %d (one closed, one new)", s.startSum.Offices, want)
	}
	if len(s.start.Add) != 1 || s.start.Add[0].ID != "iw-1-2" {
		t.Errorf("start points %+v, want the plan's point with id iw-1-2", s.start.Add)
	}
	ts := httptest.NewServer(s.Handler())
	defer ts.Close()
	var ev Evaluation
	if code := post(t, ts.URL+"/api/evaluate", Edits{Open: []string{gone.ID}, Add: s.start.Add}, &ev); code != 200 || ev.Offices != len(base.Offices)+1 {
		t.Errorf("reopen the plan's closure: status %d, %d offices", code, ev.Offices)
	}
	var bad map[string]string
	if code := post(t, ts.URL+"/api/evaluate", Edits{Open: []string{near.ID}}, &bad); code != 422 {
		t.Errorf("reopen an office open at the start: status %d", code)
	}
	other := &optimize.Plan{Closed: []optimize.Closed{{ID: "not-in-demo"}}}
	if _, err := New(context.Background(), Options{Scenario: &sc, LoadDataset: loadDemo, Start: other}); err == nil {
		t.Error("a plan closing an office the dataset lacks: want an error")
	}
}

// TestCheckLocked: a locked id must name a base office or a point added in
// the same edits.
func TestCheckLocked(t *testing.T) {
	s, _ := demoServer(t)
	o := s.base.Offices[0]
	add := []Point{{ID: "p1", Lon: o.Location[0], Lat: o.Location[1]}}
	for _, tc := range []struct {
		name   string
		e      Edits
		refuse bool
	}{
		{"office", Edits{Locked: []string{o.ID}}, false},
		{"added point", Edits{Add: add, Locked: []string{"p1"}}, false},
		{"point not added", Edits{Locked: []string{"p1"}}, true},
		{"unknown", Edits{Add: add, Locked: []string{"p2"}}, true},
	} {
		if err := s.check(tc.e); (err != nil) != tc.refuse {
			t.Errorf("%s: check = %v, want refused %v", tc.name, err, tc.refuse)
		}
	}
}
