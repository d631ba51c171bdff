package data

import (
	"fmt"
	"math"
	"path"
	"strings"

	"github.com/paulmach/orb"
	"github.com/uber/h3-go/v4"
)

// loadPopulation reads gridded population: a CSV keyed by H3 cell or by
// lon/lat, or GeoJSON points.
func (l *loader) loadPopulation() {
	ps := l.spec.Population
	file, b, ok := l.readFile("population.file", ps.File)
	if !ok {
		return
	}
	countF := field(ps.Count, "population")
	var cells []PopulationCell
	if strings.EqualFold(path.Ext(file), ".csv") {
		cells, ok = l.populationCSV(file, b, countF)
	} else {
		cells, ok = l.populationGeoJSON(file, b, countF)
	}
	if !ok {
		return
	}
	l.ds.Population = cells
	if len(cells) == 0 {
		l.add(Problem{File: file, Msg: "the population file has no records", Fix: "export the population grid into it, or remove the population: section"})
		return
	}
	if len(l.ds.Communes) == 0 {
		return // the communes failed, already reported: nothing to compare with
	}
	// Cells outside the communes are lost to coverage; say how many people
	// that is. Cells inside a rejected commune are not "outside": that
	// commune's error is reported already. With communes.select, records
	// outside the selection are dropped: a national grid read for one
	// province would otherwise carry the whole country.
	// Plain sums: each count is at most MaxPopulation (parseCount) and a
	// slice cannot hold the 2^36 records it would take to overflow int64.
	var outside, total int64
	nOut := 0
	ix := l.index()
	kept := cells[:0]
	hasRecord := make([]bool, len(l.ds.Communes))
	for _, c := range cells {
		ci := ix.locate(c.Point)
		if ci >= 0 {
			hasRecord[ci] = true
		}
		in := ci >= 0 || l.inRejectedCommune(c.Point) != nil
		if !in && l.ds.Selection != "" {
			nOut++
			outside += c.Count
			continue
		}
		kept = append(kept, c)
		total += c.Count
		if !in {
			outside += c.Count
			nOut++
		}
	}
	l.ds.Population = kept
	if l.ds.Selection != "" && nOut > 0 {
		l.add(Problem{Severity: Warning, File: file,
			Msg: fmt.Sprintf("communes.select (%s): dropped %d of %d population record(s) (%s people) lying outside every selected commune; %d kept",
				l.ds.Selection, nOut, len(cells), Thousands(outside), len(kept)),
			Fix: "nothing to do if the file covers a larger area than the selection"})
		nOut, outside = 0, 0
	}
	l.warnCommunesWithoutRecords(file, hasRecord)
	communes, err := l.ds.TotalPopulation()
	if err != nil {
		l.add(Problem{File: l.communeFile, Msg: err.Error(),
			Fix: fmt.Sprintf("check the communes' population property: each must be at most %s", Thousands(MaxPopulation))})
		return
	}
	switch n := l.rejectedWithoutGeometry(); {
	case nOut > 0 && n > 0:
		l.add(Problem{Severity: Warning, File: file,
			Msg: fmt.Sprintf("%d population record(s) with %d people lie outside every commune that loaded; %d commune(s) with unusable boundaries were rejected above and they may lie in them", nOut, outside, n),
			Fix: "fix the rejected communes first; if this warning stays, clip the grid to the province or check the coordinates"})
	case nOut > 0:
		l.add(Problem{Severity: Warning, File: file,
			Msg: fmt.Sprintf("%d population record(s) with %d people lie outside every commune", nOut, outside),
			Fix: "clip the grid to the province, or check the coordinates"})
	}
	if len(l.rejectedCommunes) > 0 {
		return // the communes' total lacks the rejected ones: a comparison would mislead
	}
	switch {
	case communes == 0 && total > 0:
		// No percentage: it would divide by zero.
		l.add(Problem{Severity: Warning, File: file,
			Msg: fmt.Sprintf("the grid counts %d people, but every commune has population 0", total),
			Fix: "fill the communes' population property, or check that communes.population names the right property"})
	case communes > 0 && math.Abs(float64(total)-float64(communes)) > 0.05*float64(communes):
		l.add(Problem{Severity: Warning, File: file,
			Msg: fmt.Sprintf("the grid counts %d people, the communes %d (%+.1f%%)", total, communes, 100*(float64(total)-float64(communes))/float64(communes)),
			Fix: "check that both describe the same year and area; if the grid is meant only as weights (e.g. an older census), this is expected: every commune keeps its own total and the grid only shapes the spread inside it"})
	}
}

func (l *loader) populationCSV(file string, b []byte, countF string) ([]PopulationCell, bool) {
	t := l.readCSV(file, b)
	if t == nil {
		return nil, false
	}
	ps := l.spec.Population
	h3F, lonF, latF := field(ps.H3, "h3"), field(ps.Lon, "lon"), field(ps.Lat, "lat")
	useH3 := ps.H3 != "" || (t.col(h3F) >= 0 && ps.Lon == "" && ps.Lat == "")
	need := []string{countF}
	if useH3 {
		need = append(need, h3F)
	} else {
		need = append(need, lonF, latF)
	}
	for _, c := range need {
		if t.col(c) < 0 {
			l.add(Problem{File: file, Field: c, Msg: fmt.Sprintf("column %q is missing (header: %s)", c, t.header()),
				Fix: "add the column, or name the right one under population: in dataset.yaml (h3, lon, lat, count)"})
			return nil, false
		}
	}
	cc, hc, lonC, latC := t.col(countF), t.col(h3F), t.col(lonF), t.col(latF)
	cells := make([]PopulationCell, 0, len(t.rows))
	for _, row := range t.rows {
		bad := func(f, msg, fix string) {
			l.add(Problem{File: file, Record: row.Record, ID: t.cell(row, hc), Field: f, Msg: msg, Fix: fix})
		}
		n, msg := parseCount(t.cell(row, cc), MaxPopulation)
		if msg != "" {
			bad(countF, "population "+msg, countFix)
			continue
		}
		var c PopulationCell
		if useH3 {
			s := t.cell(row, hc)
			cell := h3.Cell(h3.IndexFromString(s))
			if s == "" || !cell.IsValid() {
				bad(h3F, fmt.Sprintf("%q is not a valid H3 cell index", s), "write the H3 index as 15 hex digits, e.g. 8865a1a64bfffff")
				continue
			}
			ll := cell.LatLng()
			c = PopulationCell{H3: cell.String(), Point: orb.Point{ll.Lng, ll.Lat}, Count: n}
		} else {
			lon, m1 := parseCoord(t.cell(row, lonC))
			lat, m2 := parseCoord(t.cell(row, latC))
			if m1 != "" {
				bad(lonF, "longitude "+m1, "write decimal degrees")
				continue
			}
			if m2 != "" {
				bad(latF, "latitude "+m2, "write decimal degrees")
				continue
			}
			p := orb.Point{lon, lat}
			if msg, fix := checkDegrees(orb.Bound{Min: p, Max: p}); msg != "" {
				bad(lonF, msg, fix)
				continue
			}
			c = PopulationCell{Point: p, Count: n}
		}
		cells = append(cells, c)
	}
	return cells, true
}

func (l *loader) populationGeoJSON(file string, b []byte, countF string) ([]PopulationCell, bool) {
	feats, probs := decodeFeatures(file, b)
	l.probs = append(l.probs, probs...)
	if feats == nil && len(probs) > 0 {
		return nil, false
	}
	cells := make([]PopulationCell, 0, len(feats))
	for i := range feats {
		f := &feats[i]
		bad := func(fl, msg, fix string) {
			l.add(Problem{File: file, Record: f.Record, ID: f.ID, Field: fl, Msg: msg, Fix: fix})
		}
		v, has := f.prop(countF)
		if !has {
			bad(countF, "population is missing", fmt.Sprintf("fill %q or set population.count; %s", countF, countFix))
			continue
		}
		n, msg := parseCount(v, MaxPopulation)
		if msg != "" {
			bad(countF, "population "+msg, countFix)
			continue
		}
		if !f.HasGeom {
			bad("geometry", "record has no geometry", "give every population record a Point geometry")
			continue
		}
		p, err := f.pointGeometry()
		if err != nil {
			bad("geometry", err.Error(), "population records must be Point features with [lon, lat]")
			continue
		}
		if msg, fix := checkDegrees(orb.Bound{Min: p, Max: p}); msg != "" {
			bad("geometry", msg, fix)
			continue
		}
		cells = append(cells, PopulationCell{Point: p, Count: n})
	}
	return cells, true
}

// warnCommunesWithoutRecords names the communes no population record falls
// in: the grid cannot shape their spread, so their residents are spread
// uniformly over them, which a planner should know for a large commune.
func (l *loader) warnCommunesWithoutRecords(file string, hasRecord []bool) {
	n, people := 0, int64(0)
	var list []string
	for i, has := range hasRecord {
		if has {
			continue
		}
		c := l.ds.Communes[i]
		n++
		people += c.Population // at most len(communes) × MaxPopulation: no overflow
		if len(list) < 5 {
			list = append(list, c.Code+" "+c.Name)
		}
	}
	if n == 0 {
		return
	}
	more := ""
	if n > len(list) {
		more = fmt.Sprintf(" and %d more", n-len(list))
	}
	l.add(Problem{Severity: Warning, File: file,
		Msg: fmt.Sprintf("%d commune(s) with %s people contain no population record, so their residents are spread uniformly over them: %s%s",
			n, Thousands(people), strings.Join(list, ", "), more),
		Fix: "add records inside these communes if residents are unevenly spread there"})
}
