package data

import (
	"strings"
	"testing"

	"github.com/onestop/onestop/internal/testenv"
)

// TestVN2025Provinces loads the shipped province datasets, selected from the
// national file, and checks the selection and its clipping.
func TestVN2025Provinces(t *testing.T) {
	cases := []struct {
		file       string
		communes   int
		special    int
		population int64
	}{
		{"hcmc.yaml", 168, 1, 14_544_929},
		{"danang.yaml", 94, 1, 3_161_619},
	}
	for _, c := range cases {
		t.Run(c.file, func(t *testing.T) {
			d, err := LoadFile(testenv.VN2025(t, c.file))
			if err != nil {
				t.Fatal(err)
			}
			s := d.Summary()
			if s.Communes != c.communes || s.SelectedFrom != 3321 || s.CommunesByKind[KindSpecialZone] != c.special || s.Population != c.population {
				t.Errorf("communes %d of %d, special zones %d, population %d; want %d of 3321, %d, %d",
					s.Communes, s.SelectedFrom, s.CommunesByKind[KindSpecialZone], s.Population, c.communes, c.special, c.population)
			}
			if d.GroupLevel != GroupProvince || len(d.Districts) != 1 {
				t.Errorf("level %q, groups %+v; want one province", d.GroupLevel, d.Districts)
			}
			if s.OfficesByKind[CommuneCenter] != c.communes || s.Offices != c.communes {
				t.Errorf("offices %v, want %d commune centres", s.OfficesByKind, c.communes)
			}
			wantWarning(t, d, "whose commune is not selected, 0 lying outside every selected commune")
			wantWarning(t, d, "population record(s)")
		})
	}
}

// TestVN2025National validates the whole country: warnings only, the known
// defects among them (SOURCE.md: 28 centres outside their unit, 70
// estimated populations, the repaired polygon's slivers).
func TestVN2025National(t *testing.T) {
	if testing.Short() {
		t.Skip("loads 3,321 units (a few seconds); skipped with -short")
	}
	d, err := LoadFile(testenv.VN2025(t, "dataset.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	s := d.Summary()
	if s.Communes != 3321 || s.Districts != 34 || s.Offices != 3321 || s.CommunesByKind[KindSpecialZone] != 13 {
		t.Errorf("communes %d, provinces %d, offices %d, special zones %d; want 3321, 34, 3321, 13",
			s.Communes, s.Districts, s.Offices, s.CommunesByKind[KindSpecialZone])
	}
	if s.Population != 109_667_336 {
		t.Errorf("population %d, want 109,667,336", s.Population)
	}
	outside := 0
	for _, w := range d.Warnings {
		if strings.Contains(w.Msg, "the office point lies outside its commune") {
			outside++
		}
	}
	if outside != 28 {
		t.Errorf("%d centres outside their unit, SOURCE.md lists 28", outside)
	}
	wantWarning(t, d, `Xã Vĩnh Thực), 95 km from its boundary`)
	wantWarning(t, d, `70 commune(s) have no "population"`)
	wantWarning(t, d, `record 78 (id "09676"): field "geometry": polygon 1 is a sliver`)
}
