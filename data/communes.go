package data

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
)

// field returns the configured property name or its default.
func field(configured, def string) string {
	if configured != "" {
		return configured
	}
	return def
}

// communeFields are the property names of the communes file after defaults.
type communeFields struct {
	id, name, population, kind string
}

func (l *loader) communeFields() communeFields {
	c := l.spec.Communes
	return communeFields{
		id:         field(c.ID, "code"),
		name:       field(c.Name, "name"),
		population: field(c.Population, "population"),
		kind:       field(c.Kind, "kind"),
	}
}

// grouping says which property groups the communes and what the groups are.
type grouping struct {
	level GroupLevel
	code  string // property holding the group code; "" for one group named after the dataset
	name  string // property holding the group name; "" when the name is the code
	key   string // the dataset.yaml key that chose code, for messages
}

// chooseGrouping picks the grouping level. An explicit key wins; otherwise
// a file whose communes carry the default "district" property is a
// pre-2025 dataset, and one without it is two-tier: its communes form one
// province, named after the dataset.
func (l *loader) chooseGrouping(feats []rawFeature) grouping {
	c := l.spec.Communes
	switch {
	case c.District != "":
		return grouping{level: GroupDistrict, code: c.District, name: c.DistrictName, key: "communes.district"}
	case c.Province != "":
		return grouping{level: GroupProvince, code: c.Province, name: c.ProvinceName, key: "communes.province"}
	case c.Group != "":
		return grouping{level: GroupLevel(field(c.GroupLevel, c.Group)), code: c.Group, name: c.GroupName, key: "communes.group"}
	}
	for i := range feats {
		if v, _ := feats[i].prop("district"); v != "" {
			return grouping{level: GroupDistrict, code: "district", name: c.DistrictName, key: "communes.district"}
		}
	}
	return grouping{level: GroupProvince, name: c.DistrictName}
}

// groupOf reads a commune's group code and name; msg is set when the
// grouping property is empty.
func (l *loader) groupOf(f *rawFeature) (code, name, msg, fix string) {
	g := l.group
	if g.code == "" {
		return l.ds.Name, l.ds.Name, "", ""
	}
	code, has := f.prop(g.code)
	if !has || code == "" {
		return "", "", fmt.Sprintf("%s code is missing", g.level), fmt.Sprintf("fill the %q property or set %s", g.code, g.key)
	}
	if g.name != "" {
		name, _ = f.prop(g.name)
	}
	return code, name, "", ""
}

// selectFeatures applies communes.select: it keeps the matching features
// and remembers the codes and names of the others, so that offices, lists
// and grid records referring to them are clipped rather than called unknown.
func (l *loader) selectFeatures(feats []rawFeature, idProp, nameProp string) []rawFeature {
	sel := l.spec.Communes.Select
	if len(sel) == 0 {
		return feats
	}
	keys := sortedKeys(sel)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s in [%s]", k, strings.Join(sel[k], ", "))
	}
	l.ds.Selection = strings.Join(parts, " and ")
	l.ds.SelectedFrom = len(feats)
	kept := feats[:0:0]
	for i := range feats {
		f := &feats[i]
		if matchesSelect(f, keys, sel) {
			kept = append(kept, *f)
			continue
		}
		for _, p := range []string{idProp, nameProp} {
			if v, _ := f.prop(p); v != "" {
				l.unselected[v] = true
			}
		}
	}
	if len(kept) == 0 && len(feats) > 0 {
		l.add(Problem{File: l.yamlName, Field: "communes.select",
			Msg: fmt.Sprintf("communes.select (%s) keeps none of the %d communes", l.ds.Selection, len(feats)),
			Fix: "values are compared as text, exactly as the file writes them (" + selectExamples(feats, keys[0]) + ")"})
	}
	return kept
}

// matchesSelect tells whether every selected property of f has one of its
// listed values. The property is compared as the text the file writes: the
// string "01" and the number 1 are different values.
func matchesSelect(f *rawFeature, keys []string, sel map[string][]string) bool {
	for _, k := range keys {
		v, has := f.prop(k)
		if !has || !slices.Contains(sel[k], v) {
			return false
		}
	}
	return true
}

// selectExamples lists a few values of prop found in the file, to show the
// spelling a select must use.
func selectExamples(feats []rawFeature, prop string) string {
	var seen []string
	for i := range feats {
		v, has := feats[i].prop(prop)
		if !has {
			continue
		}
		if _, isNum := feats[i].Properties[prop].(json.Number); isNum {
			v += " (a number)"
		} else {
			v = strconv.Quote(v)
		}
		if !slices.Contains(seen, v) {
			seen = append(seen, v)
			if len(seen) == 5 {
				break
			}
		}
	}
	if len(seen) == 0 {
		return fmt.Sprintf("no commune has a property %q", prop)
	}
	return fmt.Sprintf("%s values in the file: %s", prop, strings.Join(seen, ", "))
}

// loadCommunes reads the communes GeoJSON. Every feature is checked fully
// (all problems, not the first) and only sound features are kept.
func (l *loader) loadCommunes() {
	file, b, ok := l.readFile("communes.file", l.spec.Communes.File)
	l.communeFile = file
	if !ok {
		return
	}
	feats, probs := decodeFeatures(file, b)
	l.probs = append(l.probs, probs...)
	fl := l.communeFields()
	feats = l.selectFeatures(feats, fl.id, fl.name)
	l.group = l.chooseGrouping(feats)
	l.ds.GroupLevel = l.group.level
	seen := map[string]int{}
	for i := range feats {
		f := &feats[i]
		rec := f.Record
		id, _ := f.prop(fl.id)
		bad := func(fieldName, msg, fix string) {
			l.add(Problem{File: file, Record: rec, ID: id, Field: fieldName, Msg: msg, Fix: fix})
		}
		ok := true
		if id == "" {
			bad(fl.id, "commune code is missing", fmt.Sprintf("give every feature a %q property, or point communes.id at the property that holds the code", fl.id))
			ok = false
		} else if first, dup := seen[id]; dup {
			bad(fl.id, fmt.Sprintf("duplicate commune code %q (also record %d)", id, first),
				"each commune must appear once; merge the parts into one MultiPolygon feature or correct the code")
			ok = false
		} else {
			seen[id] = rec
		}
		name, has := f.prop(fl.name)
		if !has || name == "" {
			bad(fl.name, "commune name is missing", fmt.Sprintf("fill the %q property or set communes.name", fl.name))
			ok = false
		}
		district, dn, gmsg, gfix := l.groupOf(f)
		if gmsg != "" {
			bad(l.group.code, gmsg, gfix)
			ok = false
		}
		var pop int64
		popProp := fl.population
		if _, has := f.prop(popProp); !has && l.spec.Communes.PopulationFallback != "" {
			popProp = l.spec.Communes.PopulationFallback
		}
		if v, has := f.prop(popProp); !has {
			bad(fl.population, "population is missing", fmt.Sprintf("fill the %q property or set communes.population; %s", fl.population, countFix))
			ok = false
		} else if n, msg := parseCount(v, MaxPopulation); msg != "" {
			bad(popProp, "population "+msg, countFix)
			ok = false
		} else {
			pop = n
		}
		if ok && popProp != fl.population {
			l.fallbacks = append(l.fallbacks, fallbackUse{code: id, name: name, pop: pop})
		}
		kind, kmsg := l.communeKind(f, fl.kind)
		if kmsg != "" {
			bad(fl.kind, kmsg, communeKindFix(l.spec.Communes.Kinds))
			ok = false
		}
		mp, bound, geomOK := l.communeGeometry(f, bad)
		ok = ok && geomOK
		if !ok {
			if id != "" {
				l.rejected[id] = true
			}
			rc := rejectedCommune{code: id, name: name, district: district, record: rec}
			if mp != nil && containsSafe(mp) {
				rc.geom, rc.bound = mp, bound
			}
			l.rejectedCommunes = append(l.rejectedCommunes, rc)
			continue
		}
		l.ds.Communes = append(l.ds.Communes, Commune{
			Code: id, Name: name, Kind: kind, District: district,
			Population: pop, Geometry: mp, Bound: bound,
		})
		l.communeProps = append(l.communeProps, f.Properties)
		l.communeRecords = append(l.communeRecords, rec)
		l.districtNames = append(l.districtNames, dn)
	}
	l.warnFallbacks(file, fl.population)
	if len(feats) == 0 && len(probs) == 0 && l.ds.SelectedFrom == 0 {
		l.add(Problem{File: file, Msg: "the communes file has no features", Fix: "export the commune polygons into this file"})
	}
	// With no residents every share and mean is 0/0: nothing to plan.
	if len(l.ds.Communes) > 0 && len(l.rejectedCommunes) == 0 {
		if total, err := l.ds.TotalPopulation(); err == nil && total == 0 {
			l.add(Problem{File: file, Field: fl.population,
				Msg: fmt.Sprintf("every one of the %d communes has population 0: there are no residents to cover", len(l.ds.Communes)),
				Fix: fmt.Sprintf("check that communes.population in the dataset.yaml names the property holding the residents (now %q)", fl.population)})
		}
	}
}

// fallbackUse is a commune whose population came from
// communes.population_fallback.
type fallbackUse struct {
	code, name string
	pop        int64
}

// warnFallbacks says, in one warning, which communes carry an estimated
// population: plans rest on these numbers, so the planner must see them.
func (l *loader) warnFallbacks(file, prop string) {
	if len(l.fallbacks) == 0 {
		return
	}
	var total int64
	list := make([]string, 0, 5)
	for i, f := range l.fallbacks {
		total += f.pop // at most a few thousand communes of at most MaxPopulation each
		if i < 5 {
			list = append(list, f.code+" "+f.name)
		}
	}
	more := ""
	if n := len(l.fallbacks) - len(list); n > 0 {
		more = fmt.Sprintf(" and %d more", n)
	}
	l.add(Problem{Severity: Warning, File: file, Field: prop,
		Msg: fmt.Sprintf("%d commune(s) have no %q; their population (%s people) is read from %q instead: %s%s",
			len(l.fallbacks), prop, Thousands(total), l.spec.Communes.PopulationFallback, strings.Join(list, ", "), more),
		Fix: "replace the estimates with official figures when they are published"})
}

// communeKind maps the kind property: an exact match in communes.kinds, or
// one of the canonical names.
func (l *loader) communeKind(f *rawFeature, prop string) (CommuneKind, string) {
	v, has := f.prop(prop)
	if !has || v == "" {
		return "", "commune kind is missing"
	}
	if k, ok := l.spec.Communes.Kinds[v]; ok {
		return CommuneKind(k), ""
	}
	if slices.Contains(communeKindNames(), v) {
		return CommuneKind(v), ""
	}
	return "", fmt.Sprintf("unknown commune kind %q", v)
}

func communeKindFix(m map[string]string) string {
	acc := communeKindNames()
	for _, k := range sortedKeys(m) {
		acc = append(acc, fmt.Sprintf("%q", k))
	}
	return "accepted values: " + strings.Join(acc, ", ") + "; map other values under communes.kinds in dataset.yaml"
}

// communeGeometry decodes and checks a commune's boundary.
func (l *loader) communeGeometry(f *rawFeature, bad func(field, msg, fix string)) (orb.MultiPolygon, orb.Bound, bool) {
	if !f.HasGeom {
		bad("geometry", "feature has no geometry", "draw the commune boundary or delete the feature")
		return nil, orb.Bound{}, false
	}
	mp, err := f.areaGeometry()
	if err != nil {
		bad("geometry", err.Error(), "communes must be Polygon or MultiPolygon features with [lon, lat] positions")
		return nil, orb.Bound{}, false
	}
	bound := mp.Bound()
	if msg, fix := checkDegrees(bound); msg != "" {
		bad("geometry", msg, fix)
		return nil, orb.Bound{}, false
	}
	ok := true
	for _, is := range checkArea(mp) {
		bad("geometry", is.msg, is.fix)
		ok = false
	}
	return mp, bound, ok
}

// rejectedCommune remembers a commune dropped for an error, so that the
// files checked after it (offices, population, districts, area classes) do
// not blame their own records for its absence.
type rejectedCommune struct {
	code, name, district string
	record               int
	// geom is nil when the boundary itself was unusable; bound is its extent.
	geom  orb.MultiPolygon
	bound orb.Bound
}

// containsSafe tells whether planar containment tests can run on mp: orb's
// indexes the first ring of every polygon and walks ring edges, so an empty
// polygon or a ring of fewer than 4 positions would panic or mislead.
func containsSafe(mp orb.MultiPolygon) bool {
	if len(mp) == 0 {
		return false
	}
	for _, p := range mp {
		if len(p) == 0 {
			return false
		}
		for _, r := range p {
			if len(r) < 4 {
				return false
			}
		}
	}
	return true
}

// inRejectedCommune returns the rejected commune whose (usable) boundary
// contains p, or nil.
func (l *loader) inRejectedCommune(p orb.Point) *rejectedCommune {
	for i := range l.rejectedCommunes {
		rc := &l.rejectedCommunes[i]
		if rc.geom != nil && rc.bound.Contains(p) && planar.MultiPolygonContains(rc.geom, p) {
			return rc
		}
	}
	return nil
}

// rejectedWithoutGeometry counts rejected communes whose boundary could not
// be used: a point outside every commune may lie in one of them.
func (l *loader) rejectedWithoutGeometry() int {
	n := 0
	for _, rc := range l.rejectedCommunes {
		if rc.geom == nil {
			n++
		}
	}
	return n
}
