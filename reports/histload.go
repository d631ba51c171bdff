package reports

import (
	"fmt"
	"math"
	"sort"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
)

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

// openBin reports whether a bin has no upper end.
func openBin(k [2]float64) bool { return math.IsInf(k[1], 1) || k[1] >= 1e6 }

func binLabel(k [2]float64) string {
	if openBin(k) {
		return fmt.Sprintf("≥%s", trimFloat(k[0]))
	}
	return trimFloat(k[0]) + "–" + trimFloat(k[1])
}

// drawnEnd is where a bin's bar ends on the minute axis: its upper edge, or
// for the open last bin the width of the bin before it (15 min when alone).
func drawnEnd(cats [][2]float64, i int) float64 {
	k := cats[i]
	if !openBin(k) {
		return k[1]
	}
	w := 15.0
	if i > 0 && !openBin(cats[i-1]) {
		w = cats[i-1][1] - cats[i-1][0]
	}
	return k[0] + w
}

// histogramNote explains the proportional widths, and how wide the open last
// bin is drawn; "" without bins.
func histogramNote(lb *labels, nf numberFormat, hs ...[]Bin) string {
	cats := histogramCategories(hs...)
	if len(cats) == 0 {
		return ""
	}
	last := len(cats) - 1
	if !openBin(cats[last]) {
		return ""
	}
	return fmt.Sprintf(lb.OpenBinNote, trimFloat(cats[last][0]), nf.Float(drawnEnd(cats, last)-cats[last][0], 0))
}

// histogramChart draws the travel-time distributions with bars as wide as
// their bins (a custom series on a minute axis): the height is residents per
// minute of the bin, so the area of a bar is its residents and a wide
// 30–45 bin is not mistaken for a crowd. The cumulative share of residents
// is a dashed line on a second axis.
func histogramChart(id string, lb *labels, names []string, hs [][]Bin) *charts.Line {
	cats := histogramCategories(hs...)
	chart := charts.NewLine()
	chart.Initialization = newInit(id, "420px")
	chart.SetGlobalOptions(
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(true), Bottom: "0", Type: "scroll"}),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "item", Formatter: opts.FuncOpts(histTooltipJS)}),
	)
	edges := []float64{}
	end := 0.0
	for i, k := range cats {
		if i == 0 || edges[len(edges)-1] != k[0] {
			edges = append(edges, k[0])
		}
		if !openBin(k) {
			edges = append(edges, k[1])
		}
		end = math.Max(end, drawnEnd(cats, i))
	}
	colors := []string{colorBefore, colorAfter, "#66c2a5", "#fc8d62"}
	patch := &optionPatch{set: map[string]any{}, seriesExtra: map[int]map[string]any{}}
	for i, h := range hs {
		pop := map[[2]float64]int64{}
		var total int64
		for _, b := range h {
			pop[[2]float64{b.FromMin, b.ToMin}] += b.Population
			total += b.Population
		}
		color := colors[i%len(colors)]
		bars := make([][]float64, 0, len(cats))
		cum := [][]float64{{0, 0}}
		var run int64
		for j, k := range cats {
			to := drawnEnd(cats, j)
			open := 0.0
			if openBin(k) {
				open = 1
			}
			bars = append(bars, []float64{k[0], to, round2(float64(pop[k]) / (to - k[0])), float64(pop[k]), float64(i), float64(len(hs)), open})
			run += pop[k]
			share := 0.0
			if total > 0 {
				share = 100 * float64(run) / float64(total)
			}
			cum = append(cum, []float64{to, round2(share)})
		}
		chart.MultiSeries = append(chart.MultiSeries, charts.SingleSeries{Name: names[i], Type: "custom", Data: bars,
			ItemStyle: &opts.ItemStyle{Color: color}})
		patch.seriesExtra[len(chart.MultiSeries)-1] = map[string]any{"name": chartText(names[i]),
			"renderItem": opts.FuncOpts(histBarJS), "encode": map[string]any{"x": []int{0, 1}, "y": 2}}
		line := charts.SingleSeries{Name: names[i] + " (% ≤)", Type: "line", Data: cum, YAxisIndex: 1,
			ItemStyle: &opts.ItemStyle{Color: color}, LineStyle: &opts.LineStyle{Type: "dashed", Color: color}}
		chart.MultiSeries = append(chart.MultiSeries, line)
		patch.seriesExtra[len(chart.MultiSeries)-1] = map[string]any{"name": chartText(names[i] + " (% ≤)")}
	}
	numLabel := map[string]any{"formatter": opts.FuncOpts(axisNumJS)}
	patch.set["xAxis"] = []any{map[string]any{"type": "value", "name": lb.Minutes, "nameLocation": "middle", "nameGap": 26, "min": 0, "max": end,
		"axisLabel": map[string]any{"formatter": opts.FuncOpts(axisNumJS), "customValues": edges, "hideOverlap": true},
		"axisTick":  map[string]any{"customValues": edges}, "splitLine": map[string]any{"show": false}}}
	patch.set["yAxis"] = []any{
		map[string]any{"type": "value", "name": lb.ResidentsPerMinute, "nameTextStyle": map[string]any{"align": "left"}, "axisLabel": numLabel},
		map[string]any{"type": "value", "name": lb.ShareUpTo, "min": 0, "max": 100, "position": "right",
			"nameTextStyle": map[string]any{"align": "right"}, "axisLabel": numLabel, "splitLine": map[string]any{"show": false}},
	}
	patch.set["grid"] = []any{map[string]any{"left": 10, "right": 10, "bottom": 50, "top": 40, "containLabel": true}}
	chart.Accept(patch)
	return chart
}

// histBarJS draws one bin of one series as a rectangle from its lower to
// its upper edge; n series share a bin side by side.
const histBarJS = `function (params, api) {
  var k = api.value(4), n = api.value(5);
  var a = api.coord([api.value(0), api.value(2)]), b = api.coord([api.value(1), 0]);
  var w = (b[0] - a[0]) / n;
  return {type: 'rect', shape: {x: a[0] + k * w + 1, y: a[1], width: Math.max(w - 2, 1), height: b[1] - a[1]}, style: api.style()};
}`

// histTooltipJS names the bin and the residents in it, or the cumulative
// share at a minute mark.
const histTooltipJS = `function (p) {
  var e = onestopEsc, n = onestopNum, t = onestopText, v = p.value || [];
  if (p.seriesType === 'custom') {
    var bin = v[6] ? '≥ ' + n(v[0]) : n(v[0]) + '–' + n(v[1]);
    return e(p.seriesName) + '<br/>' + e(bin) + ' ' + e(t.minutes) + ': ' + e(n(v[3])) + ' ' + e(t.residents);
  }
  return e(p.seriesName) + '<br/>≤ ' + e(n(v[0])) + ' ' + e(t.minutes) + ': ' + e(n(v[1], 1)) + ' %';
}`

// axisNumJS prints axis values in the page's locale.
const axisNumJS = `function (v) { return onestopEsc(onestopNum(v)); }`

// loadChart keeps the two load measures apart, office by office (names on
// the y axis so none is cut or rotated). Bars: productivity against the
// norm, the norm being a minimum: the band below 100 % is shaded and
// labelled "under-used below", and no line at 100 % reads as a limit.
// Dots, on a second x axis: the mean wait, against the waiting target drawn
// as the ceiling; offices above it (overloaded) in red. The most productive
// office is on top.
func loadChart(id string, r Run, lb *labels, waitTarget float64) *charts.Bar {
	type row struct {
		name string
		prod float64
		wait float64
	}
	var rows []row
	for _, o := range r.Offices {
		if o.Status == Closed {
			continue
		}
		rows = append(rows, row{o.Name, o.productivity(), officeWait(o)})
	}
	sort.SliceStable(rows, func(i, j int) bool { return rows[i].prod > rows[j].prod })
	// the norm band and the waiting ceiling stay in view
	// An unstable queue's wait is infinite: it sits at the end of the wait
	// axis in its own series, and the axis scales to the finite waits.
	maxProd, maxWait := 100.0, waitTarget
	unstable := 0
	for _, rw := range rows {
		maxProd = math.Max(maxProd, 100*rw.prod)
		if rw.wait >= UnstableWait {
			unstable++
		} else {
			maxWait = math.Max(maxWait, rw.wait)
		}
	}
	waitTop := niceCeil(1.2 * maxWait)
	names := make([]string, len(rows))
	bars := make([]opts.BarData, len(rows))
	waits := make([]opts.ScatterData, len(rows))
	over := make([]opts.ScatterData, len(rows))
	infs := make([]opts.ScatterData, len(rows))
	gap := opts.ScatterData{Value: "-"} // "-" leaves a gap in a series at this office
	for i, rw := range rows {
		names[i] = rw.name
		color := colorKept
		if rw.prod < 1 {
			color = colorBefore // under-used: a paler bar, not an alarm colour
		}
		bars[i] = opts.BarData{Value: round2(100 * rw.prod), ItemStyle: &opts.ItemStyle{Color: color}}
		waits[i], over[i], infs[i] = gap, gap, gap
		switch {
		case rw.wait >= UnstableWait:
			infs[i] = opts.ScatterData{Value: waitTop, SymbolSize: 11}
		case rw.wait > waitTarget:
			over[i] = opts.ScatterData{Value: round2(rw.wait), SymbolSize: 9}
		default:
			waits[i] = opts.ScatterData{Value: round2(rw.wait), SymbolSize: 7}
		}
	}
	bar := charts.NewBar()
	// one row per office, 22 px each, so every name is readable
	bar.Initialization = newInit(id, fmt.Sprintf("%dpx", max(360, 110+22*len(rows))))
	bar.SetGlobalOptions(
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(true), Top: "0", Type: "scroll"}),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "axis", Formatter: opts.FuncOpts(loadTooltipJS)}),
	)
	bar.AddSeries(lb.ProductivityVsNorm, bars)
	// waits as dots, not a line: neighbouring offices on the axis are unrelated
	ceiling := lb.WaitCeiling + " " + trimFloat(waitTarget) + " " + lb.Minutes
	dots := charts.NewScatter()
	dots.AddSeries(lb.WaitSim, waits,
		charts.WithItemStyleOpts(opts.ItemStyle{Color: "#6a3d9a"}),
		charts.WithMarkLineNameXAxisItemOpts(opts.MarkLineNameXAxisItem{Name: ceiling, XAxis: waitTarget}),
		charts.WithMarkLineStyleOpts(opts.MarkLineStyle{Symbol: []string{"none", "none"},
			Label:     &opts.Label{Show: opts.Bool(true), Position: "start", Formatter: ceiling, Color: colorOverNorm},
			LineStyle: &opts.LineStyle{Color: colorOverNorm, Type: "dashed"}}))
	dots.AddSeries(lb.VerdictNames[VerdictOverloaded], over,
		charts.WithItemStyleOpts(opts.ItemStyle{Color: colorOverNorm}))
	if unstable > 0 {
		dots.AddSeries(lb.WaitUnstable, infs,
			charts.WithScatterChartOpts(opts.ScatterChart{Symbol: "triangle"}),
			charts.WithItemStyleOpts(opts.ItemStyle{Color: colorOverNorm}),
			charts.WithLabelOpts(opts.Label{Show: opts.Bool(true), Position: "right", Formatter: "∞", Color: colorOverNorm}))
	}
	bar.Overlap(dots)
	patch := &optionPatch{set: map[string]any{}, seriesExtra: map[int]map[string]any{}}
	for i := range bar.MultiSeries {
		if i > 0 {
			patch.seriesExtra[i] = map[string]any{"xAxisIndex": 1}
		}
	}
	// The norm is a minimum: shade 0–100 % as the under-used band.
	patch.seriesExtra[0] = map[string]any{"markArea": map[string]any{"silent": true,
		"itemStyle": map[string]any{"color": "rgba(140,140,140,0.13)"},
		"label":     map[string]any{"show": false}, // the bars would hide it: the axis name says what the band is
		"data":      []any{[]any{map[string]any{"name": chartText(lb.NormMinimum), "xAxis": 0}, map[string]any{"xAxis": 100}}}}}
	numLabel := map[string]any{"formatter": opts.FuncOpts(axisNumJS)}
	patch.set["yAxis"] = []any{map[string]any{"type": "category", "data": chartTexts(names), "inverse": true,
		"axisLabel": map[string]any{"interval": 0, "fontSize": 11, "width": 240, "overflow": "truncate"}}}
	patch.set["xAxis"] = []any{
		map[string]any{"type": "value", "name": chartText(lb.ProductivityVsNorm + " — " + lb.NormMinimum), "nameLocation": "middle", "nameGap": 26, "position": "bottom",
			"max": niceCeil(1.1 * maxProd), "axisLabel": numLabel},
		map[string]any{"type": "value", "name": lb.WaitSim, "nameLocation": "middle", "nameGap": 26, "position": "top",
			"max": waitTop, "axisLabel": numLabel, "splitLine": map[string]any{"show": false}},
	}
	patch.set["grid"] = []any{map[string]any{"left": 10, "right": 30, "bottom": 40, "top": 70, "containLabel": true}}
	// a printed page holds the 40 most productive offices (the page's print
	// script zooms to them); the table below the chart lists every office
	patch.set["dataZoom"] = []any{map[string]any{"type": "inside", "yAxisIndex": 0, "start": 0, "end": 100,
		"zoomOnMouseWheel": false, "moveOnMouseWheel": false, "moveOnMouseMove": false}}
	bar.Accept(patch)
	return bar
}

// loadTooltipJS lists, for the office under the pointer, its productivity
// against the norm and its waiting time with their units.
const loadTooltipJS = `function (ps) {
  var e = onestopEsc, n = onestopNum, t = onestopText, out = '';
  (ps || []).forEach(function (p, i) {
    if (i === 0) { out += e(p.name); }
    var v = Array.isArray(p.value) ? p.value[p.value.length - 1] : p.value;
    if (v === '-' || v === undefined || v === null) { return; }
    var unit = p.seriesIndex === 0 ? ' %' : ' ' + t.minutes;
    var shown = p.seriesIndex === 3 ? '∞' : n(v, 1);
    out += '<br/>' + e(p.seriesName) + ': ' + e(shown) + e(unit);
  });
  return out;
}`
