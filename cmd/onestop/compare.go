package main

import (
	"fmt"
	"io"

	"github.com/onestop/onestop/internal/atomicfile"
	"github.com/onestop/onestop/internal/pipeline"
	"github.com/onestop/onestop/reports"
	"github.com/spf13/cobra"
)

func newCompareCmd(g *globals) *cobra.Command {
	var (
		out   string
		force bool
	)
	cmd := &cobra.Command{
		Use:   "compare RUN_A RUN_B",
		Short: "Put two plan runs side by side in one HTML report",
		Long: "RUN_A and RUN_B are output directories of `onestop plan` (or their run.json files).\n" +
			"Both runs must come from one dataset (same dataset name and communes); runs of different\n" +
			"datasets are refused (exit 2) unless --force, and the page then says they differ.",
		Args: argsExact(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			if out == "" {
				return usagef("--out is required (e.g. --out compare.html)")
			}
			a, err := pipeline.ReadRun(args[0])
			if err != nil {
				return err
			}
			b, err := pipeline.ReadRun(args[1])
			if err != nil {
				return err
			}
			if err := reports.DatasetMismatch(a, b); err != nil && !force {
				return usagef("%s and %s: %v (fix: compare two runs of one dataset, or pass --force)", args[0], args[1], err)
			}
			page, err := reports.CompareWith(a, b, reports.CompareOptions{Force: force})
			if err != nil {
				return err
			}
			if err := atomicfile.ReplaceFile(out, []byte(reports.GeneratorTag), func(w io.Writer) error {
				_, err := w.Write(page)
				return err
			}); err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "comparison of %s and %s written to %s\n", args[0], args[1], out)
			return nil
		},
	}
	cmd.Flags().StringVar(&out, "out", "", "HTML file to write (an existing file is replaced only if onestop wrote it)")
	cmd.Flags().BoolVar(&force, "force", false, "compare runs of different datasets anyway (communes are matched by code; the page says so)")
	return cmd
}
