package reports

import (
	"testing"

	"github.com/onestop/onestop/data"
	"github.com/paulmach/orb"
)

func TestNewRun(t *testing.T) {
	t.Parallel()
	square := orb.MultiPolygon{{{{106.6, 11}, {106.7, 11}, {106.7, 11.1}, {106.6, 11.1}, {106.6, 11}}}}
	d := &data.Dataset{
		Name:      "mini",
		Districts: []data.District{{Code: "718", Name: "Thành phố Thủ Dầu Một"}},
		Communes: []data.Commune{
			{Code: "25747", Name: "Phường Phú Cường", District: "718", Class: data.Urban, Population: 18264, Geometry: square},
			{Code: "25800", Name: "Xã Tân Định", District: "718", Class: data.Remote, Population: 9000, Geometry: square},
		},
		Offices: []data.Office{
			{ID: "a", Name: "Bộ phận Một cửa Phú Cường", Kind: data.OneStop, Location: orb.Point{106.65, 11.05}, Commune: "25747", Staff: 5, DossiersPerYear: 7000},
			{ID: "b", Name: "Điểm tiếp nhận Tân Định", Kind: data.InterWard, Location: orb.Point{106.66, 11.06}, Commune: "25800", Staff: 2},
			{ID: "c", Name: "Chi nhánh", Kind: data.Branch, Location: orb.Point{106.67, 11.07}, Commune: "unknown", Staff: 9},
		},
	}
	r := NewRun(d, English)
	tests := []struct {
		office   int
		norm     float64
		staff    int
		dossiers float64
		commune  string
		lon, lat float64
		kind     data.OfficeKind
	}{
		{0, 1600, 5, 7000, "25747", 106.65, 11.05, data.OneStop},
		{1, 800, 2, 0, "25800", 106.66, 11.06, data.InterWard},
		{2, 0, 9, 0, "unknown", 106.67, 11.07, data.Branch}, // unknown commune: no norm rather than a wrong one
	}
	for _, tc := range tests {
		o := r.Offices[tc.office]
		if o.Norm != tc.norm || o.StaffBefore != tc.staff || o.StaffAfter != tc.staff || o.Dossiers != tc.dossiers ||
			o.Commune != tc.commune || o.Lon != tc.lon || o.Lat != tc.lat || o.Kind != tc.kind || o.Status != Kept {
			t.Errorf("office %d: %+v", tc.office, o)
		}
	}
	if r.Dataset != "mini" || len(r.Districts) != 1 || len(r.Communes) != 2 || r.Communes[0].Name != "Phường Phú Cường" ||
		r.Communes[1].Population != 9000 || !orb.Equal(r.Communes[0].Geometry, square) {
		t.Errorf("run %+v", r)
	}
	if err := r.Validate(); err != nil {
		t.Errorf("a run made from a valid dataset does not validate: %v", err)
	}
}

func TestNewRunBinhDuong(t *testing.T) {
	t.Parallel()
	d := binhDuongDataset(t)
	r := NewRun(d, Vietnamese)
	var pop int64
	for _, c := range r.Communes {
		pop += c.Population
	}
	if len(r.Communes) != 91 || len(r.Districts) != 9 || pop != 2426561 {
		t.Errorf("%d communes, %d districts, %d people", len(r.Communes), len(r.Districts), pop)
	}
	if _, err := Render(r); err != nil {
		t.Fatal(err)
	}
}

// TestGroupLevelHeadings: a two-tier dataset's tables say province, never
// district; a pre-2025 one keeps the district headings.
func TestGroupLevelHeadings(t *testing.T) {
	for _, tc := range []struct {
		level    data.GroupLevel
		lang     Lang
		want     string
		notWants string
	}{
		{data.GroupProvince, English, "By province", "By district"},
		{data.GroupProvince, Vietnamese, "Theo tỉnh/thành phố", "Theo đơn vị cấp huyện"},
		{data.GroupDistrict, English, "By district", "By province"},
		{"", Vietnamese, "Theo đơn vị cấp huyện", "Theo tỉnh/thành phố"},
		{"region", English, "By region", "By district"},
	} {
		r := NewRun(&data.Dataset{Name: "t", GroupLevel: tc.level}, tc.lang)
		lb, err := r.labels()
		if err != nil {
			t.Fatal(err)
		}
		if lb.DistrictHeading != tc.want || lb.DistrictHeading == tc.notWants {
			t.Errorf("level %q %s: heading %q, want %q", tc.level, tc.lang, lb.DistrictHeading, tc.want)
		}
	}
	// The shared tables are not modified by a run's override.
	if en, _ := English.labels(); en.DistrictHeading != "By district" {
		t.Errorf("English table changed: %q", en.DistrictHeading)
	}
}
