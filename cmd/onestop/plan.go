package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/onestop/onestop/data"
	"github.com/onestop/onestop/internal/audit"
	"github.com/onestop/onestop/internal/pipeline"
	"github.com/onestop/onestop/internal/progress"
	"github.com/onestop/onestop/internal/scenario"
	"github.com/spf13/cobra"
)

func newPlanCmd(g *globals) *cobra.Command {
	var scen, out, lang string
	var fixed, strict bool
	cmd := &cobra.Command{
		Use:   "plan",
		Short: "Run a scenario end to end: validate, coverage before, optimize, coverage after, dossier check, report.html",
		Long: `Runs a scenario.yaml (docs/scenario.md) end to end and writes report.html,
summary.json, plan.json/plan.csv (phase 3), load.json/load.csv, coverage-before/,
coverage-after/, the analysts' exports and run.json into --out; phase: reception
writes summary.json, reception.csv and national.html (docs/reception.md). Without
--scenario it runs the embedded demo province's phase-3 scenario. --scenario
also takes the name of a shipped example: ` + fmt.Sprint(scenario.Examples()) + `.`,
		Args: argsExact(0),
		RunE: func(cmd *cobra.Command, args []string) error {
			if out == "" {
				return usagef("--out is required")
			}
			if lang != "" && lang != "vi" && lang != "en" {
				return usagef("--lang %q: use vi or en", lang)
			}
			sc, err := loadScenario(scen)
			if err != nil {
				return err
			}
			ctx := cmd.Context()
			bar := progress.New(cmd.ErrOrStderr(), pipeline.Steps, "plan", g.quiet)
			defer bar.Done()
			var res *pipeline.Outcome
			err = writeOutputs(ctx, out, func(dir string) (err error) {
				res, err = pipeline.Plan(ctx, sc, dir, pipeline.PlanOptions{
					Lang: lang, FixedSeconds: fixed, Progress: bar, Version: version(),
					LoadDataset: func(ctx context.Context, ref string) (*data.Dataset, error) { return loadDatasetContext(ctx, ref) },
				})
				return err
			})
			if err != nil {
				return err
			}
			bar.Done()
			w := cmd.OutOrStdout()
			fmt.Fprintf(w, "%s — %s\n", res.Dataset, sc.Name)
			if sc.Phase == scenario.Reception { // docs/reception.md: per-province figures, no network-wide load check
				fmt.Fprintf(w, "  commune centres: %d, reception points added: %d; residents within the rule: %.2f%% → %.2f%% of %s; largest gap of a province: %.2f%%\n  report: %s/national.html, points: %s/reception.csv\n",
					res.OfficesBefore, res.OfficesAfter-res.OfficesBefore, res.CoveredBefore, res.CoveredAfter, data.Thousands(res.Population), res.GapPct, out, out)
				printWarnings(cmd.ErrOrStderr(), res.Warnings)
				return nil
			}
			fmt.Fprintf(w, "  offices: %d → %d; residents covered: %.2f%% → %.2f%% of %s; mean travel: %.1f → %.1f min\n",
				res.OfficesBefore, res.OfficesAfter, res.CoveredBefore, res.CoveredAfter, data.Thousands(res.Population), res.MeanMinBefore, res.MeanMinAfter)
			if sc.Phase == 3 {
				fmt.Fprintf(w, "  optimizer gap: %.2f%%\n", res.GapPct)
			}
			l := res.LoadAfter
			fmt.Fprintf(w, "  mean wait %.1f min, max peak occupancy %.2f, %d offices overloaded, %d under-used\n",
				l.MeanWaitMin, l.MaxPeakOccupancy, l.OfficesOverloaded, l.OfficesUnderused)
			fmt.Fprintf(w, "  report: %s/report.html\n", out)
			printWarnings(cmd.ErrOrStderr(), res.Warnings)
			return auditOutcome(cmd.ErrOrStderr(), res.Audit, strict)
		},
	}
	cmd.Flags().StringVar(&scen, "scenario", "", "scenario.yaml, or the name of a shipped example (default: "+scenario.DefaultExample+")")
	cmd.Flags().StringVar(&out, "out", "", "output directory (replaced atomically when the run succeeds)")
	cmd.Flags().StringVar(&lang, "lang", "", "report language, vi or en (default: the scenario's report.lang)")
	cmd.Flags().BoolVar(&fixed, "fixed-seconds", false, "report 0 s as solve time so repeated runs give byte-identical files")
	addStrictAuditFlag(cmd, &strict)
	return cmd
}

// addStrictAuditFlag adds --strict-audit, shared by plan and optimize.
func addStrictAuditFlag(cmd *cobra.Command, strict *bool) {
	cmd.Flags().BoolVar(strict, "strict-audit", false, "fail (exit 1, outputs kept) when the audit finds a stated figure that does not hold (audit.json, docs/audit.md); without it the mismatches are printed and the run succeeds")
}

// auditOutcome prints the audit's mismatches on stderr (the first 10 and
// a count) and, with --strict-audit, fails the run on any off the known list.
func auditOutcome(w io.Writer, r *audit.Result, strict bool) error {
	for _, l := range pipeline.AuditLines(r, maxWarnings) {
		fmt.Fprintln(w, "onestop:", l)
	}
	if strict && r != nil && !r.OK() {
		return &pipeline.AuditError{Result: r}
	}
	return nil
}

// loadScenario reads a scenario file, or a shipped example by name.
func loadScenario(ref string) (*scenario.Scenario, error) {
	if ref == "" {
		ref = scenario.DefaultExample
	}
	if _, err := os.Stat(ref); err != nil {
		for _, name := range scenario.Examples() {
			if name == ref {
				s, _, err := scenario.Example(name)
				return s, err
			}
		}
	}
	return scenario.Load(ref)
}

// maxWarnings is how many warnings plan prints before counting the rest;
// plan.json and the report keep them all.
const maxWarnings = 10

// printWarnings ends a run with its warnings on stderr, so a planner sees
// what the numbers above assumed or could not do.
func printWarnings(w io.Writer, ws []string) {
	for i, s := range ws {
		if i == maxWarnings {
			fmt.Fprintf(w, "onestop: … and %d more warnings (all in plan.json and the report)\n", len(ws)-maxWarnings)
			return
		}
		// Dataset problems carry their own "warning: " (data.Problem).
		fmt.Fprintln(w, "onestop: warning:", strings.TrimPrefix(s, "warning: "))
	}
}
