// Package serve is `onestop serve`: a local planning page and its JSON API
// (docs/serve.md). It loads one dataset and scenario, keeps the coverage of
// the edited network in a coverage.Incremental, so closing, reopening or
// adding one point re-evaluates only the cells it can change, and answers
// every edit with the keys of summary.json's "after" block (built by
// pipeline.SummarizeNetwork, the function `onestop plan` uses). Requests
// are untrusted: bodies are size-limited and strictly decoded, ids checked
// against the dataset, coordinates against the province, at most one
// optimize job runs at a time, and no file path is ever read from a request.
package serve

import (
	"context"
	"embed"
	"fmt"
	"io"
	"io/fs"
	"math"
	"net"
	"net/http"
	"path/filepath"
	"slices"
	"sync"
	"time"

	"github.com/onestop/onestop/coverage"
	"github.com/onestop/onestop/data"
	"github.com/onestop/onestop/data/earth"
	"github.com/onestop/onestop/dossier"
	"github.com/onestop/onestop/internal/pipeline"
	"github.com/onestop/onestop/internal/scenario"
	"github.com/onestop/onestop/optimize"
	"github.com/onestop/onestop/reports"
	"github.com/paulmach/orb"
)

//go:embed assets
var assets embed.FS

// Options say what the server plans.
type Options struct {
	// Scenario gives the dataset, rule, travel, dossier and optimizer
	// settings (scenario.Default() with Dataset set for --dataset).
	Scenario *scenario.Scenario
	// LoadDataset loads the scenario's dataset reference.
	LoadDataset func(ctx context.Context, ref string) (*data.Dataset, error)
	// Start, when set, is a plan (plan.json of a phase-3 run) whose
	// closures and new points are the starting edits.
	Start *optimize.Plan
	// Simulate runs the dossier engine's simulated year on every edit, as
	// `onestop plan` does; without it waits are judged by Erlang C alone
	// (dossier.Options.SkipSimulation, made for quick what-ifs), which
	// keeps an edit within the latency target.
	Simulate bool
	// Version is the onestop that serves, shown on the page.
	Version string
}

// Server is one planning session. Its handlers serialise every edit.
type Server struct {
	sc      *scenario.Scenario
	ds      *data.Dataset
	idx     *coverage.Index
	model   coverage.TravelModel
	rule    coverage.Rule
	lp      pipeline.LoadParams
	demand  *pipeline.Demand
	base    optimize.Network // phase 2: the network phase 3 (and the page) edits
	bbox    orb.Bound        // communes' bound, for added points
	start   Edits            // the edits the page starts from
	lookup  map[string]int   // base office id -> position
	version string

	// startClosed is start.Closed as a set; read-only after New.
	startClosed map[string]bool

	mu   sync.Mutex // guards inc, slot and startSum
	inc  *coverage.Incremental
	slot map[string]int // open office key (base id or added point) -> slot
	// startSum is the summary of the start network, the page's reference.
	startSum *Evaluation

	jobs jobs
}

// New loads the dataset, builds the index, travel model and demand, and
// opens the start network.
func New(ctx context.Context, opt Options) (*Server, error) {
	sc := opt.Scenario
	if sc == nil || opt.LoadDataset == nil {
		return nil, fmt.Errorf("serve: a scenario and a dataset loader are required")
	}
	ds, err := opt.LoadDataset(ctx, sc.DatasetPath())
	if err != nil {
		return nil, err
	}
	s := &Server{sc: sc, ds: ds, version: opt.Version, rule: coverage.Rule{Minutes: sc.Rule.Minutes, Km: sc.Rule.Km, Mode: sc.Rule.Mode},
		lp: pipeline.ScenarioLoadParams(sc)}
	s.lp.SkipSim = !opt.Simulate
	if s.idx, err = coverage.NewIndex(ctx, ds, coverage.IndexOptions{Resolution: sc.H3Res}); err != nil {
		return nil, err
	}
	if s.model, _, err = pipeline.TravelModel(ds, pipeline.ScenarioTravel(sc)); err != nil {
		return nil, err
	}
	if s.demand, err = pipeline.ComputeDemand(ds, s.idx, s.lp); err != nil {
		return nil, err
	}
	s.base = optimize.Phase2(ds)
	s.lookup = make(map[string]int, len(s.base.Offices))
	for i, o := range s.base.Offices {
		s.lookup[o.ID] = i
	}
	s.bbox = ds.Communes[0].Bound
	for _, c := range ds.Communes {
		s.bbox = s.bbox.Union(c.Bound)
	}
	if opt.Start != nil {
		for _, c := range opt.Start.Closed {
			if _, ok := s.lookup[c.ID]; !ok {
				return nil, fmt.Errorf("serve: the run's plan closes office %q, which is not in the %s network of %s (fix: serve the run with the scenario it was made from)", c.ID, s.base.Name, ds.Name)
			}
			s.start.Closed = append(s.start.Closed, c.ID)
		}
		for _, np := range opt.Start.New {
			s.start.Add = append(s.start.Add, Point{ID: pointID(np.ID), Lon: np.Lon, Lat: np.Lat, Kind: string(data.InterWard)})
		}
	}
	s.startClosed = make(map[string]bool, len(s.start.Closed))
	for _, id := range s.start.Closed {
		s.startClosed[id] = true
	}
	if s.inc, err = coverage.NewIncremental(ctx, s.idx, s.model, s.rule); err != nil {
		return nil, err
	}
	s.slot = map[string]int{}
	ev, err := s.evaluate(ctx, s.start)
	if err != nil {
		return nil, fmt.Errorf("serve: the start network: %w", err)
	}
	s.startSum = ev
	return s, nil
}

// Handler routes the page, its assets and the API.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	sub, _ := fs.Sub(assets, "assets")
	static := http.FileServerFS(sub)
	mux.Handle("GET /assets/", http.StripPrefix("/assets/", static))
	// ECharts is the report's vendored copy (reports/assets, with its
	// licence), not a second one under internal/serve/assets.
	mux.HandleFunc("GET /assets/echarts.min.js", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
		io.WriteString(w, reports.ECharts())
	})
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		b, err := fs.ReadFile(sub, "index.html")
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write(b)
	})
	mux.HandleFunc("GET /api/state", s.handleState)
	mux.HandleFunc("GET /api/communes", s.handleCommunes)
	mux.HandleFunc("POST /api/evaluate", s.handleEvaluate)
	mux.HandleFunc("POST /api/optimize", s.handleOptimize)
	mux.HandleFunc("GET /api/optimize/{job}", s.handleJob)
	mux.HandleFunc("DELETE /api/optimize/{job}", s.handleCancel)
	mux.HandleFunc("POST /api/save", s.handleSave)
	return secure(mux)
}

// secure sets the headers every answer carries: no framing, no sniffing,
// scripts and data only from the server itself.
func secure(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Content-Type-Options", "nosniff")
		w.Header().Set("X-Frame-Options", "DENY")
		w.Header().Set("Content-Security-Policy", "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:")
		w.Header().Set("Cache-Control", "no-store")
		h.ServeHTTP(w, r)
	})
}

// CheckAddr refuses a non-loopback listen address unless listenAny.
func CheckAddr(addr string, listenAny bool) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("--addr %q: %w (fix: write host:port, e.g. 127.0.0.1:8765)", addr, err)
	}
	if listenAny {
		return nil
	}
	if host == "localhost" {
		return nil
	}
	ip := net.ParseIP(host)
	if ip == nil || !ip.IsLoopback() {
		return fmt.Errorf("--addr %q is not a loopback address; the page lets anyone who reaches it run the optimizer: bind 127.0.0.1, or add --listen-any to serve the network on purpose", addr)
	}
	return nil
}

// Serve answers on ln until ctx is done, then shuts down gracefully
// (requests in flight get 5 s; a running optimize job is cancelled).
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	jobCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	s.jobs.ctx = jobCtx
	srv := &http.Server{Handler: s.Handler(), ReadHeaderTimeout: 10 * time.Second, ReadTimeout: time.Minute,
		BaseContext: func(net.Listener) context.Context { return jobCtx }}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
	}
	cancel()
	sctx, stop := context.WithTimeout(context.Background(), 5*time.Second)
	defer stop()
	if err := srv.Shutdown(sctx); err != nil {
		return fmt.Errorf("serve: shutdown: %w", err)
	}
	s.jobs.wait()
	return nil
}

// network builds the edited network for the load check: base offices in
// base order minus the closed ones, then the added points in request
// order. The staff and counters of a closed office move to the nearest open
// office (straight line), as a merge brings its staff; a new point opens
// with NewPointStaff staff at as many counters.
func (s *Server) network(e Edits, open []data.Office) optimize.Network {
	n := optimize.Network{Name: "edited", Offices: slices.Clone(open)}
	closed := map[string]bool{}
	for _, id := range e.Closed {
		closed[id] = true
	}
	for _, o := range s.base.Offices {
		if !closed[o.ID] {
			continue
		}
		best, bestD := -1, math.Inf(1)
		for k, p := range n.Offices {
			if d := earth.Distance(o.Location, p.Location); d < bestD {
				best, bestD = k, d
			}
		}
		n.Offices[best].Staff += o.Staff
		n.Offices[best].Counters += o.Counters
		n.Closed = append(n.Closed, optimize.Closure{Office: o, AbsorbedBy: n.Offices[best].ID, Reason: "closed on the planning page"})
	}
	n.Closed = append(n.Closed, s.base.Closed...)
	return n
}

// NewPointStaff is the staff (and counters) of a point added on the page:
// the smallest reception point, two people so one can be away.
const NewPointStaff = 2

// Evaluation is the answer to /api/evaluate: the keys of summary.json's
// "after" block, then what the page draws.
type Evaluation struct {
	pipeline.NetSummary
	// StaffNeeded is the fewest staff meeting the wait target at every
	// open office (Σ queue_min); StaffJustified the staff the two targets
	// justify (Σ max(queue_min, staff_standard)): the load check's own
	// totals, so the page, load.json and plan.json agree.
	StaffNeeded    int `json:"staff_needed"`
	StaffJustified int `json:"staff_justified"`
	// BeyondRule is the residents outside the access rule.
	BeyondRule int64 `json:"beyond_rule"`
	// Simulated says mean_wait_min comes from the simulated year (serve
	// --simulate), not from Erlang C at the peak hour.
	Simulated bool            `json:"simulated"`
	Load      dossier.Summary `json:"load"`
	// Communes are the mean travel minutes and covered share of each
	// commune, in dataset order, for the map.
	Communes []CommuneValue `json:"communes"`
	// OverWait lists the open offices the load check flags overloaded
	// (the wait at the peak hour misses the target).
	OverWait []string `json:"over_wait"`
}

// CommuneValue is one commune's figures for the map.
type CommuneValue struct {
	Code        string  `json:"code"`
	MeanMinutes float64 `json:"mean_minutes"`
	CoveredPct  float64 `json:"covered_pct"`
}

// evaluate brings the incremental coverage to the edits and runs the load
// check. The caller holds s.mu (New runs before any handler).
func (s *Server) evaluate(ctx context.Context, e Edits) (*Evaluation, error) {
	want, err := s.openSet(e)
	if err != nil {
		return nil, err
	}
	// Close first, so a point moved onto its own key reopens cleanly.
	keys := make([]string, 0, len(s.slot))
	for k := range s.slot {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		if w, ok := want[k]; ok && w.same(s.inc.Office(s.slot[k])) {
			continue
		}
		if err := s.inc.Close(ctx, s.slot[k]); err != nil {
			return nil, err
		}
		delete(s.slot, k)
	}
	wkeys := make([]string, 0, len(want))
	for k := range want {
		wkeys = append(wkeys, k)
	}
	slices.Sort(wkeys)
	for _, k := range wkeys {
		if _, ok := s.slot[k]; ok {
			continue
		}
		w := want[k]
		slot, err := s.inc.Open(w.office, w.key)
		if err != nil {
			return nil, fmt.Errorf("point %q: %w", w.office.ID, err)
		}
		s.slot[k] = slot
	}
	res, err := s.inc.Result(ctx)
	if err != nil {
		return nil, err
	}
	net := s.network(e, res.Offices)
	l, err := pipeline.CheckLoad(ctx, s.ds, s.demand, res, net, s.lp)
	if err != nil {
		return nil, fmt.Errorf("load check: %w", err)
	}
	ev := &Evaluation{NetSummary: pipeline.SummarizeNetwork(net, res, l), Load: l.Summary,
		BeyondRule: res.Province.Uncovered, Simulated: !s.lp.SkipSim}
	ev.StaffNeeded, ev.StaffJustified = l.Summary.StaffNeeded, l.Summary.StaffJustified
	for _, o := range l.Offices {
		// The load check's own verdict, so the page and load.json agree.
		if o.Flag == dossier.Overloaded {
			ev.OverWait = append(ev.OverWait, o.ID)
		}
	}
	ev.Communes = make([]CommuneValue, len(res.Communes))
	for i, c := range res.Communes {
		ev.Communes[i] = CommuneValue{Code: c.Code, MeanMinutes: round(c.Minutes.Mean, 2), CoveredPct: round(c.CoveredPct, 2)}
	}
	return ev, nil
}

// round keeps the JSON short; NaN (a commune nobody lives in) becomes -1
// because JSON has no NaN.
func round(v float64, digits int) float64 {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return -1
	}
	p := math.Pow10(digits)
	return math.Round(v*p) / p
}

// datasetRef is the absolute dataset reference of the session, for the
// saved scenario ("demo" stays "demo").
func (s *Server) datasetRef() string {
	ref := s.sc.DatasetPath()
	if ref == "demo" {
		return ref
	}
	if abs, err := filepath.Abs(ref); err == nil {
		return abs
	}
	return ref
}
