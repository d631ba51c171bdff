package main

import (
	"fmt"
	"path/filepath"
	"sort"
	"strings"

	"github.com/onestop/onestop/coverage"
	"github.com/onestop/onestop/dossier"
	"github.com/onestop/onestop/internal/pipeline"
	"github.com/onestop/onestop/internal/progress"
	"github.com/onestop/onestop/optimize"
	"github.com/spf13/cobra"
)

func newSimulateCmd(g *globals) *cobra.Command {
	var dataset, planPath, logPath, out string
	var rf ruleFlags
	p := pipeline.LoadParams{}
	cmd := &cobra.Command{
		Use:   "simulate",
		Short: "Dossier load per office: norms, Erlang C and simulated waiting, staff rebalancing",
		Args:  argsExact(0),
		RunE: func(cmd *cobra.Command, args []string) error {
			rule, err := rf.check(out)
			if err != nil {
				return err
			}
			// The pipeline reads 0 as "default" for some of these, so a
			// bad value must be refused here, before it is reinterpreted.
			// The ranges are the dossier package's, shared with scenario files.
			for _, c := range []struct {
				flag string
				err  error
			}{
				{"--log-sample", dossier.CheckLogSample(p.LogSample)},
				{"--boundary-free", dossier.CheckBoundaryFree(p.BoundaryFree)},
				{"--wait-target", dossier.CheckWaitTarget(p.WaitTargetMin)},
				{"--year", dossier.CheckYear(p.Year)},
			} {
				if c.err != nil {
					return usagef("%s: %w", c.flag, c.err)
				}
			}
			p.Log = logPath
			ctx := cmd.Context()
			bar := progress.New(cmd.ErrOrStderr(), 5, "simulate", g.quiet)
			defer bar.Done()
			gr, err := rf.loadGrid(ctx, dataset, bar)
			if err != nil {
				return err
			}
			ds, idx := gr.ds, gr.idx
			net := optimize.Phase1(ds)
			if planPath != "" {
				pl, err := pipeline.ReadPlan(planPath)
				if err != nil {
					return err
				}
				// A plan lists every office of the network it was made for:
				// the dataset's (phase 1) or the phase-2 merged one.
				name := "plan " + filepath.Base(filepath.Dir(planPath))
				applied, err := optimize.ApplyPlan(net, pl, name)
				if err != nil {
					var err2 error
					if applied, err2 = optimize.ApplyPlan(optimize.Phase2(ds), pl, name); err2 != nil {
						return err
					}
				}
				net = applied
			}
			bar.Step("travel times")
			res, err := coverage.Evaluate(ctx, idx, net.Offices, gr.model, rule)
			if err != nil {
				return err
			}
			bar.Step("dossier demand and queues")
			d, err := pipeline.ComputeDemand(ds, idx, p)
			if err != nil {
				return err
			}
			for _, pr := range d.Problems {
				fmt.Fprintln(cmd.ErrOrStderr(), pr.String())
			}
			if d.Log != nil {
				// The span and rows the yearly volumes rest on (also in load.json).
				fmt.Fprintln(cmd.OutOrStdout(), d.Log.Info())
			}
			lr, err := pipeline.CheckLoad(ctx, ds, d, res, net, p)
			if err != nil {
				return err
			}
			bar.Step("writing " + out)
			err = writeOutputs(ctx, out, func(dir string) error {
				if err := pipeline.WriteFiles(dir, lr.Files()); err != nil {
					return fmt.Errorf("dossier outputs: %w", err)
				}
				sum := map[string]any{"dataset": ds.Name, "network": net.Name, "offices": len(net.Offices), "load": lr.Summary}
				return pipeline.WriteJSON(filepath.Join(dir, "summary.json"), sum)
			})
			if err != nil {
				return err
			}
			s := lr.Summary
			// The two measures stay apart: service (wait, occupancy at the
			// peak hour) and productivity (dossiers per staff vs the norm).
			fmt.Fprintf(cmd.OutOrStdout(), "%s: %d offices, %d dossiers/year (%d at the counter; offices by load source: %s); mean wait %.1f min, max peak occupancy %.2f, %d overloaded (peak wait above %g min), %d under-used (below the norm); staff needed %d, justified %d, available %d; %d staff moves → %s\n",
				net.Name, len(net.Offices), s.Dossiers, s.CounterDossiers, bySource(s.OfficesBySource), s.MeanWaitMin, s.MaxPeakOccupancy,
				s.OfficesOverloaded, lr.Options.WaitTargetMin, s.OfficesUnderused, s.StaffNeeded, s.StaffJustified, s.StaffAvailable, s.StaffMoves, out)
			return nil
		},
	}
	addDatasetFlag(cmd, &dataset)
	cmd.Flags().StringVar(&planPath, "plan", "", "plan.json of an optimize or plan run: simulate the network it proposes (default: the dataset's offices)")
	cmd.Flags().StringVar(&logPath, "dossiers", "", "dossier log CSV to use instead of the dataset's (format: docs/dossiers.md)")
	cmd.Flags().Float64Var(&p.LogSample, "log-sample", 1, "fraction of all dossiers the --dossiers log holds")
	cmd.Flags().Float64Var(&p.BoundaryFree, "boundary-free", 0.3, "share of dossiers accepted regardless of administrative boundaries (go to the nearest office)")
	cmd.Flags().Float64Var(&p.WaitTargetMin, "wait-target", 15, "mean waiting target per transaction (minutes)")
	cmd.Flags().IntVar(&p.Year, "year", 2024, "calendar year simulated")
	cmd.Flags().Int64Var(&p.Seed, "seed", 1, "simulation seed (same seed, same output)")
	cmd.Flags().BoolVar(&p.SkipSim, "skip-sim", false, "judge waiting by Erlang C only (no year simulation)")
	cmd.Flags().StringVar(&out, "out", "", "output directory")
	addRuleFlags(cmd, &rf)
	return cmd
}

// bySource writes offices-by-load-source counts as "recorded 12, log 30".
func bySource(m map[string]int) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s %d", k, m[k])
	}
	return strings.Join(parts, ", ")
}
