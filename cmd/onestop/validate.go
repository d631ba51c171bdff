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
		Use:   "validate",
		Short: "Load a dataset and report every problem (exit 0 ok, 1 invalid data, 2 usage error)",
		Args:  argsExact(0),
		RunE: func(cmd *cobra.Command, args []string) error {
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
