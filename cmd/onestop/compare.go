package main

import (
	"fmt"

	"github.com/onestop/onestop/internal/atomicfile"
	"github.com/onestop/onestop/internal/pipeline"
	"github.com/onestop/onestop/reports"
	"github.com/spf13/cobra"
)

func newCompareCmd(g *globals) *cobra.Command {
	var out string
	cmd := &cobra.Command{
		Use:   "compare RUN_A RUN_B",
		Short: "Put two plan runs side by side in one HTML report",
		Long:  "RUN_A and RUN_B are output directories of `onestop plan` (or their run.json files).",
		Args:  argsExact(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			if out == "" {
				return usagef("--out is required (e.g. --out compare.html)")
			}
			path, err := atomicfile.CheckFile(out, []byte(reports.GeneratorTag))
			if err != nil {
				return err
			}
			a, err := pipeline.ReadRun(args[0])
			if err != nil {
				return err
			}
			b, err := pipeline.ReadRun(args[1])
			if err != nil {
				return err
			}
			if err := reports.WriteCompareHTML(path, a, b); err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "comparison of %s and %s written to %s\n", args[0], args[1], out)
			return nil
		},
	}
	cmd.Flags().StringVar(&out, "out", "", "HTML file to write (an existing file is replaced only if onestop wrote it)")
	return cmd
}
