package main

import (
	"context"

	"github.com/onestop/onestop/coverage"
	"github.com/onestop/onestop/data"
	"github.com/onestop/onestop/internal/atomicfile"
	"github.com/onestop/onestop/internal/pipeline"
	"github.com/onestop/onestop/internal/progress"
)

// grid is a loaded dataset with its H3 index and travel model: where the
// coverage, optimize and simulate commands start.
type grid struct {
	ds    *data.Dataset
	idx   *coverage.Index
	model coverage.TravelModel
}

// loadGrid loads the dataset and builds its index and travel model.
func (f ruleFlags) loadGrid(ctx context.Context, dataset string, bar *progress.Reporter) (*grid, error) {
	bar.Step("loading dataset")
	ds, err := loadDatasetContext(ctx, dataset)
	if err != nil {
		return nil, err
	}
	bar.Step("building H3 index")
	idx, err := coverage.NewIndex(ctx, ds, coverage.IndexOptions{Resolution: f.res})
	if err != nil {
		return nil, err
	}
	model, _, err := pipeline.TravelModel(ds, f.travel)
	if err != nil {
		return nil, err
	}
	return &grid{ds: ds, idx: idx, model: model}, nil
}

// writeOutputs fills a staging directory through fill and swaps it into
// place as out only when fill succeeded and ctx was not cancelled, so an
// error or Ctrl-C leaves out as it was.
func writeOutputs(ctx context.Context, out string, fill func(dir string) error) error {
	dir, err := atomicfile.NewDir(out)
	if err != nil {
		return err
	}
	defer dir.Abort()
	if err := fill(dir.Path("")); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	return dir.Commit()
}
