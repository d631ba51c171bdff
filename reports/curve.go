package reports

import (
	"cmp"
	"slices"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
)

// curveChart draws the trade-off curve: for each number of offices the
// shortest mean travel time the optimizer found, as a line over an office
// axis, and the adopted plan as a large marked point labelled with its
// name, so a leader reads what each closure costs residents.
func curveChart(id string, c Curve, lb *labels) *charts.Line {
	pts := slices.Clone(c.Points)
	slices.SortStableFunc(pts, func(a, b CurvePoint) int { return cmp.Compare(a.Offices, b.Offices) })
	line := make([][]float64, len(pts))
	minX, maxX, maxY := c.Chosen.Offices, c.Chosen.Offices, c.Chosen.MeanMinutes
	for i, p := range pts {
		line[i] = []float64{float64(p.Offices), round2(p.MeanMinutes)}
		minX, maxX, maxY = min(minX, p.Offices), max(maxX, p.Offices), max(maxY, p.MeanMinutes)
	}
	chosen := [][]float64{{float64(c.Chosen.Offices), round2(c.Chosen.MeanMinutes)}}
	chart := charts.NewLine()
	chart.Initialization = newInit(id, "380px")
	chart.SetGlobalOptions(
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(true), Bottom: "0"}),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "item", Formatter: opts.FuncOpts(curveTooltipJS)}),
	)
	chart.MultiSeries = append(chart.MultiSeries,
		charts.SingleSeries{Name: lb.CurveSeries, Type: "line", Data: line,
			ItemStyle: &opts.ItemStyle{Color: colorAfter}, LineStyle: &opts.LineStyle{Color: colorAfter}},
		charts.SingleSeries{Name: lb.ChosenPlan, Type: "scatter", Data: chosen, SymbolSize: 16,
			ItemStyle: &opts.ItemStyle{Color: colorMerge}})
	patch := &optionPatch{set: map[string]any{}, seriesExtra: map[int]map[string]any{
		0: {"name": chartText(lb.CurveSeries), "showSymbol": true, "symbolSize": 5},
		// the chosen plan carries its name on the chart, not only in the legend
		1: {"name": chartText(lb.ChosenPlan), "z": 5,
			"label": map[string]any{"show": true, "position": "top", "formatter": chartText(lb.ChosenPlan), "color": colorMerge, "fontWeight": "bold"}},
	}}
	numLabel := map[string]any{"formatter": opts.FuncOpts(axisNumJS)}
	patch.set["xAxis"] = []any{map[string]any{"type": "value", "name": lb.Offices, "nameLocation": "middle", "nameGap": 26,
		"min": max(0, minX-1), "max": maxX + 1, "minInterval": 1, "axisLabel": numLabel}}
	patch.set["yAxis"] = []any{map[string]any{"type": "value", "name": lb.MeanMinutes, "min": 0, "max": niceCeil(1.1 * maxY),
		"nameTextStyle": map[string]any{"align": "left"}, "axisLabel": numLabel}}
	patch.set["grid"] = []any{map[string]any{"left": 10, "right": 20, "bottom": 50, "top": 40, "containLabel": true}}
	chart.Accept(patch)
	return chart
}

// curveTooltipJS names the series and gives the plan's offices and mean
// travel minutes.
const curveTooltipJS = `function (p) {
  var e = onestopEsc, n = onestopNum, t = onestopText;
  var v = p.value || [];
  return e(p.seriesName) + '<br/>' + e(n(v[0])) + ' ' + e(t.points) + ': ' + e(n(v[1], 1)) + ' ' + e(t.minutes);
}`
