package reports

import (
	"bytes"
	_ "embed"
	"fmt"
	"html/template"
	"math"
	"slices"
	"sort"
	"strings"
)

// echartsJS is Apache ECharts 5 (assets/LICENSE.echarts), inlined into every
// page so the report opens offline.
//
//go:embed assets/echarts.min.js
var echartsJS string

// ECharts is that vendored script, for the program's other pages (the
// planning page of `onestop serve`) to serve the same copy rather than
// vendor a second one.
func ECharts() string { return echartsJS }

//go:embed templates/report.html.tmpl
var pageTemplate string

// chartHTML is a rendered chart: its container and its script.
type chartHTML struct {
	Element template.HTML
	Script  template.HTML
}

func renderChart(c chartRenderer) chartHTML {
	el, sc := snippet(c)
	return chartHTML{Element: template.HTML(el), Script: template.HTML(sc)}
}

// card is one headline figure, before and after.
type card struct {
	Label, Before, After, Change string
	Class                        string // "better", "worse" or ""
}

type districtView struct {
	Name, Population, CoveredBefore, CoveredAfter, MinutesBefore, MinutesAfter string
	OfficesBefore, OfficesAfter                                                int
	Class                                                                      string
}

type officeView struct {
	ShowID                             bool // new points: the id (an H3 cell) under the name
	Name, ID, Kind, Status, AbsorbedBy string
	StaffBefore, StaffAfter            int
	Dossiers, Norm, Productivity       string
	PeakOccupancy, WaitErlang, WaitSim string
	StaffQueueStandard, LoadSource     string
	Verdict, Class                     string
}

// auditView is the audit section: one line in green when every claim
// holds, the mismatches in red otherwise.
type auditView struct {
	Headline, Beyond string
	OK               bool
	Mismatches       []AuditMismatch
}

type mergeView struct{ From, To, Reason string }

type communeView struct {
	Name, District, Population, MinutesBefore, MinutesAfter, CoveredBefore, CoveredAfter string
}

// reportPage is what templates/report.html.tmpl renders for one run.
type reportPage struct {
	L          *labels
	Title      string
	Meta       [][2]string
	EchartsJS  template.JS
	EscapeJS   template.JS // onestopEsc, the tooltips' HTML escaper
	HelperJS   template.JS // onestopNum, onestopText and onestopMapExtras, in the page's language
	MapScripts []template.JS
	Cards      []card
	Sentences  []string
	Rule       string
	Maps       []chartHTML
	Hist       chartHTML
	HistNote   string
	Load       chartHTML
	LoadNote   string
	// First screen: the assumptions that shaped the result, the plan's
	// largest point, and the audit.
	Assumptions []string
	Largest     string
	Audit       *auditView
	Curve       *chartHTML
	Districts   []districtView
	Offices     []officeView
	Merges      []mergeView
	Worse       []communeView
	// Compare page only
	Compare    bool
	CompareCol [3]string
	CompareRow []compareRow
	DiffRows   []diffRow
	Rules      []string // each run's own rule
	Forced     string   // why the page compares two datasets, when --force made it
	OfficeDiff []officeDiffRow
	MergeDiff  []mergeDiffRow
}

// Render builds report.html for one run: a single self-contained page
// (charts drawn by the inlined ECharts, no network access needed).
func Render(r Run) ([]byte, error) {
	if err := r.Validate(); err != nil {
		return nil, err
	}
	lb, _ := r.labels()
	nf := r.Lang.numbers()
	t := r.Targets.withDefaults()
	r = r.localized(lb)
	p := newPage(lb, nf)
	p.Title = r.Title
	if p.Title == "" {
		p.Title = lb.DefaultTitle
	}
	p.Meta = runMeta(r, lb)
	if g := r.DossierGrowth; g > 0 && g != 1 {
		p.Meta = append(p.Meta, [2]string{lb.DossierGrowth, "×" + nf.Float(g, 2)})
	}
	p.Assumptions = assumptionSentences(r, nf, lb)
	p.Largest = largestPoint(r, nf, lb)
	p.Audit = auditSection(r.Audit, nf, lb)

	mapName := "onestop_communes"
	js, err := registerMapJS(mapName, r.Communes)
	if err != nil {
		return nil, err
	}
	p.MapScripts = []template.JS{template.JS(js)}
	scale := minuteScale(t, r.Communes)
	layers := newMapLayers(r)
	p.Maps = []chartHTML{
		renderChart(provinceMap("map_before", mapName, r, lb, sideBefore, scale, layers)),
		renderChart(provinceMap("map_after", mapName, r, lb, sideAfter, scale, layers)),
	}
	p.Hist = renderChart(histogramChart("travel_hist", lb, []string{lb.Before, lb.After}, [][]Bin{r.Before.Histogram, r.After.Histogram}))
	p.HistNote = histogramNote(lb, nf, r.Before.Histogram, r.After.Histogram)
	p.Load = renderChart(loadChart("office_load", r, lb, t.WaitMinutes))
	p.LoadNote = fmt.Sprintf(lb.LoadNote, trimFloat(t.WaitMinutes))
	if r.Curve != nil && len(r.Curve.Points) > 0 {
		c := renderChart(curveChart("tradeoff_curve", *r.Curve, lb))
		p.Curve = &c
	}

	p.Cards = summaryCards(r.Before, r.After, nf, lb)
	p.Sentences = summarySentences(r, nf, lb, t)
	p.Rule = fmt.Sprintf(lb.RuleNote, trimFloat(t.TravelMinutes), trimFloat(t.RadiusKm), trimFloat(t.WaitMinutes))
	p.Districts = districtViews(r, nf)
	p.Offices = officeViews(r, nf, lb, t)
	p.Merges = mergeViews(r, nf, lb)
	p.Worse = worseViews(r, nf)
	return execPage("report", p)
}

// newPage starts a page with the scripts every page carries: ECharts and
// the escaping helper its tooltips call.
func newPage(lb *labels, nf numberFormat) reportPage {
	return reportPage{L: lb, EchartsJS: template.JS(echartsJS), EscapeJS: template.JS(escapeHelperJS),
		HelperJS: template.JS(numberJS(nf) + "\n" + textJS(lb) + "\n" + mapExtrasJS)}
}

func execPage(name string, p reportPage) ([]byte, error) {
	tpl, err := template.New("page").Parse(pageTemplate)
	if err != nil {
		return nil, fmt.Errorf("reports: page template: %w", err)
	}
	var buf bytes.Buffer
	if err := tpl.ExecuteTemplate(&buf, name, p); err != nil {
		return nil, fmt.Errorf("reports: render %s page: %w", name, err)
	}
	return buf.Bytes(), nil
}

// runMeta is the line under the title: dataset, scenario, phase.
func runMeta(r Run, lb *labels) [][2]string {
	var m [][2]string
	for _, kv := range [][2]string{{lb.Dataset, r.Dataset}, {lb.Scenario, r.Scenario}, {lb.Phase, r.Phase}, {lb.Version, r.Version}} {
		if strings.TrimSpace(kv[1]) != "" {
			m = append(m, kv)
		}
	}
	return m
}

// minuteScale is the top of the colour scale shared by both maps, so the
// same colour means the same minutes on each: twice the travel target or the
// worst commune mean, whichever is smaller, but never below the target.
func minuteScale(t Targets, cs []CommuneRow) float64 {
	worst := 0.0
	for _, c := range cs {
		worst = math.Max(worst, math.Max(c.MeanMinutesBefore, c.MeanMinutesAfter))
	}
	return math.Ceil(math.Max(t.TravelMinutes, math.Min(2*t.TravelMinutes, worst)))
}

// change classifies a difference: for "more is better" figures a rise is
// better, for minutes and overloaded offices a fall is.
func change(delta float64, moreIsBetter bool) string {
	switch {
	case delta == 0:
		return ""
	case (delta > 0) == moreIsBetter:
		return "better"
	}
	return "worse"
}

func summaryCards(b, a Summary, nf numberFormat, lb *labels) []card {
	mins := func(label string, x, y float64) card {
		return card{Label: label, Before: nf.Float(x, 1), After: nf.Float(y, 1),
			Change: nf.SignedFloat(y-x, 1), Class: change(round2(y-x), false)}
	}
	return []card{
		{Label: lb.Covered, Before: nf.Int(b.Covered) + " (" + nf.Pct(b.CoveredShare()) + ")",
			After:  nf.Int(a.Covered) + " (" + nf.Pct(a.CoveredShare()) + ")",
			Change: nf.SignedInt(a.Covered - b.Covered), Class: change(float64(a.Covered-b.Covered), true)},
		// fewer offices is neither better nor worse by itself
		{Label: lb.Offices, Before: nf.Int(int64(b.Offices)), After: nf.Int(int64(a.Offices)), Change: nf.SignedInt(int64(a.Offices - b.Offices))},
		{Label: lb.Staff, Before: nf.Int(int64(b.Staff)), After: nf.Int(int64(a.Staff)), Change: nf.SignedInt(int64(a.Staff - b.Staff))},
		mins(lb.MeanMinutes, b.MeanMinutes, a.MeanMinutes),
		mins(lb.MaxMinutes, b.MaxMinutes, a.MaxMinutes),
		{Label: lb.OverWait, Before: nf.Int(int64(b.OfficesOverWait)), After: nf.Int(int64(a.OfficesOverWait)),
			Change: nf.SignedInt(int64(a.OfficesOverWait - b.OfficesOverWait)), Class: change(float64(a.OfficesOverWait-b.OfficesOverWait), false)},
		{Label: lb.Underused, Before: nf.Int(int64(b.OfficesUnderused)), After: nf.Int(int64(a.OfficesUnderused)),
			Change: nf.SignedInt(int64(a.OfficesUnderused - b.OfficesUnderused)), Class: change(float64(a.OfficesUnderused-b.OfficesUnderused), false)},
	}
}

func summarySentences(r Run, nf numberFormat, lb *labels, t Targets) []string {
	b, a := r.Before, r.After
	return []string{
		fmt.Sprintf(lb.SentenceCovered, trimFloat(t.TravelMinutes), trimFloat(t.RadiusKm),
			nf.Int(b.Covered), nf.Pct(b.CoveredShare()), nf.Int(a.Covered), nf.Pct(a.CoveredShare())),
		fmt.Sprintf(lb.SentenceOffices, b.Offices, a.Offices, b.Staff, a.Staff),
		fmt.Sprintf(lb.SentenceTravel, nf.Float(b.MeanMinutes, 1), nf.Float(b.MaxMinutes, 1), nf.Float(a.MeanMinutes, 1), nf.Float(a.MaxMinutes, 1)),
		fmt.Sprintf(lb.SentenceWait, trimFloat(t.WaitMinutes), b.OfficesOverWait, a.OfficesOverWait),
		fmt.Sprintf(lb.SentenceUnderused, b.OfficesUnderused, a.OfficesUnderused),
	}
}

func shareOf(covered, pop int64) float64 {
	if pop <= 0 {
		return 0
	}
	return float64(covered) / float64(pop)
}

func districtViews(r Run, nf numberFormat) []districtView {
	out := make([]districtView, 0, len(r.Districts))
	for _, d := range r.Districts {
		name := d.Name
		if name == "" {
			name = d.Code
		}
		out = append(out, districtView{
			Name: name, Population: nf.Int(d.Population),
			CoveredBefore: nf.Pct(shareOf(d.CoveredBefore, d.Population)),
			CoveredAfter:  nf.Pct(shareOf(d.CoveredAfter, d.Population)),
			MinutesBefore: nf.Float(d.MeanMinutesBefore, 1), MinutesAfter: nf.Float(d.MeanMinutesAfter, 1),
			OfficesBefore: d.OfficesBefore, OfficesAfter: d.OfficesAfter,
			Class: change(float64(d.CoveredAfter-d.CoveredBefore), true),
		})
	}
	return out
}

// officeViews lists open offices by productivity against the norm (most
// productive first), then the closed ones by name.
func officeViews(r Run, nf numberFormat, lb *labels, t Targets) []officeView {
	offices := append([]OfficeRow(nil), r.Offices...)
	names := map[string]string{}
	for _, o := range offices {
		names[o.ID] = o.Name
	}
	sort.SliceStable(offices, func(i, j int) bool {
		ci, cj := offices[i].Status == Closed, offices[j].Status == Closed
		if ci != cj {
			return cj
		}
		if ci {
			return offices[i].Name < offices[j].Name
		}
		return offices[i].productivity() > offices[j].productivity()
	})
	out := make([]officeView, 0, len(offices))
	for _, o := range offices {
		v := officeView{ShowID: o.Status == New, Name: o.Name, ID: o.ID, Kind: lb.kindName(o.Kind), Status: lb.statusName(o.Status),
			StaffBefore: o.StaffBefore, StaffAfter: o.StaffAfter, LoadSource: lb.loadSourceName(o.LoadSource)}
		if o.AbsorbedBy != "" {
			v.AbsorbedBy = names[o.AbsorbedBy]
		}
		if o.Status != Closed {
			v.Dossiers = nf.Float(o.Dossiers, 0)
			v.Norm = nf.Float(o.Norm, 0)
			v.Productivity = nf.Pct(o.productivity())
			if o.PeakOccupancy > 0 {
				v.PeakOccupancy = nf.Pct(o.PeakOccupancy)
			}
			v.WaitErlang = waitText(nf, o.WaitErlangMin)
			v.WaitSim = waitText(nf, o.WaitSimMeanMin)
			if o.QueueMinStaff > 0 || o.StaffStandard > 0 {
				v.StaffQueueStandard = fmt.Sprintf("%d / %d", o.QueueMinStaff, o.StaffStandard)
			}
			vs := o.verdicts(t.WaitMinutes)
			v.Verdict = lb.verdictText(vs)
			// Only a wait breach marks the row red: productivity above the
			// norm is the norm met, not an overload.
			if slices.Contains(vs, VerdictOverloaded) {
				v.Class = "worse"
			}
			// A planner's own warning in Flag (not one of the engine's
			// verdict words) is kept beside the verdict.
			if f := strings.TrimSpace(o.Flag); f != "" && !isEngineFlag(f, lb) {
				v.Verdict = strings.TrimPrefix(v.Verdict+"; "+f, "; ")
			}
		} else {
			v.Class = "muted"
		}
		out = append(out, v)
	}
	return out
}

// mergeViews lists the merges with names and the ids after them, and a
// reason worded in the report's language from each merge's numbers.
func mergeViews(r Run, nf numberFormat, lb *labels) []mergeView {
	offices := make(map[string]OfficeRow, len(r.Offices))
	for _, o := range r.Offices {
		offices[o.ID] = o
	}
	label := func(id string) string {
		if n := offices[id].Name; n != "" {
			return n + " (" + id + ")"
		}
		return id
	}
	out := make([]mergeView, len(r.Merges))
	for i, m := range r.Merges {
		out[i] = mergeView{From: label(m.From), To: label(m.To), Reason: mergeReason(m, offices, r.Lang, nf, lb)}
	}
	return out
}

// worseViews lists the communes flagged worse off, the biggest rise in
// travel time first.
func worseViews(r Run, nf numberFormat) []communeView {
	var ws []CommuneRow
	for _, c := range r.Communes {
		if c.WorseOff {
			ws = append(ws, c)
		}
	}
	sort.SliceStable(ws, func(i, j int) bool {
		di, dj := ws[i].MeanMinutesAfter-ws[i].MeanMinutesBefore, ws[j].MeanMinutesAfter-ws[j].MeanMinutesBefore
		if di != dj {
			return di > dj
		}
		return ws[i].Code < ws[j].Code
	})
	out := make([]communeView, len(ws))
	for i, c := range ws {
		out[i] = communeView{Name: c.Name, District: r.districtName(c.District), Population: nf.Int(c.Population),
			MinutesBefore: nf.Float(c.MeanMinutesBefore, 1), MinutesAfter: nf.Float(c.MeanMinutesAfter, 1),
			CoveredBefore: nf.Pct(c.CoveredShareBefore), CoveredAfter: nf.Pct(c.CoveredShareAfter)}
	}
	return out
}

// waitText prints a wait in minutes, "∞" for an unstable queue.
func waitText(nf numberFormat, v float64) string {
	if v >= UnstableWait {
		return "∞"
	}
	return nf.Float(v, 1)
}
