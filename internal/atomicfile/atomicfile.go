// Package atomicfile writes onestop's outputs so that an error, an interrupt
// or a kill never leaves a half-written result, and never touches a file or
// directory that onestop did not create.
//
// A single file is written beside its target and renamed over it. A whole
// output directory is staged beside its target and swapped in by one atomic
// exchange (renameat2 RENAME_EXCHANGE on Linux), so at every instant the
// target holds either the complete old output or the complete new one. Each
// output directory carries a marker file (Marker) naming the command and
// version that wrote it; a directory without it is never replaced unless it
// is empty. Staging leftovers of a killed run are recognised by the process
// id in their names and recovered or removed by the next run.
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
// it into place. On any error the temporary file is removed and path is
// untouched. Write does not check who owns path: a user's --out goes
// through ReplaceFile instead.
func Write(path string, fn func(io.Writer) error) (err error) {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("create directory for %s: %w", path, err)
	}
	f, err := os.CreateTemp(dir, stagingPrefix(filepath.Base(path))+"*.tmp")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	tmp := f.Name()
	done := false
	defer func() {
		// Also on a panic in fn, which leaves err nil: never leave a
		// temporary file beside the user's output.
		if !done {
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
	done = true
	return nil
}

// ReplaceFile writes a single-file output the user named (an edges.csv, a
// compare page, an LP file): it refuses path unless CheckFile allows it,
// removes what a killed earlier write of it left beside it, then writes
// through Write.
func ReplaceFile(path string, signature []byte, fn func(io.Writer) error) error {
	real, err := CheckFile(path, signature)
	if err != nil {
		return err
	}
	removeStale(filepath.Dir(real), filepath.Base(real))
	return Write(real, fn)
}
