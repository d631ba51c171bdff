package data

import (
	"fmt"
	"path"
	"slices"
	"sort"
	"strings"
)

// loadDistricts reads the districts file, or derives the districts from the
// communes' district codes (and names, when communes.district_name is set).
func (l *loader) loadDistricts() {
	if l.spec.Districts == nil {
		l.deriveDistricts()
		return
	}
	ds := l.spec.Districts
	file, b, ok := l.readFile("districts.file", ds.File)
	if !ok {
		return
	}
	idF, nameF := field(ds.ID, "code"), field(ds.Name, "name")
	type rec struct {
		n        int
		id, name string
	}
	var recs []rec
	if strings.EqualFold(path.Ext(file), ".csv") {
		t := l.readCSV(file, b)
		if t == nil {
			return
		}
		ic, nc := t.col(idF), t.col(nameF)
		if ic < 0 {
			l.add(Problem{File: file, Field: idF, Msg: fmt.Sprintf("column %q is missing (header: %s)", idF, t.header()),
				Fix: "add the column or set districts.id to the column holding the district code"})
			return
		}
		if nc < 0 && ds.Name != "" {
			l.add(Problem{File: file, Field: nameF, Msg: fmt.Sprintf("column %q is missing (header: %s)", nameF, t.header()),
				Fix: "add the column or correct districts.name"})
		}
		for _, r := range t.rows {
			recs = append(recs, rec{r.Record, t.cell(r, ic), t.cell(r, nc)})
		}
	} else {
		feats, probs := decodeFeatures(file, b)
		l.probs = append(l.probs, probs...)
		for i := range feats {
			id, _ := feats[i].prop(idF)
			name, _ := feats[i].prop(nameF)
			recs = append(recs, rec{feats[i].Record, id, name})
		}
	}
	known := map[string]int{}
	for _, r := range recs {
		switch {
		case r.id == "":
			l.add(Problem{File: file, Record: r.n, Field: idF, Msg: "district code is missing",
				Fix: fmt.Sprintf("fill %q or set districts.id", idF)})
			continue
		case known[r.id] > 0:
			l.add(Problem{File: file, Record: r.n, ID: r.id, Field: idF,
				Msg: fmt.Sprintf("duplicate district code %q (also record %d)", r.id, known[r.id]), Fix: "list each district once"})
			continue
		}
		known[r.id] = r.n
		name := r.name
		if name == "" {
			name = r.id
		}
		l.ds.Districts = append(l.ds.Districts, District{Code: r.id, Name: name})
	}
	sort.Slice(l.ds.Districts, func(i, j int) bool { return l.ds.Districts[i].Code < l.ds.Districts[j].Code })
	used := map[string]bool{}
	for i, c := range l.ds.Communes {
		used[c.District] = true
		if known[c.District] == 0 {
			l.add(Problem{File: l.communeFile, Record: l.communeRecords[i], ID: c.Code, Field: l.group.code,
				Msg: fmt.Sprintf("unknown %s %q: it is not in %s", l.group.level, c.District, file),
				Fix: "correct the commune's district code or add the district to " + file})
		}
	}
	for _, rc := range l.rejectedCommunes {
		used[rc.district] = true // its commune's error is reported already
	}
	if l.ds.Selection != "" {
		// The file lists the groups of the whole country; the selection
		// keeps those of its communes.
		l.ds.Districts = slices.DeleteFunc(l.ds.Districts, func(d District) bool { return !used[d.Code] })
	}
	for _, d := range l.ds.Districts {
		if !used[d.Code] && len(l.ds.Communes) > 0 {
			l.add(Problem{Severity: Warning, File: file, Record: known[d.Code], ID: d.Code,
				Msg: "district has no communes", Fix: "check the communes' district codes, or remove the district"})
		}
	}
}

func (l *loader) deriveDistricts() {
	names := map[string]string{}
	for i, c := range l.ds.Communes {
		dn := l.districtNames[i]
		prev, seen := names[c.District]
		switch {
		case !seen || prev == "":
			names[c.District] = dn
		case dn != "" && dn != prev:
			l.add(Problem{Severity: Warning, File: l.communeFile, Record: l.communeRecords[i], ID: c.Code,
				Field: l.group.name,
				Msg:   fmt.Sprintf("%s %s is named %q here but %q in an earlier record; using the first", l.group.level, c.District, dn, prev),
				Fix:   fmt.Sprintf("use one spelling per %s", l.group.level)})
		}
	}
	for _, code := range sortedKeys(names) {
		name := names[code]
		if name == "" {
			name = code
		}
		l.ds.Districts = append(l.ds.Districts, District{Code: code, Name: name})
	}
}
