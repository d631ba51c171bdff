package main

import (
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"github.com/onestop/onestop/internal/audit"
	"github.com/onestop/onestop/internal/pipeline"
	"github.com/onestop/onestop/internal/progress"
	"github.com/onestop/onestop/internal/scenario"
	"github.com/onestop/onestop/optimize"
	"github.com/spf13/cobra"
)

func newOptimizeCmd(g *globals) *cobra.Command {
	var dataset, out, phase string
	var rf ruleFlags
	var p pipeline.OptimizeParams
	var boundaryFree float64
	var forceOpen string
	var strict bool
	var aud *audit.Result
	cmd := &cobra.Command{
		Use:   "optimize",
		Short: "Consolidation plan (merges, inter-ward points) with a lower bound and optimality gap",
		Long: `Solves a consolidation model over the dataset's offices, generated inter-ward
candidates and an optional list of your own, and explains the plan: offices kept,
closed (with the office that absorbs them and why), new points, staff moves and
per-commune before/after. Models: consolidate (default), lscp, mclp --p N,
pmedian --p N. See docs/optimize.md.`,
		Args: argsExact(0),
		RunE: func(cmd *cobra.Command, args []string) error {
			p.Started = time.Now()
			rule, err := rf.check(out)
			if err != nil {
				return err
			}
			if _, err := optimize.ParseModel(p.Model); err != nil {
				return usageError{err}
			}
			if (p.Model == "mclp" || p.Model == "pmedian") && p.P <= 0 {
				return usagef("--model %s needs --p N (the number of open points)", p.Model)
			}
			p.ForceOpen = splitIDs(forceOpen)
			// The same ranges as the optimize.* keys of scenario.yaml.
			if err := scenario.CheckOptimize(scenario.OptimizeValues{Model: p.Model, P: p.P, TargetShare: p.TargetShare,
				TimeLimit: p.TimeLimit, Work: p.Work, MaxStaffPerPoint: p.MaxStaffPerPoint, MaxCountersPerPoint: p.MaxCountersPerPoint, CurveMax: p.CurveMax,
				SearchMinutes: p.SearchMinutes, Uncoverable: p.Uncoverable, ForceOpen: p.ForceOpen,
				CandidateResolution: p.CandidateResolution, CandidateSpacingM: p.CandidateSpacingM}, flagName); err != nil {
				return usageError{err}
			}
			if err := scenario.CheckValue("dossiers.boundary_free_share", boundaryFree, flagName); err != nil {
				return usageError{err}
			}
			if _, err := optimize.ParseScope(p.Scope); err != nil {
				return usageError{fmt.Errorf("--scope: %w", err)}
			}
			if phase != "1" && phase != "2" {
				return usagef("--phase %q: optimize the phase-1 network (1) or the phase-2 merged one (2)", phase)
			}
			ctx := cmd.Context()
			bar := progress.New(cmd.ErrOrStderr(), 5, "optimize", g.quiet)
			defer bar.Done()
			gr, err := rf.loadGrid(ctx, dataset, bar)
			if err != nil {
				return err
			}
			ds, idx := gr.ds, gr.idx
			base := optimize.Phase1(ds)
			if phase == "2" {
				base = optimize.Phase2(ds)
			}
			p.Load = pipeline.LoadParams{BoundaryFree: boundaryFree, MaxStaffPerPoint: p.MaxStaffPerPoint, MaxCountersPerPoint: p.MaxCountersPerPoint}
			d, err := pipeline.ComputeDemand(ds, idx, p.Load)
			if err != nil {
				return err
			}
			bar.Step("candidates, coverage sets and solve")
			p.Progress = pipeline.SolverNews(bar)
			opz, err := pipeline.Optimize(ctx, ds, idx, gr.model, rule, base, d, p)
			if err != nil {
				return err
			}
			bar.Step("writing " + out)
			err = writeOutputs(ctx, out, func(dir string) error {
				if err := pipeline.WritePlan(dir, opz.Plan); err != nil {
					return err
				}
				if err := pipeline.WriteJSON(filepath.Join(dir, "summary.json"), opz.Plan.Summary); err != nil {
					return err
				}
				aud, err = pipeline.Audit(ctx, dir, pipeline.AuditRun{Dataset: ds, Index: idx, Rule: rule, Travel: rf.travel,
					Before: base, After: opz.Network, Base: &base, Demand: d, Load: p.Load, MaxStaff: p.MaxStaffPerPoint,
					MaxCounters: p.MaxCountersPerPoint, SearchMinutes: p.SearchMinutes, Optimized: opz})
				return err
			})
			if err != nil {
				return err
			}
			s := opz.Plan.Summary
			bound := "lower bound"
			if opz.Result.Maximise {
				bound = "upper bound"
			}
			fmt.Fprintf(cmd.OutOrStdout(), "%s (%s): %d → %d service points, objective %.6g, %s %.6g, gap %.3f%%, %.2f s, %d candidates → %s\n",
				s.Model, ds.Name, s.OfficesBefore, s.OfficesAfter, s.Objective, bound, s.LowerBound, s.GapPct, s.Seconds, len(opz.Candidates), out)
			pl := opz.Plan
			fmt.Fprintf(cmd.OutOrStdout(), "mean travel to the nearest point %.1f → %.1f min (assigned %.1f), %d residents beyond the rule; staff %d available, %d needed at the peak (queue minimum), %d justified by the norms\n",
				pl.MinutesBefore, pl.MinutesAfter, pl.MinutesAssigned, pl.ResidentsBeyondRule, pl.StaffAvailable, pl.StaffNeeded, pl.StaffJustified)
			if len(s.Excluded) > 0 {
				people := 0.0
				for _, e := range s.Excluded {
					people += e.Residents
				}
				fmt.Fprintf(cmd.OutOrStdout(), "%.0f residents of %d communes no candidate can cover were left out (--uncoverable exclude): see \"excluded\" in summary.json\n",
					people, len(s.Excluded))
			}
			if p.ExportLP != "" {
				fmt.Fprintf(cmd.OutOrStdout(), "LP model written to %s\n", p.ExportLP)
			}
			return auditOutcome(cmd.ErrOrStderr(), aud, strict)
		},
	}
	addDatasetFlag(cmd, &dataset)
	cmd.Flags().StringVar(&out, "out", "", "output directory")
	cmd.Flags().StringVar(&p.Model, "model", "consolidate", "consolidate | lscp | mclp | pmedian")
	cmd.Flags().IntVar(&p.P, "p", 0, "number of open points (mclp, pmedian)")
	cmd.Flags().StringVar(&p.Scope, "scope", "", `which offices may close, e.g. "districts=718,719;kinds=one-stop;classes=urban" (default: every unlocked office in an urban commune)`)
	cmd.Flags().StringVar(&p.Candidates, "candidates", "", "your own candidate sites: CSV id,name,lon,lat or GeoJSON points")
	cmd.Flags().Float64Var(&p.TargetShare, "target-share", 1, "smallest share of residents the plan must cover (consolidate, lscp)")
	cmd.Flags().DurationVar(&p.TimeLimit, "time-limit", scenario.DefaultTimeLimit, "safety limit on the whole run, model building included: return the best plan found by then, with its gap, and say so (> 0)")
	cmd.Flags().Int64Var(&p.Work, "work", optimize.DefaultWork, "work budget of the search, in millions of steps: the same plan on any machine (--time-limit is the safety limit around it)")
	cmd.Flags().BoolVar(&p.Curve, "curve", false, "also trace points vs coverage and points vs mean minutes (plan.json \"curve\")")
	cmd.Flags().IntVar(&p.CurveMax, "curve-max", 0, "largest number of points the curve traces (0: until everyone coverable is covered)")
	cmd.Flags().StringVar(&p.ExportLP, "export-lp", "", "write the model solved as a CPLEX-LP file")
	cmd.Flags().IntVar(&p.MaxStaffPerPoint, "max-staff-per-point", 0, "premises: most staff one point hosts; merges move no more, and at most this many counters are staffed (0: no limit)")
	cmd.Flags().IntVar(&p.MaxCountersPerPoint, "max-counters-per-point", 0, "premises: most counters one point has; its capacity is the counter dossiers they serve within the 15-min wait at the peak hour, a hard limit (0: no limit)")
	cmd.Flags().Float64Var(&p.SearchMinutes, "search-minutes", 0, "travel minutes up to which candidate-to-cell times are listed for assignment (0: --minutes + 15)")
	cmd.Flags().IntVar(&p.CandidateResolution, "candidate-resolution", 0, "H3 resolution of the generated grid candidates (0: 8); 7 needs about a quarter of the memory for slightly worse plans (docs/optimize.md)")
	cmd.Flags().Float64Var(&p.CandidateSpacingM, "candidate-spacing-m", 0, "least distance in metres between generated candidates (0: 250)")
	cmd.Flags().BoolVar(&p.FixedSeconds, "fixed-seconds", false, "report 0 s as solve time so repeated runs give byte-identical files")
	cmd.Flags().StringVar(&p.Uncoverable, "uncoverable", scenario.UncoverableFail, "residents no candidate can cover under the rule: fail (name them and stop) or exclude (plan the rest, list them in plan.json \"excluded\")")
	cmd.Flags().StringVar(&forceOpen, "force-open", "", "candidate ids every plan keeps open, comma-separated: existing offices or sites of --candidates")
	cmd.Flags().StringVar(&phase, "phase", "1", "network to consolidate: 1 (the dataset's offices) or 2 (branches merged with their central-ward office)")
	cmd.Flags().Float64Var(&boundaryFree, "boundary-free", 0.3, "share of dossiers accepted regardless of boundaries (demand model)")
	addRuleFlags(cmd, &rf)
	addStrictAuditFlag(cmd, &strict)
	return cmd
}

// splitIDs splits a comma-separated list of ids, dropping spaces around
// them; "" is no id at all.
func splitIDs(s string) []string {
	if strings.TrimSpace(s) == "" {
		return nil
	}
	ids := strings.Split(s, ",")
	for k, id := range ids {
		ids[k] = strings.TrimSpace(id)
	}
	return ids
}
