package coverage

import (
	"context"
	"fmt"
	"math"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
)

// CandidateOptions configures CandidateSets.
type CandidateOptions struct {
	Rule Rule
	// MaxMinutes widens the time search beyond Rule.Minutes so a p-median
	// objective sees travel times of cells the rule does not cover; every
	// cell within MaxMinutes is listed, with Covered telling whether the
	// rule covers it. 0 (or anything below Rule.Minutes) means Rule.Minutes.
	MaxMinutes float64
	// Workers is the number of goroutines; 0 means GOMAXPROCS.
	Workers int
	// PopulatedOnly leaves cells without residents out of the sets. With
	// population weights from points (the 2025 datasets) most cells are
	// empty: 25,087 of the national index's 2.85 M cells hold residents,
	// 5,994 of Đà Nẵng's 104,191, so the sets shrink by that ratio. Only for
	// callers that need nothing of empty cells (docs/performance.md).
	PopulatedOnly bool
}

// CandidateSets lists, for each candidate site k, the cells it would serve
// as a sparse matrix in compressed-row form: entries Start[k] up to
// Start[k+1] of Cell, Minutes and Covered. A cell is listed when its travel
// time is within the search cutoff or the rule covers it from k (e.g. by
// distance alone). Cells ascend within a row.
type CandidateSets struct {
	Start   []int32   // len = candidates + 1
	Cell    []int32   // index into Index.Cells
	Minutes []float32 // travel minutes from the cell to the candidate; +Inf when listed for distance but beyond the time search
	Covered []bool    // the rule covers the cell from this candidate
	// Unplaced lists candidates the travel model could not place (road
	// model: no road within SnapMeters); they cover by distance only.
	Unplaced []int32
	// SearchMinutes is the time cutoff actually searched.
	SearchMinutes float64
}

// Row returns candidate k's cells, minutes and coverage flags.
func (s *CandidateSets) Row(k int) ([]int32, []float32, []bool) {
	a, b := s.Start[k], s.Start[k+1]
	return s.Cell[a:b], s.Minutes[a:b], s.Covered[a:b]
}

// candidateRow is one candidate's entries before concatenation.
type candidateRow struct {
	cell    []int32
	minutes []float32
	covered []bool
	placed  bool
}

// NewCandidateSets computes the coverage set of every candidate with
// cutoff-bounded searches spread over opt.Workers goroutines, each with its
// own searcher. The output does not depend on the number of workers.
func NewCandidateSets(ctx context.Context, idx *Index, candidates []Site, model TravelModel, opt CandidateOptions) (*CandidateSets, error) {
	if idx == nil || model == nil {
		return nil, fmt.Errorf("coverage: candidate sets need an index and a travel model")
	}
	rule, err := opt.Rule.validate()
	if err != nil {
		return nil, err
	}
	for i, c := range candidates {
		p := c.Point
		if math.IsNaN(p[0]) || math.IsNaN(p[1]) || p[0] < -180 || p[0] > 180 || p[1] < -90 || p[1] > 90 {
			return nil, fmt.Errorf("coverage: candidate %d (%s): location %v is not lon/lat in degrees", i+1, c.Name, p)
		}
	}
	search := math.Max(opt.MaxMinutes, rule.Minutes)
	bound, err := model.Bind(ctx, idx)
	if err != nil {
		return nil, err
	}
	workers := opt.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	workers = max(1, min(workers, len(candidates)))

	rows := make([]candidateRow, len(candidates))
	var next atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			w := newCandidateWorker(idx, bound.NewReacher())
			for {
				k := int(next.Add(1) - 1)
				if k >= len(candidates) || ctx.Err() != nil {
					return
				}
				rows[k] = w.row(idx, candidates[k], rule, search, opt.PopulatedOnly)
			}
		}()
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("coverage: candidate sets: %w", err)
	}

	out := &CandidateSets{Start: make([]int32, len(candidates)+1), SearchMinutes: search}
	total := 0
	for k, r := range rows {
		total += len(r.cell)
		if total > math.MaxInt32 {
			return nil, fmt.Errorf("coverage: candidate sets exceed %d entries; use fewer candidates, a smaller MaxMinutes or a coarser H3 resolution", math.MaxInt32)
		}
		out.Start[k+1] = int32(total)
		if !r.placed {
			out.Unplaced = append(out.Unplaced, int32(k))
		}
	}
	out.Cell = make([]int32, 0, total)
	out.Minutes = make([]float32, 0, total)
	out.Covered = make([]bool, 0, total)
	for k := range rows {
		out.Cell = append(out.Cell, rows[k].cell...)
		out.Minutes = append(out.Minutes, rows[k].minutes...)
		out.Covered = append(out.Covered, rows[k].covered...)
		rows[k] = candidateRow{} // the GC may take it while the rest is copied
	}
	return out, nil
}

// candidateWorker owns the scratch of one goroutine: dense per-cell
// minutes and km arrays reset through the list of touched cells, so each
// row costs only what it touches.
type candidateWorker struct {
	reach   Reacher
	minutes []float64 // +Inf: not reached within the search
	km      []float64 // +Inf: farther than the rule's Km
	touched []int32
}

func newCandidateWorker(idx *Index, reach Reacher) *candidateWorker {
	w := &candidateWorker{reach: reach, minutes: make([]float64, len(idx.Cells)), km: make([]float64, len(idx.Cells))}
	for i := range w.minutes {
		w.minutes[i], w.km[i] = math.Inf(1), math.Inf(1)
	}
	return w
}

func (w *candidateWorker) row(idx *Index, site Site, rule Rule, search float64, populatedOnly bool) candidateRow {
	w.touched = w.touched[:0]
	untouched := func(c int32) bool { return math.IsInf(w.minutes[c], 1) && math.IsInf(w.km[c], 1) }
	// The distance pass comes first so the time pass never needs a
	// distance: a cell it did not mark is farther than rule.Km.
	idx.grid().within(site.Point[0], site.Point[1], rule.Km, func(c int32, km float64) {
		w.touched = append(w.touched, c)
		w.km[c] = km
	})
	placed := w.reach(site, search, func(c int32, m float64) {
		if untouched(c) {
			w.touched = append(w.touched, c)
		}
		w.minutes[c] = math.Min(w.minutes[c], m)
	})
	slices.Sort(w.touched)

	// Two passes over the touched cells size the row exactly: rows are
	// held until every candidate is done, and append's slack would
	// otherwise add up to the size of the sets themselves.
	keep := func(c int32) bool { return !populatedOnly || idx.Cells[c].Population > 0 }
	n := 0
	for _, c := range w.touched {
		if m := w.minutes[c]; (m <= search || rule.covers(rule.met(m, w.km[c]))) && keep(c) {
			n++
		}
	}
	r := candidateRow{placed: placed, cell: make([]int32, 0, n), minutes: make([]float32, 0, n), covered: make([]bool, 0, n)}
	for _, c := range w.touched {
		m, km := w.minutes[c], w.km[c]
		w.minutes[c], w.km[c] = math.Inf(1), math.Inf(1)
		cov := rule.covers(rule.met(m, km))
		if (!(m <= search) && !cov) || !keep(c) {
			continue
		}
		r.cell = append(r.cell, c)
		r.minutes = append(r.minutes, float32(m))
		r.covered = append(r.covered, cov)
	}
	return r
}
