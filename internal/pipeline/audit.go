package pipeline

import (
	"context"
	"fmt"
	"path/filepath"

	"github.com/onestop/onestop/coverage"
	"github.com/onestop/onestop/data"
	"github.com/onestop/onestop/dossier"
	"github.com/onestop/onestop/internal/audit"
	"github.com/onestop/onestop/optimize"
	"github.com/onestop/onestop/reports"
)

// KnownAuditMismatches returns the classes of mismatch (audit.Class) that
// today's outputs are known to carry: the audit reports them with "known":
// true and a strict run does not fail on them. It is empty: every figure
// the outputs state holds (the last entries, closures' why texts printing
// an already-rounded value, went when the plan stored each figure at the
// precision its why prints it). A class goes here only with its reason and
// the change that will fix it.
func KnownAuditMismatches() []string { return []string{} }

// AuditRun is what a run knows that the audit recomputes from.
type AuditRun struct {
	Dataset       *data.Dataset
	Index         *coverage.Index // labels the demand cells with their H3 ids
	Rule          coverage.Rule
	Travel        coverage.Travel
	Before, After optimize.Network
	Base          *optimize.Network // the network the optimizer consolidated; nil without one
	Demand        *Demand           // nil: the dossier claims are skipped
	Load          LoadParams
	MaxStaff      int     // optimize.max_staff_per_point (0: none)
	MaxCounters   int     // optimize.max_counters_per_point (0: none)
	CountersFixed bool    // optimize.counters_fixed
	SearchMinutes float64 // how far the optimizer listed times (0: its default, the rule's minutes + 15)
	// Optimized is the optimizer's run (nil without one): its assignment
	// of residents to points is the decision the audit times and checks.
	Optimized *Optimized
}

// Audit recomputes every figure the files in dir state (docs/audit.md) and
// writes audit.json there, atomically. Mismatches are in the result, not an
// error: the command decides (--strict-audit) whether they fail the run.
func Audit(ctx context.Context, dir string, a AuditRun) (*audit.Result, error) {
	if a.SearchMinutes <= 0 {
		a.SearchMinutes = a.Rule.Minutes + defaultSearchSlack
	}
	in := audit.Input{
		Dataset: a.Dataset, Resolution: a.Index.Resolution, Rule: a.Rule, Travel: a.Travel,
		Before: a.Before, After: a.After, Base: a.Base, SearchMinutes: a.SearchMinutes,
		Caps: audit.Caps{MaxStaffPerPoint: a.MaxStaff, MaxCountersPerPoint: a.MaxCounters, CountersFixed: a.CountersFixed},
		Dir:  dir, Known: KnownAuditMismatches(),
	}
	if a.Demand != nil {
		in.Demand = make([]audit.CellDemand, len(a.Index.Cells))
		for i, c := range a.Demand.Cells.Cells {
			in.Demand[i] = audit.CellDemand{H3: a.Index.Cells[i].H3, Total: c.Total, Counter: c.Counter,
				BoundaryFree: c.BoundaryFree, BoundaryFreeCounter: c.BoundaryFreeCounter, Recorded: c.Source&dossier.FromRecorded != 0}
		}
	}
	if o := a.Optimized; o != nil && o.Result != nil {
		in.Assign = make([]audit.CellAssign, 0, len(o.Result.Assign))
		for i, sh := range o.Result.Assign {
			if len(sh) == 0 {
				continue
			}
			ca := audit.CellAssign{H3: a.Index.Cells[i].H3}
			for _, s := range sh {
				ps := audit.PointShare{Share: s.Share}
				if s.Cand >= 0 {
					ps.Point = o.Instance.Candidates[s.Cand].ID
				}
				ca.Shares = append(ca.Shares, ps)
			}
			in.Assign = append(in.Assign, ca)
		}
	}
	year := a.Load.Year
	if year == 0 {
		year = 2024
	}
	opt := dossier.DefaultOptions(year)
	wait := opt.WaitTargetMin
	if a.Load.WaitTargetMin > 0 {
		wait = a.Load.WaitTargetMin
	}
	norms := a.Load.Norms
	in.Load = audit.LoadModel{ServiceMeanMin: opt.Queue.ServiceMeanMin, WaitTargetMin: wait, MaxOccupancy: opt.MaxOccupancy,
		Norm: func(c data.AreaClass) float64 {
			if v := norms[c]; v > 0 {
				return v
			}
			return data.DefaultNorms().For(c)
		}}
	res, err := audit.Run(ctx, in)
	if err != nil {
		return nil, err
	}
	if err := WriteJSON(filepath.Join(dir, audit.File), res); err != nil {
		return nil, err
	}
	return res, nil
}

// AuditLines are the lines a command prints on stderr for the audit's
// mismatches: the first max, then how many more (all are in audit.json).
func AuditLines(r *audit.Result, max int) []string {
	if r == nil || r.MismatchCount == 0 {
		return nil
	}
	out := []string{fmt.Sprintf("audit: %d stated figures do not hold (%d on the known list); see audit.json", r.MismatchCount, r.MismatchCount-r.Failures)}
	for i, m := range r.Mismatches {
		if i == max {
			out = append(out, fmt.Sprintf("audit: … and %d more listed in audit.json", len(r.Mismatches)-max))
			break
		}
		s := "audit: mismatch: " + m.String()
		if m.Known {
			s += " [known]"
		}
		out = append(out, s)
	}
	return out
}

// AuditError is the error of a strict run (--strict-audit) whose audit
// found mismatches off the known list.
type AuditError struct{ Result *audit.Result }

func (e *AuditError) Error() string {
	return fmt.Sprintf("audit: %d stated figures do not hold (listed in audit.json; fix the code that states them, or run without --strict-audit)", e.Result.Failures)
}

// ReportAudit is the report's view of an audit: what was recomputed and
// every mismatch listed, nil without an audit.
func ReportAudit(r *audit.Result) *reports.Audit {
	if r == nil {
		return nil
	}
	a := &reports.Audit{Checked: r.Checked, ResidentsBeyondRule: r.ResidentsBeyondRule, Count: r.MismatchCount,
		Mismatches: make([]reports.AuditMismatch, 0, len(r.Mismatches))}
	for _, m := range r.Mismatches {
		a.Mismatches = append(a.Mismatches, reports.AuditMismatch{File: m.File, Claim: m.Claim, Stated: m.Stated, Recomputed: m.Recomputed})
	}
	return a
}
