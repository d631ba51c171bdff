package main

import (
	"fmt"
	"io"

	"github.com/onestop/onestop/coverage/route"
	"github.com/onestop/onestop/internal/atomicfile"
	"github.com/spf13/cobra"
)

func newGraphCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{Use: "graph", Short: "Road graph utilities"}
	var dataset, out string
	export := &cobra.Command{
		Use:   "export",
		Short: "Write the routable road graph as edges.csv (from,to,seconds,meters,from_lon,from_lat,to_lon,to_lat)",
		Args:  argsExact(0),
		RunE: func(cmd *cobra.Command, args []string) error {
			if out == "" {
				return usagef("--out is required (e.g. --out edges.csv)")
			}
			ds, err := loadDatasetContext(cmd.Context(), dataset)
			if err != nil {
				return err
			}
			if ds.Roads == nil {
				return fmt.Errorf("dataset %s has no roads section: there is no road graph to export (fix: add roads: {file: ...} to its dataset.yaml)", dataset)
			}
			gr := route.New(ds.Roads)
			if err := atomicfile.ReplaceFile(out, []byte(route.EdgesHeader), func(w io.Writer) error { return route.WriteEdgesCSV(w, gr) }); err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "%s: %d nodes, %d arcs (%d nodes outside the largest strongly connected component dropped)\n",
				out, gr.NumNodes(), gr.NumArcs(), ds.Roads.DroppedNodes)
			return nil
		},
	}
	addDatasetFlag(export, &dataset)
	export.Flags().StringVar(&out, "out", "", "edges CSV file to write (an existing file is replaced only if it is an edges.csv onestop wrote)")
	cmd.AddCommand(export)
	return cmd
}
