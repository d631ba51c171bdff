package main

import (
	"fmt"
	"strings"

	"github.com/onestop/onestop/coverage"
	"github.com/onestop/onestop/data"
	"github.com/onestop/onestop/internal/pipeline"
	"github.com/onestop/onestop/internal/progress"
	"github.com/onestop/onestop/internal/scenario"
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
	cmd.Flags().IntVar(&f.res, "res", 9, fmt.Sprintf("H3 resolution of the population cells (%d..%d)", scenario.MinH3Res, scenario.MaxH3Res))
	cmd.Flags().Float64Var(&f.minutes, "minutes", 30, "covered within this many minutes of travel")
	cmd.Flags().Float64Var(&f.km, "km", 5, "covered within this straight-line distance (km)")
	cmd.Flags().StringVar(&f.rule, "rule", "any", "any: time OR distance covers; all: both must")
	t := coverage.DefaultTravel()
	cmd.Flags().Float64Var(&f.travel.Kmh.Urban, "urban-kmh", t.Kmh.Urban, "straight-line model: door-to-door speed in urban communes (km/h)")
	cmd.Flags().Float64Var(&f.travel.Kmh.Rural, "rural-kmh", t.Kmh.Rural, "straight-line model: speed in rural communes (km/h)")
	cmd.Flags().Float64Var(&f.travel.Kmh.Remote, "remote-kmh", t.Kmh.Remote, "straight-line model: speed in remote communes (km/h)")
	cmd.Flags().Float64Var(&f.travel.Circuity, "circuity", t.Circuity, "road km per straight-line km")
	cmd.Flags().Float64Var(&f.travel.SnapMeters, "snap-m", t.SnapMeters, "road model: farthest a place may be from its nearest road node (m)")
	cmd.Flags().Float64Var(&f.travel.AccessKmh, "access-kmh", t.AccessKmh, "road model: speed of the off-road leg to the nearest road node (km/h)")
}

// check validates the rule flags and that --out is given (every command
// taking rule flags writes to --out), and returns the rule. The ranges are
// scenario.yaml's (internal/scenario/check.go): a value one refuses the
// other refuses too.
func (f ruleFlags) check(out string) (coverage.Rule, error) {
	for _, err := range []error{
		scenario.CheckResolution(f.res, flagName),
		scenario.CheckRule(f.minutes, f.km, f.rule, flagName),
		scenario.CheckTravel(f.travel, flagName),
	} {
		if err != nil {
			return coverage.Rule{}, usageError{err}
		}
	}
	if out == "" {
		return coverage.Rule{}, usagef("--out is required")
	}
	return coverage.Rule{Minutes: f.minutes, Km: f.km, Mode: f.rule}, nil
}

// flagName is the flag that sets a scenario key: the key's last part with
// dashes ("optimize.time_limit" → --time-limit) unless the flag was named
// otherwise.
func flagName(key string) string {
	switch key {
	case "rule.mode":
		return "--rule"
	case "h3_resolution":
		return "--res"
	case "travel.speeds_kmh.urban", "travel.speeds_kmh.rural", "travel.speeds_kmh.remote":
		return "--" + key[strings.LastIndexByte(key, '.')+1:] + "-kmh"
	case "travel.max_snap_m":
		return "--snap-m"
	case "dossiers.boundary_free_share":
		return "--boundary-free"
	case "dossiers.wait_target_min":
		return "--wait-target"
	}
	return "--" + strings.ReplaceAll(key[strings.LastIndexByte(key, '.')+1:], "_", "-")
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
			files, err := coverage.Files(ds, idx, res)
			if err != nil {
				return err
			}
			err = writeOutputs(ctx, out, func(dir string) error { return pipeline.WriteFiles(dir, files) })
			if err != nil {
				return err
			}
			p := res.Province
			fmt.Fprintf(cmd.OutOrStdout(), "%s: %s of %s residents covered (%.2f%%), %d cells at H3 res %d, %d offices; mean %.1f min, max %.1f min → %s\n",
				ds.Name, data.Thousands(p.Covered), data.Thousands(p.Population), p.CoveredPct, len(idx.Cells), rf.res, len(offs), p.Minutes.Mean, p.Minutes.Max, out)
			return nil
		},
	}
	addDatasetFlag(cmd, &dataset)
	cmd.Flags().StringVar(&offices, "offices", "", "offices CSV or GeoJSON to evaluate instead of the dataset's (same columns as the dataset's offices file)")
	cmd.Flags().StringVar(&out, "out", "", "output directory")
	addRuleFlags(cmd, &rf)
	return cmd
}
