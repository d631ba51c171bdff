package data

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strconv"
)

// Input size limits. A dataset's files are read whole, so a mistyped path
// (/dev/zero, a 40 GB raster) must fail with a message instead of taking the
// machine's memory. Config files (dataset.yaml, scenario.yaml, plan.json)
// are small by nature; data files (GeoJSON, CSV, dossier logs) may be large.
// ONESTOP_MAX_INPUT_MB raises (or lowers) both for one run.
const (
	MaxConfigBytes int64 = 64 << 20
	MaxDataBytes   int64 = 2 << 30
)

// EnvMaxInput names the environment variable that overrides the limits, in MiB.
const EnvMaxInput = "ONESTOP_MAX_INPUT_MB"

// InputLimit is def unless ONESTOP_MAX_INPUT_MB gives a positive number of MiB.
func InputLimit(def int64) int64 {
	if v := os.Getenv(EnvMaxInput); v != "" {
		if mb, err := strconv.ParseInt(v, 10, 64); err == nil && mb > 0 && mb < 1<<40 {
			return mb << 20
		}
	}
	return def
}

// ErrNotRegular is wrapped by CheckRegular's errors.
var ErrNotRegular = errors.New("not a regular file")

// CheckRegular refuses anything but a regular file (after symlinks): a FIFO
// would block the open forever, a device (/dev/zero) never ends, and a
// directory is a mistyped path. The error names the path and the fix.
func CheckRegular(path string) error {
	fi, err := os.Stat(path)
	if err != nil {
		return err
	}
	return checkMode(path, fi)
}

func checkMode(path string, fi fs.FileInfo) error {
	m := fi.Mode()
	if m.IsRegular() {
		return nil
	}
	what := "a special file"
	switch {
	case m.IsDir():
		what = "a directory"
	case m&fs.ModeNamedPipe != 0:
		what = "a named pipe (FIFO)"
	case m&fs.ModeDevice != 0, m&fs.ModeCharDevice != 0:
		what = "a device"
	case m&fs.ModeSocket != 0:
		what = "a socket"
	}
	return &NotRegularError{Path: path, What: what}
}

// NotRegularError is CheckRegular's error: callers that report problems
// per file (the dataset loader) use What without repeating the path.
type NotRegularError struct {
	Path string
	What string // "a directory", "a named pipe (FIFO)", "a device", ...
}

func (e *NotRegularError) Error() string {
	return fmt.Sprintf("%s is %s, %v: give the path of an ordinary file", e.Path, e.What, ErrNotRegular)
}

func (e *NotRegularError) Unwrap() error { return ErrNotRegular }

// OpenInput opens path for reading after checking it is a regular file, so
// a FIFO or device named by mistake is refused instead of hanging the run.
func OpenInput(path string) (*os.File, error) {
	if err := CheckRegular(path); err != nil {
		return nil, err
	}
	return os.Open(path)
}

// ReadInput reads a whole regular file of at most limit bytes (see
// InputLimit); a larger file is refused with its size and the override.
func ReadInput(path string, limit int64) ([]byte, error) {
	f, err := OpenInput(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return ReadLimited(f, path, limit)
}

// ErrTooLarge is wrapped by ReadLimited's error for a file over the limit.
var ErrTooLarge = errors.New("file too large")

// TooLargeError is ReadLimited's error for a file over the limit.
type TooLargeError struct {
	Name  string
	Limit int64 // bytes
}

func (e *TooLargeError) Error() string {
	return fmt.Sprintf("%s is larger than %d MiB, the most onestop reads from one file: check the path, or raise the limit with %s=<MiB>",
		e.Name, e.Limit>>20, EnvMaxInput)
}

func (e *TooLargeError) Unwrap() error { return ErrTooLarge }

// ReadLimited reads r whole, refusing more than limit bytes; name is the
// file the error names.
func ReadLimited(r io.Reader, name string, limit int64) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", name, err)
	}
	if int64(len(b)) > limit {
		return nil, &TooLargeError{Name: name, Limit: limit}
	}
	return b, nil
}
