package reports

import (
	"strings"
	"testing"
)

func nationalSample(level string, lang Lang) National {
	return National{Lang: lang, Dataset: "Vietnam", Scenario: "reception <test>", Rule: "30 min or 5 km", GroupLevel: level,
		Rows: []NationalRow{
			{Code: "33", Name: "Hưng Yên", Population: 3116937, BeyondBefore: 687487, PointsAdded: 60, QueueMin: 82, StaffStandard: 259, Staff: 262, Optimal: true},
			{Code: "48", Name: "Đà Nẵng", Population: 3161619, BeyondBefore: 9741, BeyondAfter: 12, PointsAdded: 18, QueueMin: 18, Staff: 18, GapPct: 1.25},
		},
		Total: NationalRow{Population: 6278556, BeyondBefore: 697228, BeyondAfter: 12, PointsAdded: 78, QueueMin: 100, StaffStandard: 259, Staff: 280, GapPct: 1.25},
		Maps: []NationalMap{{Code: "33", Name: "Hưng Yên", MinLon: 106, MinLat: 20.3, MaxLon: 106.6, MaxLat: 20.9,
			Centres: [][2]float64{{106.3, 20.6}}, Points: [][2]float64{{106.1, 20.4}},
			BeyondBefore: []MapDot{{Lon: 106.1, Lat: 20.4, Residents: 900}}}},
		Warnings: []string{"<b>escaped</b>"},
	}
}

// TestNationalPage checks the row label follows the dataset's group level
// (a two-tier dataset has no districts), the figures and the escaping.
func TestNationalPage(t *testing.T) {
	tests := []struct {
		level string
		lang  Lang
		want  []string
		never []string
	}{
		{"province", English, []string{"<th>Province</th>", "<td>33 Hưng Yên</td>", `<td class="n">687,487</td>`, `<td class="n">1.25 %</td>`,
			`<td class="n">0.00 % (optimal)</td>`, `<td class="n">78</td>`, "&lt;b&gt;escaped&lt;/b&gt;", "reception &lt;test&gt;", "<svg", "<rect"},
			[]string{"District", "<b>escaped", "<script"}},
		{"province", Vietnamese, []string{"<th>Tỉnh</th>", "Điểm tiếp nhận thêm"}, []string{"Huyện", "District"}},
		{"district", English, []string{"<th>District</th>"}, []string{"<th>Province</th>"}},
		{"dataset", English, []string{"<th>Area</th>"}, []string{"District"}},
	}
	for _, tc := range tests {
		var b strings.Builder
		if err := WriteNational(&b, nationalSample(tc.level, tc.lang)); err != nil {
			t.Fatal(err)
		}
		page := b.String()
		for _, w := range tc.want {
			if !strings.Contains(page, w) {
				t.Errorf("%s/%s: page lacks %q", tc.level, tc.lang, w)
			}
		}
		for _, n := range tc.never {
			if strings.Contains(page, n) {
				t.Errorf("%s/%s: page has %q", tc.level, tc.lang, n)
			}
		}
	}
	if err := WriteNational(&strings.Builder{}, National{Lang: "fr"}); err == nil {
		t.Error("language fr accepted")
	}
}

// TestNationalSVG places the points inside the map box, north up.
func TestNationalSVG(t *testing.T) {
	m := NationalMap{MinLon: 106, MinLat: 20, MaxLon: 107, MaxLat: 21, Points: [][2]float64{{106, 21}, {107, 20}}}
	svg := nationalSVG(m)
	// 1° of latitude fills 244 px; 1° of longitude at 20.5° N is cos(20.5°) of it.
	for _, w := range []string{`<rect x="5.5" y="5.5"`, `<rect x="234.0" y="249.5"`} {
		if !strings.Contains(svg, w) {
			t.Errorf("svg lacks %q:\n%s", w, svg)
		}
	}
}
