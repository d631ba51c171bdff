package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/onestop/onestop/internal/atomicfile"
)

// goldenRuns are the commands whose every output file must stay
// byte-identical across refactors; testdata/golden/outputs.json holds their
// SHA-256. A change that means to alter outputs rewrites it with
// go test ./cmd/onestop -run TestGoldenOutputs -update, and the diff of that
// file shows which outputs moved.
var goldenRuns = []struct {
	name     string
	args     []string
	needReal bool
}{
	{name: "demo-plan-phase3", args: []string{"plan", "--quiet", "--fixed-seconds"}},
	{name: "demo-plan-phase2", args: []string{"plan", "--quiet", "--fixed-seconds", "--scenario", "demo-phase2", "--lang", "en"}},
	{name: "demo-coverage", args: []string{"coverage", "--quiet"}},
	{name: "demo-simulate", args: []string{"simulate", "--quiet"}},
	{name: "demo-optimize-lscp", args: []string{"optimize", "--quiet", "--fixed-seconds", "--model", "lscp"}},
	{name: "binhduong-coverage", args: []string{"coverage", "--quiet", "--dataset", "REAL"}, needReal: true},
	{name: "binhduong-optimize-lscp", args: []string{"optimize", "--quiet", "--fixed-seconds", "--model", "lscp", "--dataset", "REAL"}, needReal: true},
}

func TestGoldenOutputs(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the main commands on the demo and the real data")
	}
	path := filepath.Join(repoRoot(t), "testdata", "golden", "outputs.json")
	want := map[string]map[string]string{}
	if b, err := os.ReadFile(path); err == nil {
		if err := json.Unmarshal(b, &want); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
	} else if !*update {
		t.Fatalf("%s: %v (create it with -update)", path, err)
	}
	got := map[string]map[string]string{}
	for _, r := range goldenRuns {
		t.Run(r.name, func(t *testing.T) {
			args := slices.Clone(r.args)
			if r.needReal {
				real := realBinhDuong(t)
				for i, a := range args {
					if a == "REAL" {
						args[i] = real
					}
				}
			}
			out := filepath.Join(t.TempDir(), "out")
			if code, _, errs := runCLI(t, context.Background(), append(args, "--out", out)...); code != 0 {
				t.Fatalf("exit %d: %s", code, errs)
			}
			got[r.name] = hashTree(t, out)
			if *update {
				return
			}
			w := want[r.name]
			if w == nil {
				t.Fatalf("no stored hashes for %s: run with -update", r.name)
			}
			for name, h := range got[r.name] {
				if w[name] != h {
					t.Errorf("%s differs from the stored output (%s → %s)", name, short(w[name]), short(h))
				}
			}
			for name := range w {
				if _, ok := got[r.name][name]; !ok {
					t.Errorf("%s is no longer written", name)
				}
			}
		})
	}
	if *update {
		for name, hs := range want {
			if _, ran := got[name]; !ran {
				got[name] = hs // a run skipped here (no real data) keeps its hashes
			}
		}
		b, _ := json.MarshalIndent(got, "", "  ")
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, append(b, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// hashTree is the SHA-256 of every file under dir but the run marker, which
// records the time.
func hashTree(t *testing.T, dir string) map[string]string {
	t.Helper()
	hs := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || d.Name() == atomicfile.Marker {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		sum := sha256.Sum256(b)
		hs[filepath.ToSlash(rel)] = hex.EncodeToString(sum[:])
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return hs
}

func short(h string) string {
	if len(h) > 12 {
		return h[:12]
	}
	if h == "" {
		return "(none)"
	}
	return h
}
