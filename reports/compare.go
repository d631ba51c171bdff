package reports

import (
	"errors"
	"fmt"
	"html/template"
	"math"
	"sort"
)

// compareRow is one figure of the comparison: current network, run A, run B
// and the change from A to B.
type compareRow struct {
	Label, Current, A, B, Delta, Class string
}

// diffRow is a commune whose scenario travel time differs between A and B.
type diffRow struct {
	Name, District, A, B, Delta, Class string
}

// maxDiffRows caps the commune difference table: leaders need the largest
// differences, analysts have the exports for the rest.
const maxDiffRows = 25

// ErrDifferentDatasets is returned (wrapped) by Compare when the two runs
// were made from different datasets: their communes would be matched by
// code, which means nothing across provinces or boundary versions.
var ErrDifferentDatasets = errors.New("the two runs use different datasets")

// CompareOptions tune Compare.
type CompareOptions struct {
	// Force compares runs of different datasets anyway; the page then says so
	// at the top.
	Force bool
}

// DatasetMismatch says why two runs are not of one dataset (another dataset
// name, or other communes), wrapping ErrDifferentDatasets; nil when they are.
func DatasetMismatch(a, b Run) error {
	if a.Dataset != b.Dataset {
		return fmt.Errorf("%w: %q and %q", ErrDifferentDatasets, a.Dataset, b.Dataset)
	}
	codes := make(map[string]bool, len(a.Communes))
	for _, c := range a.Communes {
		codes[c.Code] = true
	}
	same := len(a.Communes) == len(b.Communes)
	for _, c := range b.Communes {
		same = same && codes[c.Code]
	}
	if !same {
		return fmt.Errorf("%w: dataset %q has %d communes in one run and %d in the other, with other codes", ErrDifferentDatasets, a.Dataset, len(a.Communes), len(b.Communes))
	}
	return nil
}

// Compare builds one page putting two runs of one dataset side by side; it
// refuses runs of different datasets (see CompareWith).
func Compare(a, b Run) ([]byte, error) { return CompareWith(a, b, CompareOptions{}) }

// CompareWith builds the comparison page: a summary table with deltas
// (B − A), each run's own rule, the travel-time distributions of the current
// network and both scenarios, both scenario maps, the offices and merges
// that differ, and the communes whose travel time differs most. The
// language is that of a. Runs of different datasets are refused with
// ErrDifferentDatasets unless o.Force.
func CompareWith(a, b Run, o CompareOptions) ([]byte, error) {
	for _, r := range []struct {
		name string
		run  Run
	}{{"A", a}, {"B", b}} {
		if err := r.run.Validate(); err != nil {
			return nil, fmt.Errorf("compare: run %s: %w", r.name, err)
		}
	}
	mismatch := DatasetMismatch(a, b)
	if mismatch != nil && !o.Force {
		return nil, fmt.Errorf("compare: %w (fix: compare two runs of one dataset, or force it)", mismatch)
	}
	lb, _ := a.labels()
	nf := a.Lang.numbers()
	t := a.Targets.withDefaults()
	a, b = a.localized(lb), b.localized(lb)
	nameA, nameB := runName(a, lb.RunA), runName(b, lb.RunB)

	p := newPage(lb, nf)
	p.Compare = true
	p.Title = lb.CompareHeading + ": " + nameA + " / " + nameB
	p.Meta = [][2]string{{lb.Dataset, a.Dataset}}
	if mismatch != nil {
		p.Meta = append(p.Meta, [2]string{lb.Dataset + " B", b.Dataset})
		p.Forced = fmt.Sprintf(lb.ForcedDatasets, a.Dataset, b.Dataset)
	}
	p.CompareCol = [3]string{lb.Before, nameA, nameB}

	jsA, err := registerMapJS("onestop_a", a.Communes)
	if err != nil {
		return nil, err
	}
	jsB, err := registerMapJS("onestop_b", b.Communes)
	if err != nil {
		return nil, err
	}
	p.MapScripts = []template.JS{template.JS(jsA), template.JS(jsB)}
	scale := math.Max(minuteScale(t, a.Communes), minuteScale(t, b.Communes))
	la, lbB := *lb, *lb
	la.MapAfter, lbB.MapAfter = nameA, nameB
	// one view for both maps, fitted to what either run changes
	view := changeView(a, b)
	layersA, layersB := newMapLayers(a), newMapLayers(b)
	layersA.view, layersB.view = view, view
	p.Maps = []chartHTML{
		renderChart(provinceMap("map_a", "onestop_a", a, &la, sideAfter, scale, layersA)),
		renderChart(provinceMap("map_b", "onestop_b", b, &lbB, sideAfter, scale, layersB)),
	}
	p.Hist = renderChart(histogramChart("compare_hist", lb, []string{lb.Before, nameA, nameB},
		[][]Bin{a.Before.Histogram, a.After.Histogram, b.After.Histogram}))
	p.HistNote = histogramNote(lb, nf, a.Before.Histogram, a.After.Histogram, b.After.Histogram)
	p.CompareRow = compareRows(a.Before, a.After, b.After, nf, lb)
	p.DiffRows = diffRows(a, b, nf)
	p.Rules = compareRules(a, b, nameA, nameB, lb)
	p.OfficeDiff = officeDiffRows(a, b, lb)
	p.MergeDiff = mergeDiffRows(a, b, nameA, nameB)
	return execPage("compare", p)
}

// compareRules states the access rule of each run: one sentence when both
// use the same targets, otherwise one per run, so a 20-minute run is not
// read against a 30-minute run as if the rule were the same.
func compareRules(a, b Run, nameA, nameB string, lb *labels) []string {
	ta, tb := a.Targets.withDefaults(), b.Targets.withDefaults()
	if ta == tb {
		return []string{fmt.Sprintf(lb.RuleNote, trimFloat(ta.TravelMinutes), trimFloat(ta.RadiusKm), trimFloat(ta.WaitMinutes))}
	}
	rule := func(name string, t Targets) string {
		return fmt.Sprintf(lb.RuleOf, name, trimFloat(t.TravelMinutes), trimFloat(t.RadiusKm), trimFloat(t.WaitMinutes))
	}
	return []string{rule(nameA, ta), rule(nameB, tb)}
}

// officeDiffRow is an office whose fate differs between the two runs.
type officeDiffRow struct {
	Name, ID, A, B string
}

// officeDiffRows lists the offices kept, closed or opened in one run and not
// the other (or absorbed by another office), by name.
func officeDiffRows(a, b Run, lb *labels) []officeDiffRow {
	fate := func(r Run) map[string]OfficeRow {
		m := make(map[string]OfficeRow, len(r.Offices))
		for _, o := range r.Offices {
			m[o.ID] = o
		}
		return m
	}
	fa, fb := fate(a), fate(b)
	describe := func(o OfficeRow, ok bool, all map[string]OfficeRow) string {
		if !ok {
			return "–"
		}
		s := lb.statusName(o.Status)
		if o.AbsorbedBy != "" {
			s += " → " + all[o.AbsorbedBy].Name
		}
		return s
	}
	ids := map[string]bool{}
	for id := range fa {
		ids[id] = true
	}
	for id := range fb {
		ids[id] = true
	}
	var out []officeDiffRow
	for id := range ids {
		oa, okA := fa[id]
		ob, okB := fb[id]
		if okA && okB && oa.Status == ob.Status && oa.AbsorbedBy == ob.AbsorbedBy {
			continue
		}
		name := oa.Name
		if !okA {
			name = ob.Name
		}
		out = append(out, officeDiffRow{Name: name, ID: id, A: describe(oa, okA, fa), B: describe(ob, okB, fb)})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Name != out[j].Name {
			return out[i].Name < out[j].Name
		}
		return out[i].ID < out[j].ID
	})
	return out
}

// mergeDiffRow is a merge that only one of the runs makes.
type mergeDiffRow struct {
	From, To, In string
}

// mergeDiffRows lists the merges (closed office → absorbing office) made by
// one run only, with names.
func mergeDiffRows(a, b Run, nameA, nameB string) []mergeDiffRow {
	pairs := func(r Run) map[[2]string]bool {
		m := map[[2]string]bool{}
		for _, x := range r.Merges {
			m[[2]string{x.From, x.To}] = true
		}
		return m
	}
	names := func(r Run) map[string]string {
		m := map[string]string{}
		for _, o := range r.Offices {
			m[o.ID] = o.Name
		}
		return m
	}
	pa, pb := pairs(a), pairs(b)
	var out []mergeDiffRow
	add := func(own, other map[[2]string]bool, nm map[string]string, in string) {
		for k := range own {
			if !other[k] {
				out = append(out, mergeDiffRow{From: nm[k[0]] + " (" + k[0] + ")", To: nm[k[1]] + " (" + k[1] + ")", In: in})
			}
		}
	}
	add(pa, pb, names(a), nameA)
	add(pb, pa, names(b), nameB)
	sort.Slice(out, func(i, j int) bool {
		if out[i].In != out[j].In {
			return out[i].In == nameA
		}
		if out[i].From != out[j].From {
			return out[i].From < out[j].From
		}
		return out[i].To < out[j].To
	})
	return out
}

// GeneratorTag is in the head of every page reports writes, so a command can
// tell its own earlier output from a user's file before replacing it.
const GeneratorTag = `<meta name="generator" content="onestop">`

func runName(r Run, fallback string) string {
	if r.Scenario != "" {
		return r.Scenario
	}
	return fallback
}

func compareRows(cur, a, b Summary, nf numberFormat, lb *labels) []compareRow {
	ints := func(label string, c, x, y int64, moreIsBetter bool, judged bool) compareRow {
		row := compareRow{Label: label, Current: nf.Int(c), A: nf.Int(x), B: nf.Int(y), Delta: nf.SignedInt(y - x)}
		if judged {
			row.Class = change(float64(y-x), moreIsBetter)
		}
		return row
	}
	mins := func(label string, c, x, y float64) compareRow {
		return compareRow{Label: label, Current: nf.Float(c, 1), A: nf.Float(x, 1), B: nf.Float(y, 1),
			Delta: nf.SignedFloat(y-x, 1), Class: change(round2(y-x), false)}
	}
	pct := compareRow{Label: lb.CoveredShare, Current: nf.Pct(cur.CoveredShare()), A: nf.Pct(a.CoveredShare()),
		B: nf.Pct(b.CoveredShare()), Delta: nf.SignedFloat(100*(b.CoveredShare()-a.CoveredShare()), 1) + " " + lb.PctPoints,
		Class: change(round2(100*(b.CoveredShare()-a.CoveredShare())), true)}
	return []compareRow{
		ints(lb.Residents, cur.Population, a.Population, b.Population, true, false),
		ints(lb.Covered, cur.Covered, a.Covered, b.Covered, true, true),
		pct,
		ints(lb.Offices, int64(cur.Offices), int64(a.Offices), int64(b.Offices), false, false),
		ints(lb.Staff, int64(cur.Staff), int64(a.Staff), int64(b.Staff), false, false),
		mins(lb.MeanMinutes, cur.MeanMinutes, a.MeanMinutes, b.MeanMinutes),
		mins(lb.P95Minutes, cur.P95Minutes, a.P95Minutes, b.P95Minutes),
		mins(lb.MaxMinutes, cur.MaxMinutes, a.MaxMinutes, b.MaxMinutes),
		ints(lb.OverWait, int64(cur.OfficesOverWait), int64(a.OfficesOverWait), int64(b.OfficesOverWait), false, true),
		ints(lb.Underused, int64(cur.OfficesUnderused), int64(a.OfficesUnderused), int64(b.OfficesUnderused), false, true),
	}
}

// diffRows joins the communes of both runs by code and keeps the largest
// differences in scenario travel time.
func diffRows(a, b Run, nf numberFormat) []diffRow {
	inB := map[string]CommuneRow{}
	for _, c := range b.Communes {
		inB[c.Code] = c
	}
	type pair struct {
		c     CommuneRow
		delta float64
		other float64
	}
	var ps []pair
	for _, c := range a.Communes {
		o, ok := inB[c.Code]
		if !ok {
			continue
		}
		if d := o.MeanMinutesAfter - c.MeanMinutesAfter; math.Abs(d) >= 0.05 {
			ps = append(ps, pair{c, d, o.MeanMinutesAfter})
		}
	}
	sort.SliceStable(ps, func(i, j int) bool {
		if math.Abs(ps[i].delta) != math.Abs(ps[j].delta) {
			return math.Abs(ps[i].delta) > math.Abs(ps[j].delta)
		}
		return ps[i].c.Code < ps[j].c.Code
	})
	if len(ps) > maxDiffRows {
		ps = ps[:maxDiffRows]
	}
	out := make([]diffRow, len(ps))
	for i, p := range ps {
		out[i] = diffRow{Name: p.c.Name, District: a.districtName(p.c.District),
			A: nf.Float(p.c.MeanMinutesAfter, 1), B: nf.Float(p.other, 1),
			Delta: nf.SignedFloat(p.delta, 1), Class: change(p.delta, false)}
	}
	return out
}
