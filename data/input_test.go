package data

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

func TestReadInputRefusesSpecialFiles(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "pipe.csv")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	for _, p := range []string{fifo, dir, "/dev/zero"} {
		_, err := ReadInput(p, 1<<20)
		if !errors.Is(err, ErrNotRegular) || !strings.Contains(err.Error(), p) {
			t.Errorf("ReadInput(%s) = %v, want a not-regular error naming it", p, err)
		}
	}
}

func TestReadInputLimit(t *testing.T) {
	p := filepath.Join(t.TempDir(), "big.csv")
	os.WriteFile(p, make([]byte, 3<<20), 0o644)
	if _, err := ReadInput(p, 2<<20); err == nil || !strings.Contains(err.Error(), EnvMaxInput) {
		t.Fatalf("3 MiB under a 2 MiB limit: %v", err)
	}
	if b, err := ReadInput(p, 3<<20); err != nil || len(b) != 3<<20 {
		t.Fatalf("3 MiB under a 3 MiB limit: %d bytes, %v", len(b), err)
	}
	t.Setenv(EnvMaxInput, "5")
	if got := InputLimit(MaxDataBytes); got != 5<<20 {
		t.Fatalf("InputLimit with %s=5: %d", EnvMaxInput, got)
	}
}
