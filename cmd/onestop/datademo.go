package main

import (
	"fmt"
	"io"

	"github.com/onestop/onestop/dossier/demo"
	"github.com/onestop/onestop/internal/pipeline"
	"github.com/spf13/cobra"
)

func newDataCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{Use: "data", Short: "Dataset utilities"}
	var out string
	var seed int64
	demoCmd := &cobra.Command{
		Use:   "demo",
		Short: "Write the embedded demo province as ordinary files with its dataset.yaml",
		Args:  argsExact(0),
		RunE: func(cmd *cobra.Command, args []string) error {
			if out == "" {
				return usagef("--out is required")
			}
			files, err := demo.Files(seed)
			if err != nil {
				return err
			}
			enc := make(map[string]func(io.Writer) error, len(files))
			for name, b := range files {
				enc[name] = func(w io.Writer) error { _, err := w.Write(b); return err }
			}
			err = writeOutputs(cmd.Context(), out, func(dir string) error { return pipeline.WriteFiles(dir, enc) })
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "demo province written to %s (seed %d); load it with --dataset %s/dataset.yaml\n", out, seed, out)
			return nil
		},
	}
	demoCmd.Flags().StringVar(&out, "out", "", "directory to write the demo files into (created, or replaced if onestop wrote it)")
	demoCmd.Flags().Int64Var(&seed, "seed", demo.DefaultSeed, "generator seed (same seed, same bytes)")
	cmd.AddCommand(demoCmd)
	return cmd
}
