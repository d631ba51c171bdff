package main

import (
	"errors"
	"fmt"

	"github.com/onestop/onestop/data"
	"github.com/spf13/cobra"
)

func newValidateCmd(g *globals) *cobra.Command {
	var dataset string
	cmd := &cobra.Command{
		Use:   "validate [DATASET]",
		Short: "Load a dataset and report every problem (exit 0 ok, 1 invalid data, 2 usage error)",
		Long:  "Loads a dataset and reports every problem with its file, record and fix. The dataset is --dataset, or DATASET given as the only argument (the same).",
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) > 1 {
				return usagef("validate takes one dataset, got %d arguments", len(args))
			}
			if len(args) == 1 && cmd.Flags().Changed("dataset") {
				return usagef("give the dataset either as --dataset or as the argument, not both")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 1 {
				dataset = args[0]
			}
			ds, err := loadDatasetContext(cmd.Context(), dataset)
			var ve *data.ValidationError
			if errors.As(err, &ve) {
				out := cmd.ErrOrStderr()
				for _, p := range ve.Problems {
					fmt.Fprintln(out, p.String())
				}
				return fmt.Errorf("%s: %d error(s), %d warning(s)", dataset, ve.Problems.Errors(), len(ve.Problems)-ve.Problems.Errors())
			}
			if err != nil {
				return err
			}
			for _, p := range ds.Warnings {
				fmt.Fprintln(cmd.ErrOrStderr(), p.String())
			}
			fmt.Fprintf(cmd.OutOrStdout(), "dataset %q is valid\n%s", ds.Name, ds.Summary().String())
			return nil
		},
	}
	addDatasetFlag(cmd, &dataset)
	return cmd
}
