package data

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestOfficeZeroDossiersWarns: a recorded count of 0 reads as unknown (the
// commune falls back to the log or rates), and the loader says so.
func TestOfficeZeroDossiersWarns(t *testing.T) {
	files := miniFiles(t)
	replace(t, files, "offices.csv", ",2400,", ",0,")
	dir := t.TempDir()
	for name, content := range files {
		writeFile(t, filepath.Join(dir, name), content)
	}
	ds, err := LoadFile(filepath.Join(dir, "dataset.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, w := range ds.Warnings {
		if w.ID == "OS-10002" && w.Record == 2 && strings.Contains(w.Msg, "0 dossiers per year reads as unknown") {
			found = true
		}
	}
	if !found {
		t.Errorf("no warning for office OS-10002's 0 dossiers; warnings: %v", ds.Warnings)
	}
	for _, o := range ds.Offices {
		if o.ID == "OS-10002" && o.DossiersPerYear != 0 {
			t.Errorf("OS-10002 has %v dossiers, want 0 (unknown)", o.DossiersPerYear)
		}
	}
}
