package main

import (
	"fmt"

	"github.com/onestop/onestop/coverage"
	"github.com/onestop/onestop/internal/progress"
	"github.com/spf13/cobra"
)

// ruleFlags are the access-rule and grid flags shared by coverage, optimize
// and simulate.
type ruleFlags struct {
	res     int
	minutes float64
	km      float64
	rule    string
	travel  coverage.Travel
}

func addRuleFlags(cmd *cobra.Command, f *ruleFlags) {
	cmd.Flags().IntVar(&f.res, "res", 9, "H3 resolution of the population cells")
	cmd.Flags().Float64Var(&f.minutes, "minutes", 30, "covered within this many minutes of travel")
	cmd.Flags().Float64Var(&f.km, "km", 5, "covered within this straight-line distance (km)")
	cmd.Flags().StringVar(&f.rule, "rule", "any", "any: time OR distance covers; all: both must")
	t := coverage.DefaultTravel()
	cmd.Flags().Float64Var(&f.travel.UrbanKmh, "urban-kmh", t.UrbanKmh, "straight-line model: door-to-door speed in urban communes (km/h)")
	cmd.Flags().Float64Var(&f.travel.RuralKmh, "rural-kmh", t.RuralKmh, "straight-line model: speed in rural communes (km/h)")
	cmd.Flags().Float64Var(&f.travel.RemoteKmh, "remote-kmh", t.RemoteKmh, "straight-line model: speed in remote communes (km/h)")
	cmd.Flags().Float64Var(&f.travel.Circuity, "circuity", t.Circuity, "road km per straight-line km")
	cmd.Flags().Float64Var(&f.travel.SnapMeters, "snap-m", t.SnapMeters, "road model: farthest a place may be from its nearest road node (m)")
	cmd.Flags().Float64Var(&f.travel.AccessKmh, "access-kmh", t.AccessKmh, "road model: speed of the off-road leg to the nearest road node (km/h)")
}

// check validates the rule flags and that --out is given (every command
// taking rule flags writes to --out), and returns the rule.
func (f ruleFlags) check(out string) (coverage.Rule, error) {
	if f.res < 0 || f.res > 15 {
		return coverage.Rule{}, usagef("--res %d: H3 resolutions are 0..15 (9 is about 0.1 km² per cell)", f.res)
	}
	if f.rule != "any" && f.rule != "all" {
		return coverage.Rule{}, usagef("--rule %q: use any or all", f.rule)
	}
	if f.minutes < 0 || f.km < 0 {
		return coverage.Rule{}, usagef("--minutes and --km must not be negative")
	}
	if out == "" {
		return coverage.Rule{}, usagef("--out is required")
	}
	return coverage.Rule{Minutes: f.minutes, Km: f.km, Mode: f.rule}, nil
}

func newCoverageCmd(g *globals) *cobra.Command {
	var dataset, offices, out string
	var rf ruleFlags
	cmd := &cobra.Command{
		Use:   "coverage",
		Short: "Travel time, distance and coverage of every populated H3 cell",
		Args:  argsExact(0),
		RunE: func(cmd *cobra.Command, args []string) error {
			rule, err := rf.check(out)
			if err != nil {
				return err
			}
			ctx := cmd.Context()
			bar := progress.New(cmd.ErrOrStderr(), 4, "coverage", g.quiet)
			defer bar.Done()
			gr, err := rf.loadGrid(ctx, dataset, bar)
			if err != nil {
				return err
			}
			ds, idx := gr.ds, gr.idx
			offs := ds.Offices
			if offices != "" {
				if offs, err = loadOffices(ctx, ds, offices); err != nil {
					return err
				}
			}
			bar.Step("measuring coverage")
			res, err := coverage.Evaluate(ctx, idx, offs, gr.model, rule)
			if err != nil {
				return err
			}
			bar.Step("writing " + out)
			err = writeOutputs(ctx, out, func(dir string) error { return coverage.WriteFiles(dir, ds, idx, res) })
			if err != nil {
				return err
			}
			p := res.Province
			fmt.Fprintf(cmd.OutOrStdout(), "%s: %d of %d residents covered (%.2f%%), %d cells at H3 res %d, %d offices; mean %.1f min, max %.1f min → %s\n",
				ds.Name, p.Covered, p.Population, p.CoveredPct, len(idx.Cells), rf.res, len(offs), p.Minutes.Mean, p.Minutes.Max, out)
			return nil
		},
	}
	addDatasetFlag(cmd, &dataset)
	cmd.Flags().StringVar(&offices, "offices", "", "offices CSV or GeoJSON to evaluate instead of the dataset's (same columns as the dataset's offices file)")
	cmd.Flags().StringVar(&out, "out", "", "output directory")
	addRuleFlags(cmd, &rf)
	return cmd
}
