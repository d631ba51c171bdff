// Package atomicfile writes files and whole output directories so that an
// error or an interrupt never leaves a half-written result behind.
package atomicfile

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// WriteFile writes data to a temporary file beside path and renames it into
// place, so readers see either the old file or the complete new one.
func WriteFile(path string, data []byte) error {
	return Write(path, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	})
}

// Write streams into a temporary file beside path through fn, then renames
// it into place. On any error the temporary file is removed and path is untouched.
func Write(path string, fn func(io.Writer) error) (err error) {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("create directory for %s: %w", path, err)
	}
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp*")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	tmp := f.Name()
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(tmp)
		}
	}()
	if err = fn(f); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err = f.Chmod(0o644); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err = f.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err = os.Rename(tmp, path); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

// Dir is an output directory being built. Files go to a hidden staging
// directory beside the target; Commit swaps it into place, Abort removes it.
// Until Commit the previous content of the target stays intact.
type Dir struct {
	target  string
	staging string
}

// NewDir starts building the output directory target.
func NewDir(target string) (*Dir, error) {
	target = filepath.Clean(target)
	parent := filepath.Dir(target)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return nil, fmt.Errorf("create %s: %w", parent, err)
	}
	staging, err := os.MkdirTemp(parent, "."+filepath.Base(target)+".staging*")
	if err != nil {
		return nil, fmt.Errorf("create staging directory for %s: %w", target, err)
	}
	// MkdirTemp makes it private; the result is an ordinary output directory.
	if err := os.Chmod(staging, 0o755); err != nil {
		os.RemoveAll(staging)
		return nil, fmt.Errorf("create staging directory for %s: %w", target, err)
	}
	return &Dir{target: target, staging: staging}, nil
}

// Path is where a file named name must be written before Commit.
func (d *Dir) Path(name string) string { return filepath.Join(d.staging, name) }

// Target is the final directory.
func (d *Dir) Target() string { return d.target }

// Commit replaces the target directory with the staged one.
func (d *Dir) Commit() error {
	old := ""
	if _, err := os.Stat(d.target); err == nil {
		old = d.staging + ".old"
		if err := os.Rename(d.target, old); err != nil {
			return fmt.Errorf("replace %s: %w", d.target, err)
		}
	}
	if err := os.Rename(d.staging, d.target); err != nil {
		if old != "" {
			os.Rename(old, d.target)
		}
		return fmt.Errorf("replace %s: %w", d.target, err)
	}
	if old != "" {
		os.RemoveAll(old)
	}
	return nil
}

// Abort discards the staged files; the target is untouched. Safe after Commit.
func (d *Dir) Abort() { os.RemoveAll(d.staging) }
