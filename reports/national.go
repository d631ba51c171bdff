package reports

// The national page of the reception-point scenario (`phase: reception`,
// docs/reception.md): one table row per province and one small map per
// province. It is its own page (national.html) rather than a section of
// report.html, because report.html describes one network of one area and
// this page compares 34 independent plans.

import (
	"fmt"
	"html/template"
	"io"
	"math"
	"strings"

	"github.com/onestop/onestop/data"
)

// NationalFile is the page's file name in a plan's output directory.
const NationalFile = "national.html"

// National is the view model of national.html.
type National struct {
	Lang     Lang
	Dataset  string
	Scenario string
	Version  string
	Rule     string // e.g. "30 min or 5 km"
	// GroupLevel names the rows: "province" for a two-tier dataset; any
	// other level is shown as it is named.
	GroupLevel string
	Rows       []NationalRow
	Total      NationalRow
	Maps       []NationalMap
	Warnings   []string
}

// NationalRow is one province (or the total).
type NationalRow struct {
	Code, Name                string
	Population                int64
	BeyondBefore, BeyondAfter int64
	PointsAdded               int
	QueueMin, StaffStandard   int
	Staff                     int
	GapPct                    float64
	Optimal                   bool
}

// NationalMap is one province's small map: residents beyond the rule (H3
// res-7 dots) before and after, the commune centres and the new points.
type NationalMap struct {
	Code, Name                string
	MinLon, MinLat            float64
	MaxLon, MaxLat            float64
	Centres, Points           [][2]float64 // lon, lat
	BeyondBefore, BeyondAfter []MapDot
}

// MapDot is a place with residents.
type MapDot struct {
	Lon, Lat  float64
	Residents int64
}

var nationalLabels = map[Lang]map[string]string{
	English: {
		"title": "Reception points by province", "rule": "Access rule", "dataset": "Dataset", "scenario": "Scenario",
		"pop": "Residents", "before": "Beyond the rule, centres only", "after": "Beyond the rule, with reception points",
		"added": "Reception points added", "qmin": "Staff: queue minimum", "std": "Staff: productivity standard",
		"staff": "Staff proposed", "gap": "Optimizer gap", "total": "Total", "maps": "Maps",
		"legend":   "Orange: residents beyond the rule with the centres only; red: still beyond with the reception points; grey: commune centres; blue: reception points added.",
		"warnings": "Warnings", "optimal": "optimal", "staffnote": "Staff of the added points: the queue minimum keeps the mean wait within the target at the peak hour (Erlang C); the productivity standard is floor(dossiers ÷ norm); the proposal is the larger of the two.",
		"province": "Province", "group": "Group", "district": "District", "dataset-level": "Area",
	},
	Vietnamese: {
		"title": "Điểm tiếp nhận theo tỉnh", "rule": "Tiêu chí tiếp cận", "dataset": "Dữ liệu", "scenario": "Kịch bản",
		"pop": "Dân số", "before": "Ngoài tiêu chí, chỉ trung tâm xã", "after": "Ngoài tiêu chí, thêm điểm tiếp nhận",
		"added": "Điểm tiếp nhận thêm", "qmin": "Nhân sự: tối thiểu theo hàng đợi", "std": "Nhân sự: theo định mức",
		"staff": "Nhân sự đề xuất", "gap": "Khoảng cách tới cận (gap)", "total": "Tổng", "maps": "Bản đồ",
		"legend":   "Cam: dân ngoài tiêu chí khi chỉ có trung tâm xã; đỏ: vẫn ngoài tiêu chí khi có điểm tiếp nhận; xám: trung tâm xã; xanh: điểm tiếp nhận thêm.",
		"warnings": "Cảnh báo", "optimal": "tối ưu", "staffnote": "Nhân sự của các điểm thêm: tối thiểu theo hàng đợi giữ thời gian chờ trung bình trong chỉ tiêu vào giờ cao điểm (Erlang C); theo định mức là phần nguyên của hồ sơ ÷ định mức; đề xuất lấy số lớn hơn.",
		"province": "Tỉnh", "group": "Nhóm", "district": "Huyện", "dataset-level": "Khu vực",
	},
}

// groupLabel names the row level: never "district" for a two-tier dataset.
func groupLabel(l map[string]string, level string) string {
	switch level {
	case string(data.GroupProvince):
		return l["province"]
	case string(data.GroupDistrict):
		return l["district"]
	case "", "dataset":
		return l["dataset-level"]
	}
	return level
}

// WriteNational writes national.html: a self-contained page (inline SVG,
// no script), so it opens offline.
func WriteNational(w io.Writer, n National) error {
	l, ok := nationalLabels[n.Lang]
	if !ok {
		return fmt.Errorf("reports: national page: language %q is not vi or en", n.Lang)
	}
	maps := make([]template.HTML, len(n.Maps))
	for i, m := range n.Maps {
		maps[i] = template.HTML(nationalSVG(m)) // built from numbers only, see nationalSVG
	}
	v := struct {
		National
		L     map[string]string
		Group string
		SVG   []template.HTML
	}{n, l, groupLabel(l, n.GroupLevel), maps}
	return nationalPage.Execute(w, v)
}

var nationalPage = template.Must(template.New("national").Funcs(template.FuncMap{
	"num": func(v int64) string { return data.Thousands(v) },
	"int": func(v int) string { return data.Thousands(int64(v)) },
	"pct": func(v float64) string { return fmt.Sprintf("%.2f %%", v) },
}).Parse(`<!DOCTYPE html>
<html lang="{{.Lang}}"><head><meta charset="utf-8"><title>{{.L.title}} — {{.Dataset}}</title>
<style>
body{font-family:system-ui,sans-serif;margin:1.5em;color:#222}
table{border-collapse:collapse;font-size:.9em}th,td{border:1px solid #ccc;padding:.25em .5em}
td.n{text-align:right;font-variant-numeric:tabular-nums}tfoot td{font-weight:bold}
.maps{display:flex;flex-wrap:wrap;gap:1em}.maps figure{margin:0;width:260px}
figcaption{font-size:.85em}
</style></head><body>
<h1>{{.L.title}}</h1>
<p>{{.L.dataset}}: {{.Dataset}} · {{.L.scenario}}: {{.Scenario}} · {{.L.rule}}: {{.Rule}}{{if .Version}} · onestop {{.Version}}{{end}}</p>
<table><thead><tr><th>{{.Group}}</th><th>{{.L.pop}}</th><th>{{.L.before}}</th><th>{{.L.after}}</th><th>{{.L.added}}</th><th>{{.L.qmin}}</th><th>{{.L.std}}</th><th>{{.L.staff}}</th><th>{{.L.gap}}</th></tr></thead>
<tbody>{{range .Rows}}<tr><td>{{.Code}} {{.Name}}</td><td class="n">{{num .Population}}</td><td class="n">{{num .BeyondBefore}}</td><td class="n">{{num .BeyondAfter}}</td><td class="n">{{int .PointsAdded}}</td><td class="n">{{int .QueueMin}}</td><td class="n">{{int .StaffStandard}}</td><td class="n">{{int .Staff}}</td><td class="n">{{pct .GapPct}}{{if .Optimal}} ({{$.L.optimal}}){{end}}</td></tr>
{{end}}</tbody>
<tfoot>{{with .Total}}<tr><td>{{$.L.total}}</td><td class="n">{{num .Population}}</td><td class="n">{{num .BeyondBefore}}</td><td class="n">{{num .BeyondAfter}}</td><td class="n">{{int .PointsAdded}}</td><td class="n">{{int .QueueMin}}</td><td class="n">{{int .StaffStandard}}</td><td class="n">{{int .Staff}}</td><td class="n">{{pct .GapPct}}</td></tr>{{end}}</tfoot></table>
<p>{{.L.staffnote}}</p>
<h2>{{.L.maps}}</h2>
<p>{{.L.legend}}</p>
<div class="maps">{{range $i, $m := .Maps}}<figure>{{index $.SVG $i}}<figcaption>{{$m.Code}} {{$m.Name}}</figcaption></figure>
{{end}}</div>
{{if .Warnings}}<h2>{{.L.warnings}}</h2><ul>{{range .Warnings}}<li>{{.}}</li>{{end}}</ul>{{end}}
</body></html>
`))

// nationalSVG draws one province in a 260 px box, equirectangular with the
// longitude scaled by cos(latitude) so shapes are not stretched. Only
// numbers enter the markup, so it needs no escaping.
func nationalSVG(m NationalMap) string {
	const size, pad = 260.0, 8.0
	if !(m.MaxLon >= m.MinLon && m.MaxLat >= m.MinLat) || math.IsInf(m.MaxLon-m.MinLon, 0) {
		// A province without cells has no extent to draw.
		return `<svg xmlns="http://www.w3.org/2000/svg" width="260" height="20"></svg>`
	}
	midLat := (m.MinLat + m.MaxLat) / 2 * math.Pi / 180
	kx := math.Cos(midLat)
	w := math.Max((m.MaxLon-m.MinLon)*kx, 1e-6)
	h := math.Max(m.MaxLat-m.MinLat, 1e-6)
	scale := (size - 2*pad) / math.Max(w, h)
	xy := func(lon, lat float64) (float64, float64) {
		return pad + (lon-m.MinLon)*kx*scale, pad + (m.MaxLat-lat)*scale
	}
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%.0f" height="%.0f" viewBox="0 0 %.0f %.0f" style="background:#f6f6f2">`,
		size, h*scale+2*pad, size, h*scale+2*pad)
	dots := func(ds []MapDot, fill string) {
		for _, d := range ds {
			x, y := xy(d.Lon, d.Lat)
			r := math.Min(6, 0.6+math.Sqrt(float64(d.Residents))/40)
			fmt.Fprintf(&b, `<circle cx="%.1f" cy="%.1f" r="%.1f" fill="%s"/>`, x, y, r, fill)
		}
	}
	dots(m.BeyondBefore, "#f5a962")
	dots(m.BeyondAfter, "#c0282d")
	for _, p := range m.Centres {
		x, y := xy(p[0], p[1])
		fmt.Fprintf(&b, `<circle cx="%.1f" cy="%.1f" r="1.6" fill="#666"/>`, x, y)
	}
	for _, p := range m.Points {
		x, y := xy(p[0], p[1])
		fmt.Fprintf(&b, `<rect x="%.1f" y="%.1f" width="5" height="5" fill="#1f5fbf"/>`, x-2.5, y-2.5)
	}
	b.WriteString(`</svg>`)
	return b.String()
}
