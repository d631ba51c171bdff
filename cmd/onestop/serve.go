package main

import (
	"context"
	"fmt"
	"net"
	"path/filepath"

	"github.com/onestop/onestop/data"
	"github.com/onestop/onestop/internal/pipeline"
	"github.com/onestop/onestop/internal/scenario"
	"github.com/onestop/onestop/internal/serve"
	"github.com/onestop/onestop/optimize"
	"github.com/spf13/cobra"
)

func newServeCmd(g *globals) *cobra.Command {
	var dataset, scen, runDir, addr string
	var listenAny, simulate bool
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Local planning page: close, add and move offices and see coverage, staff and waits at once",
		Long: `Serves a planning page and its JSON API (docs/serve.md) on --addr, loopback
only unless --listen-any. The page shows the province's communes coloured by
travel time and the offices by status; click an office to close or reopen it,
click the map to add a point, drag a point to move it, lock offices, run the
optimizer from the current network, and save a scenario.yaml that
` + "`onestop plan`" + ` reproduces. --dataset starts from the dataset's phase-2 network,
--scenario from the scenario's settings, --run DIR from the plan.json of a
phase-3 run (with the --scenario it was made from). Ctrl-C stops the server.`,
		Args: argsExact(0),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := serve.CheckAddr(addr, listenAny); err != nil {
				return usageError{err}
			}
			if cmd.Flags().Changed("dataset") && scen != "" {
				return usagef("give --dataset or --scenario, not both (the scenario names its dataset)")
			}
			var sc *scenario.Scenario
			if scen != "" {
				var err error
				if sc, err = loadScenario(scen); err != nil {
					return err
				}
			} else {
				d := scenario.Default()
				sc = &d
				sc.Name, sc.Phase, sc.Dataset = "serve", 2, dataset
				if dataset != "demo" {
					abs, err := filepath.Abs(dataset)
					if err != nil {
						return err
					}
					sc.Dataset = abs
				}
			}
			var start *optimize.Plan
			if runDir != "" {
				var err error
				if start, err = pipeline.ReadPlan(filepath.Join(runDir, "plan.json")); err != nil {
					return fmt.Errorf("--run %s: %w (fix: give the --out directory of a phase-3 `onestop plan`)", runDir, err)
				}
			}
			ctx := cmd.Context()
			if !g.quiet {
				fmt.Fprintf(cmd.ErrOrStderr(), "serve: loading %s …\n", sc.DatasetPath())
			}
			srv, err := serve.New(ctx, serve.Options{Scenario: sc, Start: start, Version: version(), Simulate: simulate,
				LoadDataset: func(ctx context.Context, ref string) (*data.Dataset, error) { return loadDatasetContext(ctx, ref) }})
			if err != nil {
				return err
			}
			ln, err := net.Listen("tcp", addr)
			if err != nil {
				return fmt.Errorf("serve: listen on %s: %w (fix: pick a free port with --addr)", addr, err)
			}
			fmt.Fprintf(cmd.OutOrStdout(), "onestop serve: http://%s/ (Ctrl-C to stop)\n", ln.Addr())
			return srv.Serve(ctx, ln)
		},
	}
	addDatasetFlag(cmd, &dataset)
	cmd.Flags().StringVar(&scen, "scenario", "", "scenario.yaml, or the name of a shipped example, whose settings the page uses")
	cmd.Flags().StringVar(&runDir, "run", "", "output directory of a phase-3 `onestop plan` run: start from its plan (plan.json)")
	cmd.Flags().StringVar(&addr, "addr", "127.0.0.1:8765", "address to listen on (host:port; loopback unless --listen-any)")
	cmd.Flags().BoolVar(&listenAny, "listen-any", false, "allow a non-loopback --addr (anyone who reaches it can use the page)")
	cmd.Flags().BoolVar(&simulate, "simulate", false, "simulate the year's queues on every edit, as `onestop plan` does (slower); default: waits by Erlang C at the peak hour")
	return cmd
}
