package data

import (
	"fmt"
	"slices"
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
	id, name, district, districtName, population, kind string
}

func (l *loader) communeFields() communeFields {
	c := l.spec.Communes
	return communeFields{
		id:           field(c.ID, "code"),
		name:         field(c.Name, "name"),
		district:     field(c.District, "district"),
		districtName: c.DistrictName,
		population:   field(c.Population, "population"),
		kind:         field(c.Kind, "kind"),
	}
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
		district, has := f.prop(fl.district)
		if !has || district == "" {
			bad(fl.district, "district code is missing", fmt.Sprintf("fill the %q property or set communes.district", fl.district))
			ok = false
		}
		var pop int64
		if v, has := f.prop(fl.population); !has {
			bad(fl.population, "population is missing", fmt.Sprintf("fill the %q property or set communes.population; %s", fl.population, countFix))
			ok = false
		} else if n, msg := parseCount(v, MaxPopulation); msg != "" {
			bad(fl.population, "population "+msg, countFix)
			ok = false
		} else {
			pop = n
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
		dn := ""
		if fl.districtName != "" {
			dn, _ = f.prop(fl.districtName)
		}
		l.ds.Communes = append(l.ds.Communes, Commune{
			Code: id, Name: name, Kind: kind, District: district,
			Population: pop, Geometry: mp, Bound: bound,
		})
		l.communeProps = append(l.communeProps, f.Properties)
		l.communeRecords = append(l.communeRecords, rec)
		l.districtNames = append(l.districtNames, dn)
	}
	if len(feats) == 0 && len(probs) == 0 {
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
