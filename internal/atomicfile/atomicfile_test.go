package atomicfile

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"
)

func TestWriteLeavesOldFileOnError(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "out.csv")
	if err := WriteFile(p, []byte("old")); err != nil {
		t.Fatal(err)
	}
	boom := errors.New("disk full")
	err := Write(p, func(w io.Writer) error {
		io.WriteString(w, "half a fi")
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("error %v does not wrap the writer's", err)
	}
	if b, _ := os.ReadFile(p); string(b) != "old" {
		t.Fatalf("file is %q after a failed write", b)
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 1 {
		t.Fatalf("temporary file left behind: %d entries", len(ents))
	}
}

func TestDirCommitAndAbort(t *testing.T) {
	parent := t.TempDir()
	target := filepath.Join(parent, "run")
	os.MkdirAll(target, 0o755)
	os.WriteFile(filepath.Join(target, "old.txt"), []byte("old"), 0o644)

	d, err := NewDir(target)
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(d.Path("new.txt"), []byte("new"), 0o644)
	d.Abort()
	if _, err := os.Stat(filepath.Join(target, "old.txt")); err != nil {
		t.Fatal("abort touched the target")
	}

	d, err = NewDir(target)
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(d.Path("new.txt"), []byte("new"), 0o644)
	if err := d.Commit(); err != nil {
		t.Fatal(err)
	}
	d.Abort() // safe after Commit
	if _, err := os.Stat(filepath.Join(target, "old.txt")); !os.IsNotExist(err) {
		t.Error("old content survived the commit")
	}
	if b, _ := os.ReadFile(filepath.Join(target, "new.txt")); string(b) != "new" {
		t.Errorf("new.txt = %q", b)
	}
	if fi, _ := os.Stat(target); fi.Mode().Perm() != 0o755 {
		t.Errorf("output directory mode %v, want 0755", fi.Mode().Perm())
	}
	if ents, _ := os.ReadDir(parent); len(ents) != 1 {
		t.Errorf("staging leftovers: %d entries beside the target", len(ents))
	}
}
