package main

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// Every command that takes --out refuses, with exit 2 and the path named,
// an --out it did not write, and leaves every byte of it as it was.
func TestOutRefusesWhatOnestopDidNotWrite(t *testing.T) {
	t.Parallel()
	parent := t.TempDir()
	foreign := filepath.Join(parent, "m")
	os.Mkdir(foreign, 0o755)
	thesis := filepath.Join(foreign, "thesis.txt")
	os.WriteFile(thesis, []byte("x"), 0o644)
	notes := filepath.Join(parent, "notes.txt")
	os.WriteFile(notes, []byte("my notes"), 0o644)
	link := filepath.Join(parent, "link")
	os.Symlink(foreign, link)
	runA := filepath.Join(parent, "a")
	for _, target := range []string{foreign, notes, link, "/dev/null"} {
		for _, args := range [][]string{
			{"coverage", "--quiet", "--out", target},
			{"simulate", "--quiet", "--skip-sim", "--out", target},
			{"optimize", "--quiet", "--out", target},
			{"plan", "--quiet", "--out", target},
			{"data", "demo", "--out", target},
			{"graph", "export", "--out", target},
			{"compare", runA, runA, "--out", target},
		} {
			if args[0] == "compare" && target == foreign {
				continue // a directory is no HTML file: refused too, tested with notes.txt
			}
			code, _, errs := runCLI(t, context.Background(), args...)
			if code != 2 || !strings.Contains(errs, "refusing to replace "+target) {
				t.Errorf("%v: exit %d, stderr %q; want exit 2 refusing %s", args, code, errs, target)
			}
		}
	}
	if b, _ := os.ReadFile(thesis); string(b) != "x" {
		t.Fatal("thesis.txt changed")
	}
	if b, _ := os.ReadFile(notes); string(b) != "my notes" {
		t.Fatal("notes.txt changed")
	}
	if fi, err := os.Stat("/dev/null"); err != nil || fi.Mode()&os.ModeCharDevice == 0 {
		t.Fatal("/dev/null is no longer a device")
	}
	ents, _ := os.ReadDir(parent)
	if len(ents) != 3 {
		t.Fatalf("%d entries beside the targets, want 3 (nothing staged and left)", len(ents))
	}
}

// A run's output carries the marker, so the next run may replace it; an
// empty directory may be used once.
func TestOutReplacesItsOwnOutput(t *testing.T) {
	t.Parallel()
	out := filepath.Join(t.TempDir(), "demo")
	os.Mkdir(out, 0o755)
	for i := 0; i < 2; i++ {
		if code, _, errs := runCLI(t, context.Background(), "data", "demo", "--out", out); code != 0 {
			t.Fatalf("run %d: exit %d: %s", i, code, errs)
		}
	}
	m, err := os.ReadFile(filepath.Join(out, ".onestop-run"))
	if err != nil || !strings.Contains(string(m), `"command": "onestop data demo"`) || !strings.Contains(string(m), `"version"`) {
		t.Fatalf("marker %s, %v", m, err)
	}
	edges := filepath.Join(t.TempDir(), "edges.csv")
	for i := 0; i < 2; i++ {
		if code, _, errs := runCLI(t, context.Background(), "graph", "export", "--dataset", filepath.Join(out, "dataset.yaml"), "--out", edges); code != 0 {
			t.Fatalf("graph export %d: exit %d: %s", i, code, errs)
		}
	}
}

func TestVersion(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{{"version"}, {"--version"}} {
		code, out, _ := runCLI(t, context.Background(), args...)
		if code != 0 || !strings.HasPrefix(out, "onestop ") {
			t.Errorf("%v: exit %d, %q", args, code, out)
		}
	}
}

// The supervisor turns a crash Go cannot recover (here a panic in a worker
// goroutine, like an out-of-memory) into exit 3 with a request to report it,
// instead of the runtime's exit 2 that reads as a usage error.
func TestCrashExitsInternal(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the test binary twice")
	}
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "ONESTOP_TEST_MAIN=crash")
	var stderr strings.Builder
	cmd.Stderr = &stderr
	err := cmd.Run()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != exitInternal {
		t.Fatalf("crash: %v, want exit %d\n%s", err, exitInternal, stderr.String())
	}
	for _, want := range []string{"panic: boom", "internal error", "bug in onestop"} {
		if !strings.Contains(stderr.String(), want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr.String())
		}
	}
	// A supervised run that ends normally keeps its own status.
	cmd = exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "ONESTOP_TEST_MAIN=exit1")
	if err := cmd.Run(); !errors.As(err, &ee) || ee.ExitCode() != 1 {
		t.Fatalf("exit1: %v", err)
	}
}

func TestMain(m *testing.M) {
	switch os.Getenv("ONESTOP_TEST_MAIN") {
	case "crash":
		if code, ok := supervise(); ok {
			os.Exit(code)
		}
		go func() { panic("boom") }()
		time.Sleep(time.Minute)
	case "exit1":
		if code, ok := supervise(); ok {
			os.Exit(code)
		}
		os.Exit(1)
	}
	os.Exit(m.Run())
}

// --csv excel writes every CSV of the output in Excel's dialect: BOM, ";"
// and decimal commas, which a reader set that way parses back.
func TestCSVExcel(t *testing.T) {
	t.Parallel()
	out := filepath.Join(t.TempDir(), "cov")
	if code, _, errs := runCLI(t, context.Background(), "coverage", "--quiet", "--csv", "excel", "--out", out); code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	b, err := os.ReadFile(filepath.Join(out, "cells.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(b), "\uFEFFh3;lon;lat;") {
		t.Fatalf("cells.csv starts %.40q", b)
	}
	r := csv.NewReader(strings.NewReader(strings.TrimPrefix(string(b), "\uFEFF")))
	r.Comma = ';'
	rows, err := r.ReadAll()
	if err != nil || len(rows) < 100 {
		t.Fatalf("%d rows, %v", len(rows), err)
	}
	lon, err := strconv.ParseFloat(strings.Replace(rows[1][1], ",", ".", 1), 64)
	if err != nil || lon < 100 || lon > 110 || !strings.Contains(rows[1][1], ",") {
		t.Fatalf("lon cell %q", rows[1][1])
	}
	if code, _, _ := runCLI(t, context.Background(), "coverage", "--csv", "tsv", "--out", out); code != 2 {
		t.Fatalf("--csv tsv: exit %d, want 2", code)
	}
}

func TestPrintWarnings(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		n         int
		lines     int
		wantCount string
	}{{0, 0, ""}, {3, 3, ""}, {10, 10, ""}, {11, 11, "1 more"}, {36, 11, "26 more"}} {
		var ws []string
		for i := 0; i < c.n; i++ {
			ws = append(ws, fmt.Sprintf("w%d", i))
		}
		var b strings.Builder
		printWarnings(&b, ws)
		got := strings.Count(b.String(), "\n")
		if got != c.lines || !strings.Contains(b.String(), c.wantCount) {
			t.Errorf("%d warnings: %d lines\n%s", c.n, got, b.String())
		}
	}
}
