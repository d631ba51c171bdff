package atomicfile

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

// Marker is the file onestop writes into every output directory it creates.
// Its presence is what allows a later run to replace the directory.
const Marker = ".onestop-run"

// Stamp is what the marker records about the run that wrote a directory.
type Stamp struct {
	Command string    `json:"command"`
	Version string    `json:"version"`
	Time    time.Time `json:"time"`
}

func (s Stamp) encode() []byte {
	b, _ := json.MarshalIndent(struct {
		Tool string `json:"tool"`
		Stamp
	}{"onestop", s}, "", "  ")
	return append(b, '\n')
}

// NotOwnedError is returned when an output path exists and is not something
// onestop may replace: a foreign non-empty directory, a file, a device, or a
// symbolic link to one of those.
type NotOwnedError struct {
	Path   string
	Reason string
}

func (e *NotOwnedError) Error() string {
	return fmt.Sprintf("refusing to replace %s: %s; onestop only replaces what it wrote itself — give --out a new path", e.Path, e.Reason)
}

// resolve makes target absolute and follows a symbolic link at it, so the
// checks and the swap apply to the real directory and the link stays valid.
func resolve(target string) (string, error) {
	abs, err := filepath.Abs(target)
	if err != nil {
		return "", fmt.Errorf("output %s: %w", target, err)
	}
	fi, err := os.Lstat(abs)
	if err != nil || fi.Mode()&fs.ModeSymlink == 0 {
		return abs, nil
	}
	real, err := filepath.EvalSymlinks(abs)
	if err != nil {
		return "", &NotOwnedError{Path: target, Reason: "it is a symbolic link that cannot be followed (" + err.Error() + ")"}
	}
	return real, nil
}

// CheckDir reports whether target may become (or be replaced by) an output
// directory: it must be absent, an empty directory, or a directory holding
// Marker. It returns the path a Dir will swap (absolute, links followed).
func CheckDir(target string) (string, error) {
	real, err := resolve(target)
	if err != nil {
		return "", err
	}
	if filepath.Dir(real) == real {
		return "", &NotOwnedError{Path: target, Reason: "it is the root of the file system"}
	}
	fi, err := os.Lstat(real)
	if errors.Is(err, fs.ErrNotExist) {
		return real, nil
	}
	if err != nil {
		return "", fmt.Errorf("output %s: %w", target, err)
	}
	if !fi.IsDir() {
		return "", &NotOwnedError{Path: target, Reason: "it is " + describe(fi.Mode()) + ", not a directory"}
	}
	entries, err := os.ReadDir(real)
	if err != nil {
		return "", fmt.Errorf("output %s: %w", target, err)
	}
	if len(entries) == 0 {
		return real, nil
	}
	if mi, err := os.Lstat(filepath.Join(real, Marker)); err == nil && mi.Mode().IsRegular() {
		return real, nil
	}
	names := make([]string, 0, 3)
	for _, e := range entries {
		if len(names) == 3 {
			break
		}
		names = append(names, e.Name())
	}
	sort.Strings(names)
	more := ""
	if len(entries) > len(names) {
		more = fmt.Sprintf(" and %d more", len(entries)-len(names))
	}
	return "", &NotOwnedError{Path: target, Reason: fmt.Sprintf("it is a directory holding %s%s that onestop did not write (no %s marker)",
		strings.Join(names, ", "), more, Marker)}
}

// CheckFile reports whether the single-file output path may be written: it
// must be absent, or a regular file whose first 64 KiB contain signature
// (something only onestop's own output of that kind holds, such as a CSV
// header or a generator tag). It returns the path to write (links followed).
func CheckFile(path string, signature []byte) (string, error) {
	real, err := resolve(path)
	if err != nil {
		return "", err
	}
	fi, err := os.Lstat(real)
	if errors.Is(err, fs.ErrNotExist) {
		return real, nil
	}
	if err != nil {
		return "", fmt.Errorf("output %s: %w", path, err)
	}
	if !fi.Mode().IsRegular() {
		return "", &NotOwnedError{Path: path, Reason: "it is " + describe(fi.Mode()) + ", not a file onestop wrote"}
	}
	f, err := os.Open(real)
	if err != nil {
		return "", fmt.Errorf("output %s: %w", path, err)
	}
	defer f.Close()
	head, err := io.ReadAll(io.LimitReader(f, 64<<10))
	if err != nil {
		return "", fmt.Errorf("output %s: %w", path, err)
	}
	if !bytes.Contains(head, signature) {
		return "", &NotOwnedError{Path: path, Reason: "it is an existing file that onestop did not write"}
	}
	return real, nil
}

func describe(m fs.FileMode) string {
	switch {
	case m.IsDir():
		return "a directory"
	case m.IsRegular():
		return "a file"
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe"
	case m&fs.ModeDevice != 0, m&fs.ModeCharDevice != 0:
		return "a device"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeSymlink != 0:
		return "a symbolic link"
	}
	return "a special file"
}
