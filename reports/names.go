package reports

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/onestop/onestop/data/earth"
	"github.com/paulmach/orb"
)

// fillMergeStats gives every merge without numbers the residents whose
// nearest office was the closed one, and their travel after the merge, from
// the cells. The report words each reason from these numbers in its own
// language, so it never shows an engine's English sentence to a Vietnamese
// reader.
func (r *Run) fillMergeStats() {
	pos := make(map[string]orb.Point, len(r.Offices))
	for _, o := range r.Offices {
		pos[o.ID] = orb.Point{o.Lon, o.Lat}
	}
	// One pass over the cells for every merge: a cell feeds the merges of
	// the office it used before.
	byFrom := map[string][]int{}
	for i, m := range r.Merges {
		if m.Residents == 0 {
			byFrom[m.From] = append(byFrom[m.From], i)
		}
	}
	if len(byFrom) == 0 {
		return
	}
	minSum := make([]float64, len(r.Merges))
	for _, c := range r.Cells {
		if c.Population <= 0 {
			continue
		}
		for _, i := range byFrom[c.OfficeBefore] {
			m := &r.Merges[i]
			m.Residents += c.Population
			minSum[i] += float64(c.Population) * c.MinutesAfter
			m.MaxMinutes = math.Max(m.MaxMinutes, c.MinutesAfter)
			if p, ok := pos[c.OfficeAfter]; ok {
				m.MaxKm = math.Max(m.MaxKm, earth.DistanceKm(orb.Point{c.Lon, c.Lat}, p))
			}
			if c.CoveredBefore && !c.CoveredAfter {
				m.OutsideRule += c.Population
			}
		}
	}
	for _, is := range byFrom {
		for _, i := range is {
			if m := &r.Merges[i]; m.Residents > 0 {
				m.MeanMinutes = minSum[i] / float64(m.Residents)
			}
		}
	}
}

// fillServes lists, for each new office without Serves, the communes of the
// cells whose nearest office it is after the scenario, most residents first.
func (r *Run) fillServes() {
	want := map[string]map[string]int64{}
	for _, o := range r.Offices {
		if o.Status == New && len(o.Serves) == 0 {
			want[o.ID] = map[string]int64{}
		}
	}
	if len(want) == 0 {
		return
	}
	for _, c := range r.Cells {
		if byCommune, ok := want[c.OfficeAfter]; ok && c.Commune != "" {
			byCommune[c.Commune] += c.Population
		}
	}
	for i := range r.Offices {
		byCommune, ok := want[r.Offices[i].ID]
		if !ok {
			continue
		}
		codes := make([]string, 0, len(byCommune))
		for code := range byCommune {
			codes = append(codes, code)
		}
		slices.SortFunc(codes, func(a, b string) int { return cmp.Or(cmp.Compare(byCommune[b], byCommune[a]), cmp.Compare(a, b)) })
		r.Offices[i].Serves = codes
	}
}

// placeholderPrefix is how the optimizer names the grid points it opens
// ("grid point 8865b1d4b5fffff"); runs written before NameGenerated existed
// are recognised by it.
const placeholderPrefix = "grid point "

// hasPlaceholderName reports whether an office's name is no name a person
// can say: empty, its id, or the optimizer's grid-point placeholder.
func hasPlaceholderName(o OfficeRow) bool {
	n := strings.TrimSpace(o.Name)
	return o.NameGenerated || n == "" || n == o.ID || strings.HasPrefix(n, placeholderPrefix)
}

// communeKindPrefixes are the unit words Vietnamese commune names start with;
// a new point's name lists the communes without them ("Tân Đông Hiệp – Dĩ An").
var communeKindPrefixes = []string{"Phường ", "Xã ", "Thị trấn ", "Đặc khu "}

// shortCommuneName drops the unit word from a commune name.
func shortCommuneName(name string) string {
	for _, p := range communeKindPrefixes {
		if rest, ok := strings.CutPrefix(name, p); ok && rest != "" {
			return rest
		}
	}
	return name
}

// newPointName names a new point after the (at most two) communes it serves
// most: "Điểm tiếp nhận liên phường Tân Đông Hiệp – Dĩ An". It returns ""
// when the point serves no known commune.
func newPointName(serves []string, communes map[string]string, lb *labels) string {
	var parts []string
	wards, all := false, true
	for _, code := range serves {
		name, ok := communes[code]
		if !ok || strings.TrimSpace(name) == "" {
			continue
		}
		wards = wards || strings.HasPrefix(name, "Phường ")
		all = all && strings.HasPrefix(name, "Xã ")
		parts = append(parts, shortCommuneName(name))
		if len(parts) == 2 {
			break
		}
	}
	if len(parts) == 0 {
		return ""
	}
	format := lb.NewPointPlain
	switch {
	case wards:
		format = lb.NewPointWards
	case all:
		format = lb.NewPointCommunes
	}
	return fmt.Sprintf(format, strings.Join(parts, " – "))
}

// localized returns the run as the report shows it: new points with
// placeholder names named after the communes they serve (numbered when two
// would read the same), and the dossier engine's load flags in the report's
// language. Ids are untouched, so the exports and the joins keep them.
func (r Run) localized(lb *labels) Run {
	communes := make(map[string]string, len(r.Communes))
	for _, c := range r.Communes {
		communes[c.Code] = c.Name
	}
	offices := slices.Clone(r.Offices)
	used := map[string]int{}
	for _, o := range offices {
		used[o.Name]++
	}
	for i := range offices {
		o := &offices[i]
		o.Flag = lb.flagName(o.Flag)
		if o.Status != New || !hasPlaceholderName(*o) {
			continue
		}
		name := newPointName(o.Serves, communes, lb)
		if name == "" {
			name = fmt.Sprintf(lb.NewPointPlain, o.ID)
		}
		if used[name] > 0 {
			base := name
			for k := 2; used[name] > 0; k++ {
				name = fmt.Sprintf("%s (%d)", base, k)
			}
		}
		used[name]++
		o.Name = name
	}
	r.Offices = offices
	return r
}

// mergeReason words why a merge is proposed, in the report's language, from
// its numbers; a free-text reason in the same language follows it.
func mergeReason(m Merge, offices map[string]OfficeRow, lang Lang, nf numberFormat, lb *labels) string {
	from, to := offices[m.From], offices[m.To]
	toName := to.Name
	if toName == "" {
		toName = m.To
	}
	var parts []string
	if m.Residents > 0 {
		parts = append(parts, fmt.Sprintf(lb.ReasonReach, nf.Int(m.Residents), toName,
			nf.Float(m.MaxMinutes, 1), nf.Float(m.MeanMinutes, 1), nf.Float(m.MaxKm, 1)))
		if m.OutsideRule > 0 {
			parts = append(parts, fmt.Sprintf(lb.ReasonRuleLost, nf.Int(m.OutsideRule)))
		} else {
			parts = append(parts, lb.ReasonRuleKept)
		}
	} else {
		parts = append(parts, fmt.Sprintf(lb.ReasonFallback, toName))
	}
	if from.Commune != "" && from.Commune == to.Commune {
		parts = append(parts, lb.ReasonSameCommune)
	}
	// The norm is a minimum productivity, not a capacity: the reason states
	// dossiers per staff member against it, never "within/above capacity".
	if to.StaffAfter > 0 && to.Norm > 0 && to.Dossiers > 0 {
		perStaff := to.Dossiers / float64(to.StaffAfter)
		parts = append(parts, fmt.Sprintf(lb.ReasonLoad, toName, nf.Float(to.Dossiers, 0), to.StaffAfter,
			nf.Float(perStaff, 0), nf.Pct(perStaff/to.Norm), nf.Float(to.Norm, 0)))
	}
	if strings.TrimSpace(m.Reason) != "" && m.ReasonLang == langOrDefault(lang) {
		parts = append(parts, m.Reason)
	}
	return strings.Join(parts, " ")
}

// langOrDefault resolves the empty language to Vietnamese, as labels does.
func langOrDefault(l Lang) Lang {
	if l == "" {
		return Vietnamese
	}
	return l
}
