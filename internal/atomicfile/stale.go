package atomicfile

import (
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
)

// Staging names are ".<base>.onestop-<pid>-<random>[.old|.tmp]": the process
// id tells a later run whether the writer is still alive.
func stagingPrefix(base string) string {
	return "." + base + ".onestop-" + strconv.Itoa(os.Getpid()) + "-"
}

// leftover is a staging entry of base whose writer has died.
type leftover struct {
	path string
	old  bool // the previous output, moved aside by a non-atomic commit
	done bool // a complete output: it holds the marker
}

// leftovers lists the staging entries of base in dir left by dead processes.
func leftovers(dir, base string) []leftover {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil
	}
	prefix := "." + base + ".onestop-"
	var out []leftover
	for _, e := range entries {
		name := e.Name()
		rest, ok := strings.CutPrefix(name, prefix)
		if !ok {
			continue
		}
		pidText, _, ok := strings.Cut(rest, "-")
		pid, err := strconv.Atoi(pidText)
		if !ok || err != nil || pid <= 0 || alive(pid) {
			continue
		}
		p := filepath.Join(dir, name)
		l := leftover{path: p, old: strings.HasSuffix(name, ".old")}
		if fi, err := os.Lstat(filepath.Join(p, Marker)); err == nil && fi.Mode().IsRegular() {
			l.done = true
		}
		out = append(out, l)
	}
	return out
}

// alive reports whether process pid exists. Our own process counts as alive:
// its staging entries belong to a run still in progress.
func alive(pid int) bool {
	if pid == os.Getpid() {
		return true
	}
	err := syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}

// removeStale deletes the leftovers of base in dir.
func removeStale(dir, base string) {
	for _, l := range leftovers(dir, base) {
		os.RemoveAll(l.path)
	}
}

// recoverTarget puts back an output that a kill between the two renames of
// a non-atomic commit left only as a staging entry: the complete new output
// if there is one, else the previous one. Then it removes every leftover.
func recoverTarget(target string) error {
	dir, base := filepath.Split(target)
	ls := leftovers(dir, base)
	if _, err := os.Lstat(target); errors.Is(err, os.ErrNotExist) {
		pick := -1
		for i, l := range ls {
			if !l.done {
				continue
			}
			if pick < 0 || (ls[pick].old && !l.old) {
				pick = i
			}
		}
		if pick >= 0 {
			if err := os.Rename(ls[pick].path, target); err != nil {
				return err
			}
			ls = append(ls[:pick], ls[pick+1:]...)
		}
	}
	for _, l := range ls {
		os.RemoveAll(l.path)
	}
	return nil
}
