package main

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/spf13/cobra"

	"github.com/onestop/onestop/coverage"
	"github.com/onestop/onestop/data"
	"github.com/onestop/onestop/data/csvsafe"
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
// error or Ctrl-C leaves out as it was. out must be new, empty, or an
// earlier output of onestop (atomicfile.CheckDir); anything else is
// refused before any work is done.
func writeOutputs(ctx context.Context, out string, fill func(dir string) error) error {
	dir, err := atomicfile.NewDir(out, stamp(ctx))
	if err != nil {
		return err
	}
	defer dir.Abort()
	if err := fill(dir.Path("")); err != nil {
		return err
	}
	if ctx.Value(csvKey{}) == csvExcel {
		if err := excelCSVs(dir.Path("")); err != nil {
			return err
		}
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	return dir.Commit()
}

// excelCSVs rewrites every CSV under dir in the Excel dialect (--csv excel).
func excelCSVs(dir string) error {
	return filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || filepath.Ext(p) != ".csv" {
			return err
		}
		return csvsafe.ToExcelFile(p)
	})
}

// Commands say what their --out is through this annotation: outDir for a
// directory of outputs, or the signature an earlier output file of theirs
// holds (its first line or generator tag).
const outAnnotation = "onestop/out"

const outDir = "dir"

// checkOut refuses, before any work, an --out the command may not replace.
func checkOut(c *cobra.Command) error {
	kind, ok := c.Annotations[outAnnotation]
	f := c.Flags().Lookup("out")
	if !ok || f == nil || f.Value.String() == "" {
		return nil
	}
	var err error
	if kind == outDir {
		_, err = atomicfile.CheckDir(f.Value.String())
	} else {
		_, err = atomicfile.CheckFile(f.Value.String(), []byte(kind))
	}
	return err
}

// stamp is what the output marker records: the command, this binary's
// version and the time, which SOURCE_DATE_EPOCH fixes for reproducible runs.
func stamp(ctx context.Context) atomicfile.Stamp {
	cmd, _ := ctx.Value(commandKey{}).(string)
	t := time.Now().UTC().Truncate(time.Second)
	if v, err := strconv.ParseInt(os.Getenv("SOURCE_DATE_EPOCH"), 10, 64); err == nil {
		t = time.Unix(v, 0).UTC()
	}
	return atomicfile.Stamp{Command: cmd, Version: version(), Time: t}
}
