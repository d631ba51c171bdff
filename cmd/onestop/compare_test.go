package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/onestop/onestop/data"
	"github.com/onestop/onestop/reports"
	"github.com/paulmach/orb"
)

// smallRun is a one-commune run of dataset with the given travel rule.
func smallRun(dataset string, minutes float64) reports.Run {
	ring := orb.Ring{{106.6, 11.0}, {106.7, 11.0}, {106.7, 11.1}, {106.6, 11.1}, {106.6, 11.0}}
	r := reports.Run{Dataset: dataset, Lang: reports.English,
		Targets:  reports.Targets{TravelMinutes: minutes},
		Communes: []reports.CommuneRow{{Code: "25747", Name: "Phường Phú Cường", Geometry: orb.MultiPolygon{{ring}}}},
		Offices: []reports.OfficeRow{{ID: "OS-1", Name: "Bộ phận Một cửa Phường Phú Cường", Kind: data.OneStop,
			Lon: 106.65, Lat: 11.05, Commune: "25747", Status: reports.Kept, StaffBefore: 4, StaffAfter: 4}},
		Cells: []reports.Cell{{Lon: 106.65, Lat: 11.04, Population: 1000, Commune: "25747", OfficeBefore: "OS-1", OfficeAfter: "OS-1",
			MinutesBefore: 5, MinutesAfter: 5, CoveredBefore: true, CoveredAfter: true}},
	}
	r.FillFromCells(nil)
	return r
}

// writeRun stores r as the run.json of a plan output directory.
func writeRun(t *testing.T, r reports.Run) string {
	t.Helper()
	dir := t.TempDir()
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "run.json"), b, 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestCompareDatasets(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		a, b     reports.Run
		force    bool
		wantCode int
		wantErr  string   // on stderr
		wantPage []string // in the written page
	}{
		{"same dataset, own rules", smallRun("Binh Duong", 20), smallRun("Binh Duong", 30), false, 0, "",
			[]string{"within 20 minutes", "within 30 minutes"}},
		{"different datasets refused", smallRun("Binh Duong", 30), smallRun("Dong Nai", 30), false, 2, "different datasets", nil},
		{"different datasets forced", smallRun("Binh Duong", 30), smallRun("Dong Nai", 30), true, 0, "",
			[]string{"--force", "Dong Nai"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "compare.html")
			args := []string{"compare", writeRun(t, tc.a), writeRun(t, tc.b), "--out", out}
			if tc.force {
				args = append(args, "--force")
			}
			code, _, stderr := runCLI(t, context.Background(), args...)
			if code != tc.wantCode {
				t.Fatalf("exit %d, want %d; stderr: %s", code, tc.wantCode, stderr)
			}
			if !strings.Contains(stderr, tc.wantErr) {
				t.Errorf("stderr %q lacks %q", stderr, tc.wantErr)
			}
			if tc.wantCode != 0 {
				if !strings.Contains(stderr, "--force") {
					t.Errorf("refusal does not say how to go on: %s", stderr)
				}
				if _, err := os.Stat(out); err == nil {
					t.Error("a refused comparison wrote its page")
				}
				return
			}
			page, err := os.ReadFile(out)
			if err != nil {
				t.Fatal(err)
			}
			for _, w := range tc.wantPage {
				if !strings.Contains(string(page), w) {
					t.Errorf("page lacks %q", w)
				}
			}
		})
	}
}
