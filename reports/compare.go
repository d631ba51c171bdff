package reports

import (
	"fmt"
	"html/template"
	"math"
	"sort"

	"github.com/onestop/onestop/internal/atomicfile"
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

// Compare builds one page putting two runs side by side: a summary table
// with deltas (B − A), the travel-time distributions of the current network
// and both scenarios, both scenario maps, and the communes whose travel time
// differs most. The language and targets are those of a.
func Compare(a, b Run) ([]byte, error) {
	for _, r := range []struct {
		name string
		run  Run
	}{{"A", a}, {"B", b}} {
		if err := r.run.Validate(); err != nil {
			return nil, fmt.Errorf("compare: run %s: %w", r.name, err)
		}
	}
	lb, _ := a.Lang.labels()
	nf := a.Lang.numbers()
	t := a.Targets.withDefaults()
	nameA, nameB := runName(a, "A"), runName(b, "B")

	p := newPage(lb)
	p.Compare = true
	p.Title = lb.CompareHeading + ": " + nameA + " / " + nameB
	p.Meta = [][2]string{{lb.Dataset, a.Dataset}}
	if b.Dataset != a.Dataset {
		p.Meta = append(p.Meta, [2]string{lb.Dataset + " B", b.Dataset})
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
	p.Maps = []chartHTML{
		renderChart(provinceMap("map_a", "onestop_a", a, &la, sideAfter, scale)),
		renderChart(provinceMap("map_b", "onestop_b", b, &lbB, sideAfter, scale)),
	}
	p.Hist = renderChart(histogramChart("compare_hist", lb, []string{lb.Before, nameA, nameB},
		[][]Bin{a.Before.Histogram, a.After.Histogram, b.After.Histogram}))
	p.CompareRow = compareRows(a.Before, a.After, b.After, nf, lb)
	p.DiffRows = diffRows(a, b, nf)
	p.Rule = fmt.Sprintf(lb.RuleNote, trimFloat(t.TravelMinutes), trimFloat(t.RadiusKm), trimFloat(t.WaitMinutes))
	return execPage("compare", p)
}

// GeneratorTag is in the head of every page reports writes, so a command can
// tell its own earlier output from a user's file before replacing it.
const GeneratorTag = `<meta name="generator" content="onestop">`

// WriteCompareHTML writes Compare(a, b) atomically to path.
func WriteCompareHTML(path string, a, b Run) error {
	page, err := Compare(a, b)
	if err != nil {
		return err
	}
	return atomicfile.WriteFile(path, page)
}

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
		B: nf.Pct(b.CoveredShare()), Delta: nf.SignedFloat(100*(b.CoveredShare()-a.CoveredShare()), 1) + " pp",
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
