package pipeline

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"

	"github.com/onestop/onestop/coverage"
	"github.com/onestop/onestop/data"
	"github.com/onestop/onestop/dossier"
	"github.com/onestop/onestop/internal/atomicfile"
	"github.com/onestop/onestop/internal/audit"
	"github.com/onestop/onestop/internal/scenario"
	"github.com/onestop/onestop/optimize"
	"github.com/onestop/onestop/reports"
)

// RunFile is the report's view model of a plan run, kept so that
// `onestop compare` can put two runs side by side later.
const RunFile = "run.json"

// Stepper reports progress; progress.Reporter implements it.
type Stepper interface {
	Step(name string)
	// Detail shows news inside the current step (the optimizer's bound,
	// best plan and gap); it may be called from another goroutine.
	Detail(text string)
}

// Steps is the number of Step calls Plan makes.
const Steps = 8

// PlanOptions are the command-line settings of a plan run.
type PlanOptions struct {
	Lang         string // overrides the scenario's report.lang when set
	FixedSeconds bool   // report 0 s solve time, for byte-identical outputs
	Version      string // the onestop that runs, recorded in run.json and the report
	Progress     Stepper
	// LoadDataset loads a dataset reference ("demo" or a dataset.yaml path).
	LoadDataset func(ctx context.Context, ref string) (*data.Dataset, error)
}

// Outcome is what a plan run measured, for the command's one-line answer.
type Outcome struct {
	Dataset                     string
	OfficesBefore, OfficesAfter int
	CoveredBefore, CoveredAfter float64 // percent
	Population                  int64
	MeanMinBefore, MeanMinAfter float64
	GapPct                      float64
	LoadAfter                   dossier.Summary
	Phase                       int
	// Warnings are the plan's and the dataset's non-fatal findings, for
	// the command to print (they are also in plan.json and the report).
	Warnings []string
	// Audit is the independent recomputation of every stated figure
	// (audit.json, docs/audit.md).
	Audit *audit.Result
	// auditRun is what the audit recomputed from, so tests can re-audit
	// the directory after editing a file.
	auditRun AuditRun
}

// Plan runs a scenario end to end — validate, coverage before, optimize
// (phase 3), coverage after, dossier check, report — and writes every output
// into dir (a staging directory the caller commits).
func Plan(ctx context.Context, sc *scenario.Scenario, dir string, opt PlanOptions) (*Outcome, error) {
	step := func(s string) {
		if opt.Progress != nil {
			opt.Progress.Step(s)
		}
	}
	if sc.Phase == scenario.Reception {
		return PlanReception(ctx, sc, dir, opt) // per province, reception.go
	}
	step("validating dataset")
	ds, err := opt.LoadDataset(ctx, sc.DatasetPath())
	if err != nil {
		return nil, err
	}
	rule := coverage.Rule{Minutes: sc.Rule.Minutes, Km: sc.Rule.Km, Mode: sc.Rule.Mode}
	travel := travelOf(sc)
	step("building H3 index")
	idx, err := coverage.NewIndex(ctx, ds, coverage.IndexOptions{Resolution: sc.H3Res})
	if err != nil {
		return nil, err
	}
	model, _, err := TravelModel(ds, travel)
	if err != nil {
		return nil, err
	}
	before := optimize.Phase1(ds)
	step("coverage before")
	beforeCov, err := coverage.Evaluate(ctx, idx, before.Offices, model, rule)
	if err != nil {
		return nil, fmt.Errorf("coverage of the current network: %w", err)
	}
	lp := loadParamsOf(sc)
	demand, err := ComputeDemand(ds, idx, lp)
	if err != nil {
		return nil, err
	}

	step("optimizing")
	after := before
	var opz *Optimized
	var consolidated *optimize.Network // the network phase 3 consolidates, for the audit
	switch sc.Phase {
	case 2:
		after = optimize.Phase2(ds)
	case 3:
		base := optimize.Phase2(ds)
		consolidated = &base
		op := optimizeParamsOf(sc)
		op.FixedSeconds = opt.FixedSeconds
		op.Progress = SolverNews(opt.Progress)
		if op.ExportLP != "" && !filepath.IsAbs(op.ExportLP) {
			op.ExportLP = filepath.Join(dir, op.ExportLP)
		}
		op.Load = lp
		opz, err = Optimize(ctx, ds, idx, model, rule, base, demand, op)
		if err != nil {
			return nil, fmt.Errorf("optimize: %w", err)
		}
		after = opz.Network
		after.Name = "phase 3"
	}

	step("coverage after")
	afterCov, err := coverage.Evaluate(ctx, idx, after.Offices, model, rule)
	if err != nil {
		return nil, fmt.Errorf("coverage of the %s network: %w", after.Name, err)
	}
	step("dossier load and waiting")
	beforeLoad, err := CheckLoad(ctx, ds, demand, beforeCov, before, lp)
	if err != nil {
		return nil, fmt.Errorf("load check of the current network: %w", err)
	}
	var afterLoad *dossier.Result
	if opz != nil {
		// Phase 3: dossiers go where the plan assigns residents.
		afterLoad, err = CheckLoadAssigned(ctx, ds, demand, opz, after, lp)
	} else {
		afterLoad, err = CheckLoad(ctx, ds, demand, afterCov, after, lp)
	}
	if err != nil {
		return nil, fmt.Errorf("load check of the %s network: %w", after.Name, err)
	}

	step("writing coverage, plan and load files")
	for _, part := range []struct {
		sub string
		res *coverage.Result
	}{{"coverage-before", beforeCov}, {"coverage-after", afterCov}} {
		sub := filepath.Join(dir, part.sub)
		if err := os.MkdirAll(sub, 0o755); err != nil {
			return nil, err
		}
		files, err := coverage.Files(ds, idx, part.res)
		if err != nil {
			return nil, err
		}
		if err := WriteFiles(sub, files); err != nil {
			return nil, fmt.Errorf("coverage: %w", err)
		}
	}
	if opz != nil {
		if err := WritePlan(dir, opz.Plan); err != nil {
			return nil, err
		}
	}
	if err := WriteFiles(dir, afterLoad.Files()); err != nil {
		return nil, fmt.Errorf("dossier outputs: %w", err)
	}
	out := &Outcome{
		Dataset: ds.Name, Phase: int(sc.Phase), Population: beforeCov.Province.Population,
		OfficesBefore: len(before.Offices), OfficesAfter: len(after.Offices),
		CoveredBefore: beforeCov.Province.CoveredPct, CoveredAfter: afterCov.Province.CoveredPct,
		MeanMinBefore: beforeCov.Province.Minutes.Mean, MeanMinAfter: afterCov.Province.Minutes.Mean,
		LoadAfter: afterLoad.Summary,
	}
	summary := planSummary{
		Dataset: ds.Name, Scenario: sc.Name, Phase: int(sc.Phase), Rule: rule,
		Population: beforeCov.Province.Population,
		Before:     networkSummary(before, beforeCov, beforeLoad),
		After:      networkSummary(after, afterCov, afterLoad),
		Load:       afterLoad.Summary,
		LoadBefore: beforeLoad.Summary,
	}
	if g := lp.growth(); g != 1 {
		summary.DossierGrowth = g
	}
	for _, w := range ds.Warnings {
		out.Warnings = append(out.Warnings, w.String())
	}
	for _, w := range demand.Problems {
		out.Warnings = append(out.Warnings, w.String())
	}
	if opz != nil {
		s := opz.Plan.Summary
		summary.Optimize = &s
		out.GapPct = s.GapPct
		out.Warnings = append(out.Warnings, opz.Plan.Warnings...)
	}
	summary.OfficesBefore, summary.OfficesAfter = len(before.Offices), len(after.Offices)
	if err := WriteJSON(filepath.Join(dir, "summary.json"), summary); err != nil {
		return nil, err
	}
	out.auditRun = AuditRun{Dataset: ds, Index: idx, Rule: rule, Travel: travel, Before: before, After: after,
		Base: consolidated, Demand: demand, Load: lp, MaxStaff: sc.Optimize.MaxStaffPerPoint,
		MaxCounters: sc.Optimize.MaxCountersPerPoint, CountersFixed: sc.Optimize.CountersFixed, Optimized: opz}
	if out.Audit, err = Audit(ctx, dir, out.auditRun); err != nil {
		return nil, err
	}
	// The report comes last so its audit section states the audit; the
	// audit reads the JSON and coverage files only, never the report's.
	step("writing report")
	lang := reports.Lang(sc.Report.Lang)
	if opt.Lang != "" {
		lang = reports.Lang(opt.Lang)
	}
	run := BuildRun(ds, ReportInput{
		Scenario: sc.Name, Phase: fmt.Sprintf("%d", sc.Phase), Lang: lang, Rule: rule,
		WaitTargetMin: lp.WaitTargetMin, Index: idx, Before: before, After: after, Version: opt.Version,
		BeforeCov: beforeCov, AfterCov: afterCov, BeforeLoad: beforeLoad, AfterLoad: afterLoad,
		Plan: planOf(opz), Circuity: travel.Circuity, DemandFromLog: demand.Log != nil,
	})
	if g := lp.growth(); g != 1 {
		run.DossierGrowth = g // the report states the what-if it assumed
	}
	run.Audit = ReportAudit(out.Audit)
	if err := run.Validate(); err != nil {
		return nil, fmt.Errorf("report: %w", err)
	}
	reportFiles, err := reports.Files(ctx, run)
	if err != nil {
		return nil, err
	}
	if err := WriteFiles(dir, reportFiles); err != nil {
		return nil, err
	}
	if err := WriteJSON(filepath.Join(dir, RunFile), run); err != nil {
		return nil, err
	}
	return out, nil
}

// planOf is the optimizer's plan of a run, nil when it did not optimize.
func planOf(o *Optimized) *optimize.Plan {
	if o == nil {
		return nil
	}
	return o.Plan
}

type planSummary struct {
	Dataset  string        `json:"dataset"`
	Scenario string        `json:"scenario"`
	Phase    int           `json:"phase"`
	Rule     coverage.Rule `json:"rule"`
	// DossierGrowth is the demand multiplier of a growth what-if
	// (dossiers.growth); absent when demand is today's.
	DossierGrowth float64           `json:"dossier_growth,omitempty"`
	Population    int64             `json:"population"`
	OfficesBefore int               `json:"offices_before"`
	OfficesAfter  int               `json:"offices_after"`
	Before        netSummary        `json:"before"`
	After         netSummary        `json:"after"`
	Optimize      *optimize.Summary `json:"optimize,omitempty"`
	Load          dossier.Summary   `json:"load"`
	LoadBefore    dossier.Summary   `json:"load_before"`
}

type netSummary struct {
	Network           string        `json:"network"`
	Offices           int           `json:"offices"`
	Staff             int           `json:"staff"`
	CoveredPopulation int64         `json:"covered_population"`
	CoveredPct        float64       `json:"covered_pct"`
	WithinTimePct     float64       `json:"within_time_pct"`
	WithinDistancePct float64       `json:"within_distance_pct"`
	Minutes           coverage.Dist `json:"minutes"`
	Km                coverage.Dist `json:"km"`
	MeanWaitMin       float64       `json:"mean_wait_min"`
	// The two load measures, as in dossier.Summary: peak-hour wait above
	// the target, and dossiers per staff member below the norm.
	OfficesOverloaded int `json:"offices_overloaded"`
	OfficesUnderused  int `json:"offices_underused"`
}

func networkSummary(n optimize.Network, res *coverage.Result, l *dossier.Result) netSummary {
	p := res.Province
	return netSummary{
		Network: n.Name, Offices: len(n.Offices), Staff: n.Staff(),
		CoveredPopulation: p.Covered, CoveredPct: round(p.CoveredPct, 4),
		WithinTimePct: round(p.WithinTimePct, 4), WithinDistancePct: round(p.WithinDistancePct, 4),
		Minutes: roundDist(p.Minutes), Km: roundDist(p.Km),
		MeanWaitMin: round(l.Summary.MeanWaitMin, 4), OfficesOverloaded: l.Summary.OfficesOverloaded,
		OfficesUnderused: l.Summary.OfficesUnderused,
	}
}

func roundDist(d coverage.Dist) coverage.Dist {
	return coverage.Dist{Mean: round(d.Mean, 3), P50: round(d.P50, 3), P95: round(d.P95, 3), Max: round(d.Max, 3)}
}

// round keeps summary.json short and stable across platforms' last bits.
func round(v float64, digits int) float64 {
	p := math.Pow10(digits)
	return math.Round(v*p) / p
}

// WriteJSON writes v as indented JSON to path, atomically.
func WriteJSON(path string, v any) error {
	return atomicfile.Write(path, func(w io.Writer) error {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(v)
	})
}

// ReadRun reads the run.json of a plan output directory (or the file itself).
func ReadRun(path string) (reports.Run, error) {
	if fi, err := os.Stat(path); err == nil && fi.IsDir() {
		path = filepath.Join(path, RunFile)
	}
	// run.json carries every cell of the report's maps, so it is bounded as
	// a data file, not a config file; a FIFO or device is refused.
	b, err := data.ReadInput(path, data.InputLimit(data.MaxDataBytes))
	if err != nil {
		return reports.Run{}, fmt.Errorf("run: %w (fix: give an output directory of `onestop plan`)", err)
	}
	var r reports.Run
	if err := json.Unmarshal(b, &r); err != nil {
		return reports.Run{}, fmt.Errorf("run %s: %w", path, err)
	}
	return r, nil
}
