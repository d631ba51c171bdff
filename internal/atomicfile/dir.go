package atomicfile

import (
	"fmt"
	"os"
	"path/filepath"
)

// Dir is an output directory being built. Files go to a hidden staging
// directory beside the target; Commit swaps it into place, Abort removes it.
// Until Commit the previous content of the target stays intact.
type Dir struct {
	target  string // absolute, links followed
	staging string
	stamp   Stamp

	// Tests only: step is called between the steps of Commit (a kill there
	// must leave the old or the new output), and noExchange forces the
	// two-rename commit of file systems without RENAME_EXCHANGE.
	step       func(name string)
	noExchange bool
}

// NewDir starts building the output directory target. It refuses a target
// onestop may not replace (see CheckDir), and first recovers or removes
// what a killed earlier run left beside it.
func NewDir(target string, stamp Stamp) (*Dir, error) {
	real, err := CheckDir(target)
	if err != nil {
		return nil, err
	}
	parent := filepath.Dir(real)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return nil, fmt.Errorf("create %s: %w", parent, err)
	}
	if err := recoverTarget(real); err != nil {
		return nil, fmt.Errorf("recover %s from an interrupted run: %w", target, err)
	}
	// Recovery may have put back a directory: check it again.
	if real, err = CheckDir(real); err != nil {
		return nil, err
	}
	staging, err := os.MkdirTemp(parent, stagingPrefix(filepath.Base(real)))
	if err != nil {
		return nil, fmt.Errorf("create staging directory for %s: %w", target, err)
	}
	// MkdirTemp makes it private; the result is an ordinary output directory.
	if err := os.Chmod(staging, 0o755); err != nil {
		os.RemoveAll(staging)
		return nil, fmt.Errorf("create staging directory for %s: %w", target, err)
	}
	return &Dir{target: real, staging: staging, stamp: stamp}, nil
}

// Path is where a file named name must be written before Commit.
func (d *Dir) Path(name string) string { return filepath.Join(d.staging, name) }

// Target is the final directory (absolute, symbolic links followed).
func (d *Dir) Target() string { return d.target }

func (d *Dir) at(step string) {
	if d.step != nil {
		d.step(step)
	}
}

// Commit writes the marker and replaces the target directory with the
// staged one. The target is checked again, since the run may have taken
// minutes and someone may have put files there meanwhile.
func (d *Dir) Commit() error {
	if err := WriteFile(d.Path(Marker), d.stamp.encode()); err != nil {
		return err
	}
	d.at("marked")
	if _, err := CheckDir(d.target); err != nil {
		return err
	}
	if _, err := os.Lstat(d.target); os.IsNotExist(err) {
		if err := os.Rename(d.staging, d.target); err != nil {
			return fmt.Errorf("replace %s: %w", d.target, err)
		}
		return nil
	}
	if !d.noExchange {
		err := exchange(d.staging, d.target)
		if err == nil {
			// The staging name now holds the previous output.
			d.at("exchanged")
			os.RemoveAll(d.staging)
			return nil
		}
		if err != errNoExchange {
			return fmt.Errorf("replace %s: %w", d.target, err)
		}
	}
	// Two renames: a kill between them leaves the target missing, which the
	// next run's recoverTarget repairs from the marked staging directories.
	old := d.staging + ".old"
	if err := os.Rename(d.target, old); err != nil {
		return fmt.Errorf("replace %s: %w", d.target, err)
	}
	d.at("moved-old")
	if err := os.Rename(d.staging, d.target); err != nil {
		os.Rename(old, d.target)
		return fmt.Errorf("replace %s: %w", d.target, err)
	}
	d.at("moved-new")
	os.RemoveAll(old)
	return nil
}

// Abort discards the staged files; the target is untouched. Safe after Commit.
func (d *Dir) Abort() { os.RemoveAll(d.staging) }
