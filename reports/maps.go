package reports

import (
	"encoding/json"
	"fmt"
	"math"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
	"github.com/paulmach/orb"
)

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

// geoLine is a lines item: a merge from a closed office to the one absorbing
// it, or a stretch of district boundary.
type geoLine struct {
	Name   chartText    `json:"name,omitempty"`
	Coords [][2]float64 `json:"coords"`
}

// mapLayers is what both maps of a page share: the district boundaries and
// labels, and the initial view.
type mapLayers struct {
	outlines []geoLine
	labels   []geoPoint
	view     mapView
}

func newMapLayers(r Run) mapLayers {
	return mapLayers{outlines: districtOutlines(r.Communes), labels: districtLabels(r), view: changeView(r)}
}

// mapView is the initial centre and zoom of a map (zoom 1 shows the whole
// province); Zoom 0 leaves echarts' own fit.
type mapView struct {
	Center [2]float64
	Zoom   float64
}

// changeView fits the first view to where the plan changes something
// (offices closed, opened, or given other staff), with a margin, so the
// dense south where the merges happen is not a 150-pixel corner of the
// province. Readers zoom out with the mouse wheel or a pinch.
func changeView(runs ...Run) mapView {
	if len(runs) == 0 {
		return mapView{}
	}
	province, ok := boundOf(runs[0].Communes)
	if !ok {
		return mapView{}
	}
	var pts []orb.Point
	for _, r := range runs {
		for _, o := range r.Offices {
			if o.Status != Kept || o.StaffAfter != o.StaffBefore {
				pts = append(pts, orb.Point{o.Lon, o.Lat})
			}
		}
	}
	if len(pts) == 0 {
		return mapView{}
	}
	b := orb.MultiPoint(pts).Bound()
	// a margin of a quarter of the changes' extent each side, and never
	// closer than ~10 km across
	w, h := math.Max(b.Right()-b.Left(), 0.1), math.Max(b.Top()-b.Bottom(), 0.1)
	w, h = 1.5*w, 1.5*h
	pw, ph := province.Right()-province.Left(), province.Top()-province.Bottom()
	zoom := math.Min(pw/w, ph/h)
	if zoom < 1.2 {
		return mapView{} // the changes span the province: show it whole
	}
	zoom = math.Min(zoom, 8)
	c := b.Center()
	return mapView{Center: [2]float64{round5(c[0]), round5(c[1])}, Zoom: round2(zoom)}
}

// boundOf is the bounding box of the commune outlines.
func boundOf(cs []CommuneRow) (orb.Bound, bool) {
	var b orb.Bound
	ok := false
	for _, c := range cs {
		if len(c.Geometry) == 0 {
			continue
		}
		if !ok {
			b, ok = c.Geometry.Bound(), true
			continue
		}
		b = b.Union(c.Geometry.Bound())
	}
	return b, ok
}

// districtLabels places each district's name at the mean of its communes'
// centres, for a label layer on the maps.
func districtLabels(r Run) []geoPoint {
	type acc struct {
		x, y float64
		n    int
	}
	sums := map[string]*acc{}
	for _, c := range r.Communes {
		if len(c.Geometry) == 0 {
			continue
		}
		a := sums[c.District]
		if a == nil {
			a = &acc{}
			sums[c.District] = a
		}
		ctr := c.Geometry.Bound().Center()
		a.x, a.y, a.n = a.x+ctr[0], a.y+ctr[1], a.n+1
	}
	var out []geoPoint
	for _, d := range r.Districts {
		a := sums[d.Code]
		if a == nil || a.n == 0 {
			continue
		}
		out = append(out, geoPoint{Name: chartText(r.districtName(d.Code)),
			Value: []float64{round5(a.x / float64(a.n)), round5(a.y / float64(a.n)), 0}})
	}
	return out
}

// provinceMap draws one side of the run: the communes coloured by mean
// travel time, district boundaries and names, the offices, the merges (after
// only), uncovered residents and a scale bar.
func provinceMap(id, mapName string, r Run, lb *labels, side mapSide, scaleMax float64, layers mapLayers) *charts.Geo {
	g := charts.NewGeo()
	g.Initialization = newInit(id, "620px")
	title := lb.MapBefore
	if side == sideAfter {
		title = lb.MapAfter
	}
	g.SetGlobalOptions(
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(true), Bottom: "0", Left: "center", Type: "scroll"}),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "item",
			Formatter: opts.FuncOpts(mapTooltipJS)}),
	)
	patch := &optionPatch{set: map[string]any{}, seriesExtra: map[int]map[string]any{}}
	// the compare page titles each map with a scenario name from the input
	patch.set["title"] = titleOption{Text: chartText(title), Left: "center", BackgroundColor: "rgba(255,255,255,0.85)", Padding: []int{4, 10}}

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

	// district boundaries above the communes, below the offices; silent so
	// they never take a tooltip from the commune underneath
	if len(layers.outlines) > 0 {
		s := charts.SingleSeries{Name: lb.DistrictLines, Type: "lines", CoordSystem: "geo", Data: layers.outlines}
		s.LineStyle = &opts.LineStyle{Color: "#263445", Width: 1.6, Opacity: opts.Float(0.85)}
		g.MultiSeries = append(g.MultiSeries, s)
		patch.seriesExtra[len(g.MultiSeries)-1] = map[string]any{"polyline": true, "silent": true, "z": 3}
	}
	if len(layers.labels) > 0 {
		s := charts.SingleSeries{Name: lb.District, Type: "scatter", CoordSystem: "geo", Data: layers.labels, SymbolSize: 0}
		g.MultiSeries = append(g.MultiSeries, s)
		patch.seriesExtra[len(g.MultiSeries)-1] = map[string]any{"silent": true, "z": 4,
			"label": map[string]any{"show": true, "formatter": "{b}", "color": "#1d2733", "fontSize": 11, "fontWeight": "bold",
				"textBorderColor": "#ffffff", "textBorderWidth": 3}}
	}

	addPoints := func(name, color, symbol string, pts []geoPoint, size int) {
		s := charts.SingleSeries{Name: name, Type: "scatter", CoordSystem: "geo", Data: pts, Symbol: symbol,
			SymbolSize: size, Color: color}
		s.ItemStyle = &opts.ItemStyle{Color: color, BorderColor: "#ffffff", BorderWidth: 1}
		g.MultiSeries = append(g.MultiSeries, s)
		patch.seriesExtra[len(g.MultiSeries)-1] = map[string]any{"z": 6}
	}
	byStatus := officePoints(r, lb, side)
	if side == sideBefore {
		all := append(append([]geoPoint{}, byStatus[Kept]...), byStatus[Closed]...)
		addPoints(lb.Offices, colorKept, "circle", all, 9)
	} else {
		addPoints(lb.Kept, colorKept, "circle", byStatus[Kept], 9)
		addPoints(lb.New, colorNew, "diamond", byStatus[New], 14)
		addPoints(lb.Closed, colorClosed, "rect", byStatus[Closed], 7)
		// merges as light arrows that stand out when hovered: dozens of
		// them in a dense district stay readable as a direction field
		s := charts.SingleSeries{Name: lb.Merges, Type: "lines", CoordSystem: "geo", Data: mergeLines(r)}
		s.LineStyle = &opts.LineStyle{Color: colorMerge, Width: 1.5, Opacity: opts.Float(0.55), Curveness: 0.25}
		g.MultiSeries = append(g.MultiSeries, s)
		patch.seriesExtra[len(g.MultiSeries)-1] = map[string]any{"symbol": []string{"none", "arrow"}, "symbolSize": 7, "z": 5,
			"emphasis": map[string]any{"focus": "self", "lineStyle": map[string]any{"width": 4, "opacity": 1}}}
	}
	uncov := uncoveredPoints(r, side, lb)
	s := charts.SingleSeries{Name: lb.Uncovered, Type: "scatter", CoordSystem: "geo", Data: uncov,
		SymbolSize: opts.FuncOpts(uncoveredSizeJS), Symbol: "circle"}
	s.ItemStyle = &opts.ItemStyle{Color: colorUncov, Opacity: opts.Float(0.55)}
	g.MultiSeries = append(g.MultiSeries, s)

	// the choropleth is explained by the colour scale and the district
	// names need no switch; the legend toggles the other layers
	var layerNames []chartText
	for _, s := range g.MultiSeries[1:] {
		if s.Name != lb.District {
			layerNames = append(layerNames, chartText(s.Name))
		}
	}
	g.Legend.Data = layerNames
	geo := map[string]any{
		"map": mapName, "roam": true, "top": 50, "bottom": 70, "left": 10, "right": 10,
		"scaleLimit": map[string]any{"min": 0.8, "max": 40},
		"itemStyle":  map[string]any{"borderColor": "#8a96a3", "borderWidth": 0.4, "areaColor": "#eeeeee"},
		"emphasis":   map[string]any{"label": map[string]any{"show": false}, "itemStyle": map[string]any{"areaColor": "#ffe08a"}},
		"label":      map[string]any{"show": false},
	}
	if layers.view.Zoom > 0 {
		geo["center"], geo["zoom"] = layers.view.Center, layers.view.Zoom
	}
	patch.set["geo"] = geo
	patch.set["visualMap"] = []any{map[string]any{
		"type": "continuous", "calculable": true, "min": 0, "max": scaleMax, "seriesIndex": 0,
		"text": []chartText{chartText(lb.Minutes), ""}, "inRange": map[string]any{"color": travelPalette()},
		"left": "left", "bottom": 40, "itemHeight": 110, "formatter": opts.FuncOpts(visualMapLabelJS),
	}}
	g.Accept(patch)
	g.AddJSFuncs(fmt.Sprintf("onestopMapExtras(%%MY_ECHARTS%%, %s);", mustJSON(lb.KmUnit+" "+lb.NorthArrow)))
	return g
}

// officePoints groups a side's offices by status for the scatter layers.
// Tooltips say what each number counts ("5 cán bộ"), and new points carry
// their id (the H3 cell) under their name.
func officePoints(r Run, lb *labels, side mapSide) map[Status][]geoPoint {
	byStatus := map[Status][]geoPoint{}
	nf := r.Lang.numbers()
	for _, o := range r.Offices {
		if side == sideBefore && o.Status == New {
			continue // closed offices stay on the scenario map, greyed, to show what moved
		}
		staff := o.StaffAfter
		if side == sideBefore {
			staff = o.StaffBefore
		}
		info := fmt.Sprintf("%s · %s · %d %s", lb.kindName(o.Kind), lb.statusName(o.Status), staff, lb.StaffUnit)
		if o.Status == New {
			info += " · " + lb.OfficeID + " " + o.ID
		}
		// the scenario's loads, both measures by name
		if side == sideAfter && o.Status != Closed && o.StaffAfter > 0 && o.Norm > 0 {
			info += " · " + fmt.Sprintf(lb.TipLoad, nf.Pct(o.productivity()), waitText(nf, officeWait(o)))
		}
		byStatus[o.Status] = append(byStatus[o.Status], geoPoint{Name: chartText(o.Name), Value: []float64{o.Lon, o.Lat, float64(staff)}, Info: chartText(info)})
	}
	return byStatus
}

// mustJSON encodes a string for a script; strings always encode.
func mustJSON(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// mapTooltipJS shows commune name, minutes and coverage, or office details.
// ECharts inserts a formatter's result as HTML, so every value goes through
// onestopEsc (escapeHelperJS); only the <br/> are markup. Units come from
// onestopText, numbers from onestopNum, both in the page's language.
const mapTooltipJS = `function (p) {
  var e = onestopEsc, n = onestopNum, t = onestopText, d = p.data || {};
  if (p.seriesType === 'map') {
    if (!d.label) { return e(p.name); }
    return e(d.label) + '<br/>' + e(p.seriesName) + ': ' + e(n(d.value, 1)) + ' ' + e(t.minutes) +
      '<br/>' + e(t.covered) + ': ' + e(n(d.covered, 1)) + ' %';
  }
  if (p.seriesType === 'lines') { return e(d.name); }
  return e(d.name || p.seriesName) + (d.info ? '<br/>' + e(d.info) : '');
}`

// visualMapLabelJS prints the colour scale's handles in the page's locale.
const visualMapLabelJS = `function (v) { return onestopEsc(onestopNum(v, 0)); }`

// uncoveredSizeJS scales the dots by population so a big village reads
// bigger than a farmstead without hiding the map.
const uncoveredSizeJS = `function (v) { return Math.max(3, Math.min(18, Math.sqrt(v[2]) / 4)); }`

// mapExtrasJS defines onestopMapExtras(chart, unit), run once per map: it
// draws a scale bar (a round number of km, about 100 px long, measured at
// the bar's own position so it stays true as the reader zooms) and a north
// arrow, and redraws them after every zoom, pan or resize.
const mapExtrasJS = `function onestopMapExtras(chart, unit) {
  var parts = unit.split(' '), km = parts[0], north = parts[1], last = '';
  function draw() {
    var w = chart.getWidth(), h = chart.getHeight(), x0 = w - 150, y0 = h - 80;
    var p = chart.convertFromPixel({geoIndex: 0}, [x0, y0]);
    if (!p) { return; }
    var q = chart.convertToPixel({geoIndex: 0}, [p[0] + 1 / (111.32 * Math.cos(p[1] * Math.PI / 180)), p[1]]);
    var perKm = Math.abs(q[0] - x0);
    if (!isFinite(perKm) || perKm === 0) { return; }
    var want = 100 / perKm, pow = Math.pow(10, Math.floor(Math.log(want) / Math.LN10)), len = pow;
    [1, 2, 5].forEach(function (m) { if (m * pow <= want) { len = m * pow; } });
    var px = Math.round(len * perKm), key = px + '/' + len + '/' + w + '/' + h;
    if (key === last) { return; }
    last = key;
    chart.setOption({graphic: [
      {id: 'onestop-scale', type: 'group', left: x0, top: y0, z: 100, silent: true, children: [
        {type: 'rect', shape: {x: 0, y: 10, width: px, height: 5}, style: {fill: '#263445'}},
        {type: 'rect', shape: {x: px / 2, y: 10, width: px / 2, height: 5}, style: {fill: '#ffffff', stroke: '#263445'}},
        {type: 'text', style: {x: 0, y: 18, text: '0', fill: '#263445', font: '11px sans-serif'}},
        {type: 'text', style: {x: px, y: 18, text: onestopNum(len) + ' ' + km, textAlign: 'center', fill: '#263445', font: '11px sans-serif'}}
      ]},
      {id: 'onestop-north', type: 'group', right: 18, top: 48, z: 100, silent: true, children: [
        {type: 'polygon', shape: {points: [[8, 0], [16, 22], [8, 17], [0, 22]]}, style: {fill: '#263445'}},
        {type: 'text', style: {x: 8, y: 24, text: north, textAlign: 'center', fill: '#263445', font: 'bold 12px sans-serif'}}
      ]}
    ]});
  }
  chart.on('georoam', function () { setTimeout(draw, 0); });
  chart.on('finished', draw);
  draw();
}`

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
		out = append(out, geoPoint{Name: chartText(lb.Uncovered),
			Info:  chartText(nf.Int(c.Population) + " " + lb.ResidentsUnit + " · " + nf.Float(minutes, 0) + " " + lb.Minutes),
			Value: []float64{round6(c.Lon), round6(c.Lat), float64(c.Population)}})
	}
	return out
}
