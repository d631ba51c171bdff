package data

import (
	"strconv"
	"testing"

	"github.com/onestop/onestop/internal/testenv"

	"github.com/paulmach/orb/planar"
)

// binhDuongYAML returns the real Binh Duong dataset.yaml, skipping the test
// when ../shared/data (beside the repository) is absent.
func binhDuongYAML(tb testing.TB) string { return testenv.BinhDuongYAML(tb) }

func TestBinhDuong(t *testing.T) {
	d, err := LoadFile(binhDuongYAML(t))
	if err != nil {
		t.Fatal(err)
	}
	s := d.Summary()
	if s.Communes != 91 || s.Districts != 9 || s.Population != 2426561 {
		t.Errorf("communes=%d districts=%d population=%d, want 91, 9, 2426561", s.Communes, s.Districts, s.Population)
	}
	for k, want := range map[CommuneKind]int{KindWard: 47, KindCommune: 39, KindTown: 5} {
		if s.CommunesByKind[k] != want {
			t.Errorf("%s: %d, want %d", k, s.CommunesByKind[k], want)
		}
	}
	// dataset.yaml lists 8 remote communes; wards and towns are urban.
	for c, want := range map[AreaClass]int{Urban: 52, Rural: 31, Remote: 8} {
		if s.CommunesByClass[c] != want {
			t.Errorf("class %s: %d communes, want %d", c, s.CommunesByClass[c], want)
		}
	}
	for i, dist := range d.Districts {
		if want := strconv.Itoa(718 + i); dist.Code != want {
			t.Errorf("district %d code %s, want %s", i, dist.Code, want)
		}
		if dist.Name == dist.Code {
			t.Errorf("district %s has no name", dist.Code)
		}
	}
	if len(d.Offices) != 91 || s.OfficesByKind[OneStop] != 91 {
		t.Fatalf("%d generated offices", len(d.Offices))
	}
	byCode := map[string]Commune{}
	for _, c := range d.Communes {
		byCode[c.Code] = c
	}
	for _, o := range d.Offices {
		c := byCode[o.Commune]
		if !planar.MultiPolygonContains(c.Geometry, o.Location) {
			t.Errorf("office %s at %v is outside commune %s", o.ID, o.Location, c.Code)
		}
		if o.Staff < MinStaff {
			t.Errorf("office %s has %d staff", o.ID, o.Staff)
		}
	}
	if byCode["25908"].Class != Remote {
		t.Errorf("Hiếu Liêm (25908) class %s, want remote", byCode["25908"].Class)
	}
	// The communes were simplified independently: their borders overlap
	// slightly, which must be a warning, never an error.
	if !hasProblem(d.Warnings, Warning, "binh_duong_communes.geojson", 0, "", "overlap slightly") {
		t.Errorf("no overlap warning; warnings: %v", d.Warnings)
	}
}

func BenchmarkLoadFileBinhDuong(b *testing.B) {
	path := binhDuongYAML(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := LoadFile(path); err != nil {
			b.Fatal(err)
		}
	}
}
