package reports

import (
	"context"
	"io"
	"os"
	"path/filepath"
)

// The package returns encoders and never writes files; these helpers write
// them for the tests, the way the pipeline does.

func writeAll(ctx context.Context, dir string, r Run) error {
	files, err := Files(ctx, r)
	if err != nil {
		return err
	}
	return writeFileMap(dir, files)
}

func writeExports(ctx context.Context, dir string, r Run) error {
	files, err := ExportFiles(ctx, r)
	if err != nil {
		return err
	}
	return writeFileMap(dir, files)
}

func writeHTML(path string, r Run) error {
	b, err := Render(r)
	if err != nil {
		return err
	}
	return os.WriteFile(path, b, 0o644)
}

func writeCompareHTML(path string, a, b Run, o CompareOptions) error {
	page, err := CompareWith(a, b, o)
	if err != nil {
		return err
	}
	return os.WriteFile(path, page, 0o644)
}

func writeGeoPackage(ctx context.Context, path string, r Run, cs []Catchment) error {
	b, err := geoPackage(ctx, r, cs)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return os.WriteFile(path, b, 0o644)
}

func writeFileMap(dir string, files map[string]func(io.Writer) error) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for name, enc := range files {
		f, err := os.Create(filepath.Join(dir, name))
		if err != nil {
			return err
		}
		if err := enc(f); err != nil {
			f.Close()
			return err
		}
		if err := f.Close(); err != nil {
			return err
		}
	}
	return nil
}
