package reports

import (
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
	"github.com/go-echarts/go-echarts/v2/render"
)

// Colours of the office layers; closed offices are grey so the eye goes to
// what remains.
const (
	colorKept     = "#1f5fa8"
	colorNew      = "#13a35a"
	colorClosed   = "#8c8c8c"
	colorMerge    = "#d9480f"
	colorUncov    = "#c2185b"
	colorBefore   = "#8da0cb"
	colorAfter    = "#1f5fa8"
	colorOverNorm = "#d9480f"
)

// travelPalette runs from short (green) to long (red) travel times.
func travelPalette() []string {
	return []string{"#1a9850", "#91cf60", "#fee08b", "#fc8d59", "#d73027"}
}

// newInit fixes the chart id (go-echarts draws a random one otherwise, which
// would make two renders of the same run differ) and the size.
func newInit(id, height string) opts.Initialization {
	return opts.Initialization{ChartID: id, Width: "100%", Height: height, Theme: "white", Renderer: "canvas"}
}

// mapSide selects which network a province map shows.
type mapSide int

const (
	sideBefore mapSide = iota
	sideAfter
)

// mapRegion is one commune of a map series: Name must equal the feature name
// of the registered GeoJSON (the commune code) so echarts joins them.
type mapRegion struct {
	Name    chartText `json:"name"`
	Value   float64   `json:"value"`
	Label   chartText `json:"label"`
	Covered float64   `json:"covered"`
}

// geoPoint is a scatter item on the geo coordinate system.
type geoPoint struct {
	Name  chartText `json:"name"`
	Value []float64 `json:"value"` // lon, lat, size value
	Info  chartText `json:"info,omitempty"`
}

// geoLine is a lines item from a closed office to the one absorbing it.
type geoLine struct {
	Name   chartText    `json:"name"`
	Coords [][2]float64 `json:"coords"`
}

// provinceMap draws one side of the run: the communes coloured by mean
// travel time, the offices, the merges (after only) and uncovered residents.
func provinceMap(id, mapName string, r Run, lb *labels, side mapSide, scaleMax float64) *charts.Geo {
	g := charts.NewGeo()
	g.Initialization = newInit(id, "640px")
	title := lb.MapBefore
	if side == sideAfter {
		title = lb.MapAfter
	}
	g.SetGlobalOptions(
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(true), Bottom: "0", Left: "center"}),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "item",
			Formatter: opts.FuncOpts(mapTooltipJS)}),
		charts.WithVisualMapOpts(opts.VisualMap{
			Calculable: opts.Bool(true), Min: 0, Max: float32(scaleMax),
			Text:    []string{lb.Minutes, ""}, // the handles already show the numbers
			InRange: &opts.VisualMapInRange{Color: travelPalette()},
			Left:    "left", Bottom: "40px",
		}),
	)
	patch := &optionPatch{set: map[string]any{}, seriesExtra: map[int]map[string]any{}}
	// the compare page titles each map with a scenario name from the input
	patch.set["title"] = titleOption{Text: chartText(title), Left: "center"}

	minutes := func(c CommuneRow) float64 { return c.MeanMinutesBefore }
	share := func(c CommuneRow) float64 { return c.CoveredShareBefore }
	if side == sideAfter {
		minutes = func(c CommuneRow) float64 { return c.MeanMinutesAfter }
		share = func(c CommuneRow) float64 { return c.CoveredShareAfter }
	}
	regions := make([]mapRegion, len(r.Communes))
	for i, c := range r.Communes {
		regions[i] = mapRegion{Name: chartText(c.Code), Value: round2(minutes(c)), Covered: round2(100 * share(c)),
			Label: chartText(c.Name + " — " + r.districtName(c.District))}
	}
	g.MultiSeries = append(g.MultiSeries, charts.SingleSeries{Name: lb.MeanMinutesLayer, Type: "map", Data: regions})
	patch.seriesExtra[0] = map[string]any{"geoIndex": 0}

	addPoints := func(name, color, symbol string, pts []geoPoint, size int) {
		s := charts.SingleSeries{Name: name, Type: "scatter", CoordSystem: "geo", Data: pts, Symbol: symbol,
			SymbolSize: size, Color: color}
		s.ItemStyle = &opts.ItemStyle{Color: color, BorderColor: "#ffffff", BorderWidth: 1}
		g.MultiSeries = append(g.MultiSeries, s)
	}
	byStatus := map[Status][]geoPoint{}
	for _, o := range r.Offices {
		open := o.Status != New
		if side == sideAfter {
			open = true // closed offices stay visible, greyed, to show what moved
		}
		if !open {
			continue
		}
		staff := o.StaffAfter
		if side == sideBefore {
			staff = o.StaffBefore
		}
		info := fmt.Sprintf("%s · %s · %d", lb.kindName(o.Kind), lb.statusName(o.Status), staff)
		byStatus[o.Status] = append(byStatus[o.Status], geoPoint{Name: chartText(o.Name), Value: []float64{o.Lon, o.Lat, float64(staff)}, Info: chartText(info)})
	}
	if side == sideBefore {
		all := append(append([]geoPoint{}, byStatus[Kept]...), byStatus[Closed]...)
		addPoints(lb.Offices, colorKept, "circle", all, 9)
	} else {
		addPoints(lb.Kept, colorKept, "circle", byStatus[Kept], 9)
		addPoints(lb.New, colorNew, "diamond", byStatus[New], 13)
		addPoints(lb.Closed, colorClosed, "rect", byStatus[Closed], 7)
		lines := mergeLines(r)
		s := charts.SingleSeries{Name: lb.Merges, Type: "lines", CoordSystem: "geo", Data: lines}
		s.LineStyle = &opts.LineStyle{Color: colorMerge, Width: 2, Opacity: opts.Float(0.9), Curveness: 0.2}
		g.MultiSeries = append(g.MultiSeries, s)
		patch.seriesExtra[len(g.MultiSeries)-1] = map[string]any{"symbol": []string{"none", "arrow"}, "symbolSize": 8}
	}
	uncov := uncoveredPoints(r, side, lb)
	s := charts.SingleSeries{Name: lb.Uncovered, Type: "scatter", CoordSystem: "geo", Data: uncov,
		SymbolSize: opts.FuncOpts(uncoveredSizeJS), Symbol: "circle"}
	s.ItemStyle = &opts.ItemStyle{Color: colorUncov, Opacity: opts.Float(0.55)}
	g.MultiSeries = append(g.MultiSeries, s)

	// the choropleth is explained by the colour scale; the legend toggles
	// the point and line layers
	var layers []chartText
	for _, s := range g.MultiSeries[1:] {
		layers = append(layers, chartText(s.Name))
	}
	g.Legend.Data = layers
	patch.set["geo"] = map[string]any{
		"map": mapName, "roam": true, "top": 50, "bottom": 60,
		"itemStyle": map[string]any{"borderColor": "#555", "borderWidth": 0.4, "areaColor": "#eeeeee"},
		"emphasis":  map[string]any{"label": map[string]any{"show": false}, "itemStyle": map[string]any{"areaColor": "#ffe08a"}},
		"label":     map[string]any{"show": false},
	}
	vm := g.VisualMapList[0]
	patch.set["visualMap"] = []any{struct {
		opts.VisualMap
		SeriesIndex int `json:"seriesIndex"`
	}{vm, 0}}
	g.Accept(patch)
	return g
}

// mapTooltipJS shows commune name, minutes and coverage, or office details.
// ECharts inserts a formatter's result as HTML, so every value goes through
// onestopEsc (escapeHelperJS); only the <br/> are markup.
const mapTooltipJS = `function (p) {
  var e = onestopEsc, d = p.data || {};
  if (p.seriesType === 'map') {
    if (!d.label) { return e(p.name); }
    return e(d.label) + '<br/>' + e(p.seriesName) + ': ' + e(d.value) + '<br/>% ' + e(d.covered);
  }
  if (p.seriesType === 'lines') { return e(d.name); }
  var v = d.value || [];
  return e(d.name || p.seriesName) + (d.info ? '<br/>' + e(d.info) : '') + (v.length > 2 && !d.info ? '<br/>' + e(v[2]) : '');
}`

// uncoveredSizeJS scales the dots by population so a big village reads
// bigger than a farmstead without hiding the map.
const uncoveredSizeJS = `function (v) { return Math.max(3, Math.min(18, Math.sqrt(v[2]) / 4)); }`

// mergeLines joins each closed office to its absorbing office, from the
// merge list and from AbsorbedBy, once per pair.
func mergeLines(r Run) []geoLine {
	pos := map[string]OfficeRow{}
	for _, o := range r.Offices {
		pos[o.ID] = o
	}
	seen := map[[2]string]bool{}
	var out []geoLine
	add := func(from, to string) {
		a, okA := pos[from]
		b, okB := pos[to]
		if !okA || !okB || seen[[2]string{from, to}] {
			return
		}
		seen[[2]string{from, to}] = true
		out = append(out, geoLine{Name: chartText(a.Name + " → " + b.Name), Coords: [][2]float64{{a.Lon, a.Lat}, {b.Lon, b.Lat}}})
	}
	for _, m := range r.Merges {
		add(m.From, m.To)
	}
	for _, o := range r.Offices {
		if o.AbsorbedBy != "" {
			add(o.ID, o.AbsorbedBy)
		}
	}
	return out
}

// uncoveredPoints lists the cells outside the access rule on one side.
func uncoveredPoints(r Run, side mapSide, lb *labels) []geoPoint {
	nf := r.Lang.numbers()
	var out []geoPoint
	for _, c := range r.Cells {
		covered, minutes := c.CoveredBefore, c.MinutesBefore
		if side == sideAfter {
			covered, minutes = c.CoveredAfter, c.MinutesAfter
		}
		if covered || c.Population <= 0 {
			continue
		}
		out = append(out, geoPoint{Name: chartText(lb.Uncovered), Info: chartText(nf.Int(c.Population) + " · " + nf.Float(minutes, 0) + " " + lb.Minutes),
			Value: []float64{round6(c.Lon), round6(c.Lat), float64(c.Population)}})
	}
	return out
}

// histogramCategories merges the bin edges of several histograms so they
// share one x axis.
func histogramCategories(hs ...[]Bin) [][2]float64 {
	set := map[[2]float64]bool{}
	for _, h := range hs {
		for _, b := range h {
			set[[2]float64{b.FromMin, b.ToMin}] = true
		}
	}
	keys := make([][2]float64, 0, len(set))
	for k := range set {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if keys[i][0] != keys[j][0] {
			return keys[i][0] < keys[j][0]
		}
		return keys[i][1] < keys[j][1]
	})
	return keys
}

func binLabel(k [2]float64) string {
	if math.IsInf(k[1], 1) || k[1] >= 1e6 {
		return fmt.Sprintf("≥%s", trimFloat(k[0]))
	}
	return trimFloat(k[0]) + "–" + trimFloat(k[1])
}

// histogramChart draws the travel-time distributions as bars (population per
// bin) with the cumulative share as lines on a second axis.
func histogramChart(id string, lb *labels, names []string, hs [][]Bin) *charts.Bar {
	cats := histogramCategories(hs...)
	xs := make([]string, len(cats))
	for i, k := range cats {
		xs[i] = binLabel(k)
	}
	bar := charts.NewBar()
	bar.Initialization = newInit(id, "420px")
	bar.SetGlobalOptions(
		charts.WithTitleOpts(opts.Title{Title: lb.DistHeading, Left: "center"}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(true), Bottom: "0"}),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "axis"}),
		charts.WithXAxisOpts(opts.XAxis{Name: lb.Minutes, Type: "category"}),
		charts.WithYAxisOpts(opts.YAxis{Name: lb.Population, Type: "value"}),
		charts.WithGridOpts(opts.Grid{Left: "70", Right: "60", Bottom: "70", Top: "60"}),
	)
	bar.ExtendYAxis(opts.YAxis{Name: "% ≤", Type: "value", Min: 0, Max: 100, Position: "right"})
	bar.SetXAxis(xs)
	colors := []string{colorBefore, colorAfter, "#66c2a5", "#fc8d62"}
	line := charts.NewLine()
	line.SetXAxis(xs)
	for i, h := range hs {
		idx := map[[2]float64]int64{}
		var total int64
		for _, b := range h {
			idx[[2]float64{b.FromMin, b.ToMin}] += b.Population
			total += b.Population
		}
		bars := make([]opts.BarData, len(cats))
		cum := make([]opts.LineData, len(cats))
		var run int64
		for j, k := range cats {
			bars[j] = opts.BarData{Value: idx[k]}
			run += idx[k]
			share := 0.0
			if total > 0 {
				share = 100 * float64(run) / float64(total)
			}
			cum[j] = opts.LineData{Value: round2(share)}
		}
		color := colors[i%len(colors)]
		bar.AddSeries(names[i], bars, charts.WithItemStyleOpts(opts.ItemStyle{Color: color}))
		line.AddSeries(names[i]+" (% ≤)", cum,
			charts.WithLineChartOpts(opts.LineChart{YAxisIndex: 1, Smooth: opts.Bool(false)}),
			charts.WithItemStyleOpts(opts.ItemStyle{Color: color}),
			charts.WithLineStyleOpts(opts.LineStyle{Type: "dashed", Color: color}))
	}
	bar.Overlap(line)
	// names may be scenario names from the input: give them as chartText
	patch := &optionPatch{seriesExtra: map[int]map[string]any{}}
	for i, s := range bar.MultiSeries {
		patch.seriesExtra[i] = map[string]any{"name": chartText(s.Name)}
	}
	bar.Accept(patch)
	return bar
}

// loadChart shows each open office's utilisation of its norm capacity as
// bars (over 100 % in orange) and its mean waiting time as a line against the
// waiting target. Offices are sorted by utilisation so the overloaded come first.
func loadChart(id string, r Run, lb *labels, waitTarget float64) *charts.Bar {
	type row struct {
		name string
		util float64
		wait float64
	}
	var rows []row
	for _, o := range r.Offices {
		if o.Status == Closed {
			continue
		}
		rows = append(rows, row{o.Name, o.utilisation(), officeWait(o)})
	}
	sort.SliceStable(rows, func(i, j int) bool { return rows[i].util > rows[j].util })
	// both reference lines (100 % of the norm, the waiting target) stay in view
	// An unstable queue's wait is infinite: it sits at the top of the wait
	// axis in its own series, and the axis scales to the finite waits.
	maxUtil, maxWait := 100.0, waitTarget
	unstable := 0
	for _, rw := range rows {
		maxUtil = math.Max(maxUtil, 100*rw.util)
		if rw.wait >= UnstableWait {
			unstable++
		} else {
			maxWait = math.Max(maxWait, rw.wait)
		}
	}
	waitTop := niceCeil(1.2 * maxWait)
	xs := make([]string, len(rows))
	bars := make([]opts.BarData, len(rows))
	waits := make([]opts.ScatterData, len(rows))
	infs := make([]opts.ScatterData, len(rows))
	for i, rw := range rows {
		xs[i] = rw.name
		color := colorKept
		if rw.util > 1 {
			color = colorOverNorm
		}
		bars[i] = opts.BarData{Value: round2(100 * rw.util), ItemStyle: &opts.ItemStyle{Color: color}}
		// "-" leaves a gap in the other series at this office
		if rw.wait >= UnstableWait {
			waits[i] = opts.ScatterData{Value: "-"}
			infs[i] = opts.ScatterData{Value: waitTop, SymbolSize: 11}
		} else {
			waits[i] = opts.ScatterData{Value: round2(rw.wait), SymbolSize: 7}
			infs[i] = opts.ScatterData{Value: "-"}
		}
	}
	bar := charts.NewBar()
	bar.Initialization = newInit(id, "460px")
	bar.SetGlobalOptions(
		charts.WithTitleOpts(opts.Title{Title: lb.LoadHeading, Left: "center"}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(true), Bottom: "0"}),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "axis"}),
		charts.WithXAxisOpts(opts.XAxis{Type: "category", AxisLabel: &opts.AxisLabel{Rotate: 50, Interval: "0", FontSize: 10}}),
		charts.WithYAxisOpts(opts.YAxis{Name: lb.Utilisation + " %", Type: "value", Max: niceCeil(1.1 * maxUtil)}),
		charts.WithGridOpts(opts.Grid{Left: "70", Right: "70", Bottom: "150", Top: "60"}),
		charts.WithDataZoomOpts(opts.DataZoom{Type: "inside", Start: 0, End: zoomEnd(len(rows))}),
	)
	bar.ExtendYAxis(opts.YAxis{Name: lb.Minutes, Type: "value", Position: "right", Max: waitTop})
	bar.SetXAxis(chartTexts(xs))
	bar.AddSeries(lb.Utilisation+" %", bars,
		charts.WithMarkLineNameYAxisItemOpts(opts.MarkLineNameYAxisItem{Name: "100 %", YAxis: 100}),
		charts.WithMarkLineStyleOpts(opts.MarkLineStyle{Symbol: []string{"none", "none"},
			Label:     &opts.Label{Show: opts.Bool(true), Position: "insideStartTop", Formatter: "100 %", Color: colorOverNorm},
			LineStyle: &opts.LineStyle{Color: colorOverNorm, Type: "dashed"}}))
	// waits as dots, not a line: neighbouring offices on the axis are unrelated
	dots := charts.NewScatter()
	dots.SetXAxis(chartTexts(xs))
	dots.AddSeries(lb.WaitSim, waits,
		charts.WithScatterChartOpts(opts.ScatterChart{YAxisIndex: 1}),
		charts.WithItemStyleOpts(opts.ItemStyle{Color: "#6a3d9a"}),
		charts.WithMarkLineNameYAxisItemOpts(opts.MarkLineNameYAxisItem{Name: trimFloat(waitTarget) + " " + lb.Minutes, YAxis: waitTarget}),
		charts.WithMarkLineStyleOpts(opts.MarkLineStyle{Symbol: []string{"none", "none"},
			Label:     &opts.Label{Show: opts.Bool(true), Position: "insideEndTop", Formatter: lb.WaitTarget + " " + trimFloat(waitTarget) + " " + lb.Minutes, Color: "#6a3d9a"},
			LineStyle: &opts.LineStyle{Color: "#6a3d9a", Type: "dotted"}}))
	if unstable > 0 {
		dots.AddSeries(lb.WaitUnstable, infs,
			charts.WithScatterChartOpts(opts.ScatterChart{YAxisIndex: 1, Symbol: "triangle"}),
			charts.WithItemStyleOpts(opts.ItemStyle{Color: colorOverNorm}),
			charts.WithLabelOpts(opts.Label{Show: opts.Bool(true), Position: "top", Formatter: "∞", Color: colorOverNorm}))
	}
	bar.Overlap(dots)
	return bar
}

// niceCeil rounds an axis maximum up to 1, 2 or 5 times a power of ten.
func niceCeil(v float64) float64 {
	if v <= 0 {
		return 1
	}
	p := math.Pow(10, math.Floor(math.Log10(v)))
	for _, m := range []float64{1, 2, 2.5, 5, 10} {
		if m*p >= v {
			return m * p
		}
	}
	return 10 * p
}

// zoomEnd shows at most 40 offices at once; the rest scroll into view.
func zoomEnd(n int) float32 {
	if n <= 40 {
		return 100
	}
	return float32(100 * 40 / float64(n))
}

// officeWait prefers the simulated mean and falls back to Erlang C.
func officeWait(o OfficeRow) float64 {
	if o.WaitSimMeanMin > 0 {
		return o.WaitSimMeanMin
	}
	return o.WaitErlangMin
}

// chartRenderer is what the page needs from a go-echarts chart.
type chartRenderer interface {
	RenderSnippet() render.ChartSnippet
}

// snippet renders a chart to its container div and its script, with every
// "<" and ">" inside the script's string literals written as \u003c and
// \u003e. go-echarts serialises options without HTML escaping, so a name
// such as "</script><script>…" from a planner's file could otherwise end the
// script element; in JavaScript strings the escaped form is the same text.
func snippet(c chartRenderer) (element, script string) {
	s := c.RenderSnippet()
	return s.Element, escapeScriptBody(s.Script)
}

// escapeScriptBody rewrites angle brackets inside string literals between
// the opening and the closing script tag. It tracks quotes and backslash
// escapes; the scripts it sees (go-echarts' template, the formatter
// functions of this package) have no comments or regular expressions.
func escapeScriptBody(s string) string {
	open := strings.Index(s, ">")
	end := strings.LastIndex(s, "</script>")
	if open < 0 || end < open {
		return s
	}
	body := s[open+1 : end]
	var b strings.Builder
	b.Grow(len(body) + len(body)/16)
	var quote byte
	for i := 0; i < len(body); i++ {
		ch := body[i]
		switch {
		case quote == 0:
			if ch == '"' || ch == '\'' || ch == '`' {
				quote = ch
			}
			b.WriteByte(ch)
		case ch == '\\' && i+1 < len(body):
			b.WriteByte(ch)
			i++
			b.WriteByte(body[i])
		case ch == quote:
			quote = 0
			b.WriteByte(ch)
		case ch == '<':
			b.WriteString(`\u003c`)
		case ch == '>':
			b.WriteString(`\u003e`)
		default:
			b.WriteByte(ch)
		}
	}
	return s[:open+1] + b.String() + s[end:]
}

func round2(v float64) float64 { return math.Round(v*100) / 100 }
func round6(v float64) float64 { return math.Round(v*1e6) / 1e6 }

// trimFloat prints a number without trailing zeros.
func trimFloat(v float64) string {
	return strings.TrimSuffix(strings.TrimRight(fmt.Sprintf("%.2f", v), "0"), ".")
}
