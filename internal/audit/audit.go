package audit

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"slices"

	"github.com/onestop/onestop/coverage"
	"github.com/onestop/onestop/data"
	"github.com/onestop/onestop/optimize"
	h3 "github.com/uber/h3-go/v4"
)

// File is the audit's output in a run directory.
const File = "audit.json"

// CellDemand is one H3 cell's dossiers a year, by the demand model
// (docs/dossiers.md): the model is the audit's input, the assignment of
// those dossiers to offices is recomputed.
type CellDemand struct {
	H3                  h3.Cell
	Total               int64 // every channel
	Counter             int64 // of Total, filed at a counter (they queue)
	BoundaryFree        int64 // of Total, filable at any office: they go to the quickest one
	BoundaryFreeCounter int64 // of Counter, boundary-free
	// Recorded: the dossiers are the commune's offices' recorded counts
	// (offices.dossiers), which stay with its own office (docs/dossiers.md).
	Recorded bool
}

// PointShare is a share of a cell's residents the plan assigns to one
// point (Point "": to none).
type PointShare struct {
	Point string
	Share float64
}

// CellAssign is the plan's assignment of one cell: the solver's decision,
// an input; the travel, rule and figures it implies are recomputed.
type CellAssign struct {
	H3     h3.Cell
	Shares []PointShare
}

// LoadModel is the queue model's settings the load check used.
type LoadModel struct {
	ServiceMeanMin float64
	WaitTargetMin  float64
	MaxOccupancy   float64
	// Norm is the productivity norm (dossiers per staff per year) of an
	// area class, overrides applied.
	Norm func(data.AreaClass) float64
}

// Caps are the scenario's hard limits on one point (0: none).
type Caps struct {
	MaxStaffPerPoint    int
	MaxCountersPerPoint int
	// CountersFixed (optimize.counters_fixed): with a cap, an existing
	// office's own counters, when fewer, bound its premises.
	CountersFixed bool
}

// Input is everything the audit recomputes from: the dataset, the rule and
// travel settings, the networks before and after, the demand per cell, and
// the directory whose files state the figures.
type Input struct {
	Dataset    *data.Dataset
	Resolution int // H3 resolution of the run (0: coverage.DefaultResolution)
	Rule       coverage.Rule
	Travel     coverage.Travel
	// Before is the current network (summary.json "before",
	// coverage-before/), After the final one (summary.json "after",
	// coverage-after/, load.json, plan.json's open points).
	Before, After optimize.Network
	// Base is the network the optimizer consolidated (plan.json's "before":
	// its kept and closed offices); nil: Before.
	Base   *optimize.Network
	Demand []CellDemand // nil: the dossier claims are skipped
	// Assign is the plan's assignment of residents to points (nil: each
	// resident at its quickest open point).
	Assign []CellAssign
	Load   LoadModel
	Caps   Caps
	// SearchMinutes is how far the optimizer listed travel times (plan.json
	// counts a resident beyond it as unserved_minutes away); 0: unbounded.
	SearchMinutes float64
	Dir           string
	// Known lists mismatch classes (Class) that another change is fixing:
	// they are reported with "known": true and do not count as failures.
	Known []string
}

// Result is audit.json, and what the report shows of it.
type Result struct {
	// Mismatches lists every stated figure that does not hold (at most
	// maxPerClass per class, then a count); [] when all hold.
	Mismatches []Mismatch `json:"mismatches"`
	// MismatchCount counts all mismatches, listed or not; Failures those
	// not on the allow-list of known classes.
	MismatchCount int `json:"mismatch_count"`
	Failures      int `json:"failures"`
	// ResidentsBeyondRule counts the residents of the final network that
	// no open point serves within the access rule.
	ResidentsBeyondRule int64    `json:"residents_beyond_rule"`
	Checked             int      `json:"checked"`
	Skipped             []Skip   `json:"skipped"`
	Files               []string `json:"files"` // files audited
	Cells               int      `json:"cells"`
	Population          int64    `json:"population"`
	TravelModel         string   `json:"travel_model"`
}

// OK is whether every claim holds, known mismatches aside.
func (r *Result) OK() bool { return r.Failures == 0 }

// network is one network's offices and every cell's reach to them.
type network struct {
	net   optimize.Network
	offs  []office
	reach *reach
	index map[string]int // office id → index
	loads []officeLoad   // officeLoads, once computed
}

// run carries the recomputation across the claim checkers.
type run struct {
	in     Input
	ds     *data.Dataset
	cells  []cell
	byH3   map[h3.Cell]int
	rule   coverage.Rule
	before *network
	base   *network
	after  *network
	c      *checker
	tr     *traveller
}

// Run recomputes every figure from in and compares the files of in.Dir
// that exist; it does not write audit.json (the caller does, atomically).
func Run(ctx context.Context, in Input) (*Result, error) {
	if in.Dataset == nil {
		return nil, errors.New("audit: no dataset")
	}
	res := in.Resolution
	if res == 0 {
		res = coverage.DefaultResolution
	}
	out := &Result{Mismatches: []Mismatch{}, Skipped: []Skip{}, Files: []string{}}
	r := &run{in: in, ds: in.Dataset, rule: in.Rule, c: newChecker(out, in.Known)}
	var err error
	if r.cells, err = listCells(ctx, in.Dataset, res); err != nil {
		return nil, err
	}
	r.byH3 = make(map[h3.Cell]int, len(r.cells))
	for i, c := range r.cells {
		r.byH3[c.h3] = i
		out.Population += c.pop
	}
	out.Cells = len(r.cells)
	speed := func(ci int) float64 { return in.Travel.Kmh.For(in.Dataset.Communes[ci].Class) }
	tr, err := newTraveller(ctx, r.cells, speed, in.Dataset.Roads, in.Travel)
	if err != nil {
		return nil, err
	}
	r.tr = tr
	out.TravelModel = "straight-line"
	if tr.road != nil {
		out.TravelModel = "road"
	}
	eval := func(n optimize.Network) (*network, error) {
		nw := &network{net: n, index: map[string]int{}}
		for i, o := range n.Offices {
			nw.offs = append(nw.offs, office{ID: o.ID, Name: o.Name, Loc: o.Location, Staff: o.Staff, Counters: o.Counters})
			nw.index[o.ID] = i
		}
		var err error
		if nw.reach, err = tr.evaluate(ctx, nw.offs); err != nil {
			return nil, fmt.Errorf("audit: network %s: %w", n.Name, err)
		}
		return nw, nil
	}
	if r.before, err = eval(in.Before); err != nil {
		return nil, err
	}
	if r.after, err = eval(in.After); err != nil {
		return nil, err
	}
	r.base = r.before
	if in.Base != nil {
		if r.base, err = eval(*in.Base); err != nil {
			return nil, err
		}
	}
	for i, c := range r.cells {
		if c.pop > 0 && !r.covered(r.after, i) {
			out.ResidentsBeyondRule += c.pop
		}
	}
	checks := []struct {
		file string
		fn   func(string, []byte) error
	}{
		{"coverage-before/cells.csv", func(f string, b []byte) error { return r.cellsCSV(f, b, r.before) }},
		{"coverage-before/summary.json", func(f string, b []byte) error { return r.coverageSummary(f, b, r.before) }},
		{"coverage-before/communes.geojson", func(f string, b []byte) error { return r.communesGeoJSON(f, b, r.before) }},
		{"coverage-before/offices.geojson", func(f string, b []byte) error { return r.officesGeoJSON(f, b, r.before) }},
		{"coverage-after/cells.csv", func(f string, b []byte) error { return r.cellsCSV(f, b, r.after) }},
		{"coverage-after/communes.geojson", func(f string, b []byte) error { return r.communesGeoJSON(f, b, r.after) }},
		{"coverage-after/offices.geojson", func(f string, b []byte) error { return r.officesGeoJSON(f, b, r.after) }},
		{"coverage-after/summary.json", func(f string, b []byte) error { return r.coverageSummary(f, b, r.after) }},
		{"plan.json", r.planJSON},
		{"summary.json", r.summaryJSON},
		{"load.json", r.loadJSON},
	}
	for _, ch := range checks {
		b, err := os.ReadFile(filepath.Join(in.Dir, filepath.FromSlash(ch.file)))
		if errors.Is(err, fs.ErrNotExist) {
			continue // the command did not write it
		}
		if err != nil {
			return nil, fmt.Errorf("audit: %w", err)
		}
		out.Files = append(out.Files, ch.file)
		if err := ch.fn(ch.file, b); err != nil {
			return nil, fmt.Errorf("audit: %s: %w (fix: audit the directory the run wrote, unedited)", ch.file, err)
		}
	}
	r.c.finish()
	return out, nil
}

// timeOK and distOK are the rule's two thresholds, inclusive.
func (r *run) timeOK(n *network, i int) bool {
	m := n.reach.minutes[i]
	return !math.IsNaN(m) && m <= r.rule.Minutes
}

func (r *run) distOK(n *network, i int) bool { return n.reach.km[i] <= r.rule.Km }

// covered applies the rule's mode ("all": both thresholds, else either).
func (r *run) covered(n *network, i int) bool {
	if r.rule.Mode == "all" {
		return r.timeOK(n, i) && r.distOK(n, i)
	}
	return r.timeOK(n, i) || r.distOK(n, i)
}

// dist is a population-weighted distribution: mean, exact p50/p95 (the
// smallest value whose cumulative population reaches the share) and max.
type dist struct{ mean, p50, p95, max float64 }

type wv struct {
	v float64
	w int64
}

func distOf(xs []wv) dist {
	xs = slices.DeleteFunc(xs, func(x wv) bool { return math.IsNaN(x.v) || x.w <= 0 })
	if len(xs) == 0 {
		nan := math.NaN()
		return dist{nan, nan, nan, nan}
	}
	slices.SortFunc(xs, func(a, b wv) int {
		switch {
		case a.v < b.v:
			return -1
		case a.v > b.v:
			return 1
		}
		return 0
	})
	var tot int64
	var sum float64
	for _, x := range xs {
		tot += x.w
		sum += x.v * float64(x.w)
	}
	pct := func(p int64) float64 {
		var cum int64
		for _, x := range xs {
			if cum += x.w; cum*100 >= p*tot {
				return x.v
			}
		}
		return xs[len(xs)-1].v
	}
	return dist{sum / float64(tot), pct(50), pct(95), xs[len(xs)-1].v}
}
