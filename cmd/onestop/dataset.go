package main

import (
	"context"
	"fmt"

	"github.com/onestop/onestop/data"
	"github.com/onestop/onestop/dossier/demo"
	"github.com/spf13/cobra"
)

// addDatasetFlag registers --dataset (default: the embedded demo province).
func addDatasetFlag(cmd *cobra.Command, p *string) {
	cmd.Flags().StringVar(p, "dataset", "demo", `dataset.yaml to load, or "demo" for the embedded demo province`)
}

// loadDatasetContext loads a dataset.yaml, or the embedded demo for "demo",
// stopping when ctx is done.
func loadDatasetContext(ctx context.Context, name string) (*data.Dataset, error) {
	if name == "" {
		return nil, usagef("--dataset is empty: give a dataset.yaml path or \"demo\"")
	}
	if name == "demo" {
		ds, err := data.LoadContext(ctx, demo.FS(), demo.DatasetFile)
		if err != nil {
			return nil, fmt.Errorf("embedded demo: %w", err)
		}
		ds.Source = "demo"
		return ds, nil
	}
	return data.LoadFileContext(ctx, name)
}

// loadOffices reads an alternative offices file against ds's communes.
func loadOffices(ctx context.Context, ds *data.Dataset, path string) ([]data.Office, error) {
	return data.LoadOffices(ctx, ds, path)
}
