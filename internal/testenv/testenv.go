// Package testenv finds the files tests share: the repository root and the
// real Binh Duong dataset, which lives in ../shared/data beside the
// repository (never copied into it) and is skipped with a message when absent.
package testenv

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// RepoRoot is the directory holding go.mod, found from the test's directory.
func RepoRoot(tb testing.TB) string {
	tb.Helper()
	dir, err := os.Getwd()
	if err != nil {
		tb.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			tb.Fatal("go.mod not found above the test directory")
		}
		dir = parent
	}
}

// SharedData is ../shared/data beside the repository; the test is skipped
// when it is absent.
func SharedData(tb testing.TB) string {
	tb.Helper()
	dir := filepath.Join(RepoRoot(tb), "..", "shared", "data")
	if _, err := os.Stat(filepath.Join(dir, "censusVN2009_choisy", "binh_duong_communes.geojson")); err != nil {
		tb.Skipf("real Binh Duong data not available (%s missing); it lives in ../shared/data beside the repository", dir)
	}
	return dir
}

// BinhDuongYAML is testdata/binhduong/dataset.yaml, the real 91 communes
// with the 2019 census; the test is skipped when ../shared/data is absent.
func BinhDuongYAML(tb testing.TB) string {
	tb.Helper()
	SharedData(tb)
	return filepath.Join(RepoRoot(tb), "testdata", "binhduong", "dataset.yaml")
}

// DelawarePBF is the Delaware OSM extract shipped in paulmach/osm's module
// (`go mod download github.com/paulmach/osm@v0.8.0` puts it in the module
// cache); the test is skipped when it is absent, and under -short: loading
// the real extract takes seconds, and the full suite runs it.
func DelawarePBF(tb testing.TB) string {
	tb.Helper()
	if testing.Short() {
		tb.Skip("Delaware extract: real-data test, runs without -short")
	}
	out, err := exec.Command("go", "env", "GOMODCACHE").Output()
	if err != nil {
		tb.Skipf("cannot ask go for GOMODCACHE: %v", err)
	}
	p := filepath.Join(strings.TrimSpace(string(out)), "github.com/paulmach/osm@v0.8.0/testdata/delaware-latest.osm.pbf")
	if _, err := os.Stat(p); err != nil {
		tb.Skipf("Delaware extract absent (%v); run `go mod download github.com/paulmach/osm@v0.8.0`", err)
	}
	return p
}

// VN2025 is the path of one of the shipped two-tier datasets,
// testdata/vn2025/NAME (e.g. "dataset.yaml", "hcmc.yaml"), which read
// ../shared/data/vn2025; the test is skipped when that folder is absent.
func VN2025(tb testing.TB, name string) string {
	tb.Helper()
	dir := filepath.Join(RepoRoot(tb), "..", "shared", "data", "vn2025")
	if _, err := os.Stat(filepath.Join(dir, "communes_2025.geojson")); err != nil {
		tb.Skipf("vn2025 data not available (%s missing); it lives in ../shared/data beside the repository", dir)
	}
	return filepath.Join(RepoRoot(tb), "testdata", "vn2025", name)
}

// Chromium is the browser for the in-browser tests: $ONESTOP_CHROMIUM, then
// Debian's package. The test is skipped under -short (unless $CI is set)
// and when no browser is installed; with $CI set a missing browser fails it.
func Chromium(tb testing.TB) string {
	tb.Helper()
	if testing.Short() && os.Getenv("CI") == "" {
		tb.Skip("browser test skipped in -short mode")
	}
	for _, p := range []string{os.Getenv("ONESTOP_CHROMIUM"), "/usr/bin/chromium", "/usr/bin/chromium-browser"} {
		if p == "" {
			continue
		}
		if _, err := exec.LookPath(p); err == nil {
			return p
		}
	}
	if os.Getenv("CI") != "" {
		tb.Fatal("chromium not found at /usr/bin/chromium and CI is set: install it (apt-get install -y chromium) or set ONESTOP_CHROMIUM")
	}
	tb.Skip("chromium not installed (apt-get install -y chromium); set CI=true to make this a failure")
	return ""
}
