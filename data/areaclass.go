package data

import (
	"fmt"
	"slices"
	"strings"
)

// defaultClassByKind follows the norms' wording: wards and townships are
// urban, communes rural. Remote communes are otherwise named explicitly, but
// an island special zone (đặc khu) is remote by what it is.
func defaultClassByKind() map[CommuneKind]AreaClass {
	return map[CommuneKind]AreaClass{KindWard: Urban, KindTown: Urban, KindCommune: Rural, KindSpecialZone: Remote}
}

// assignAreaClasses sets Commune.Class from the area_class field, else from
// by_kind, then applies the explicit urban/rural/remote lists, which win.
func (l *loader) assignAreaClasses() {
	spec := l.spec.AreaClass
	if spec == nil {
		spec = &AreaClassSpec{}
	}
	byKind := defaultClassByKind()
	for k, v := range spec.ByKind {
		byKind[CommuneKind(k)] = AreaClass(v)
	}
	for i := range l.ds.Communes {
		c := &l.ds.Communes[i]
		if spec.Field != "" {
			v := strings.ToLower(propString(l.communeProps[i][spec.Field]))
			if !slices.Contains(areaClassNames(), v) {
				msg := fmt.Sprintf("unknown area class %q", v)
				if v == "" {
					msg = "area class is missing"
				}
				l.add(Problem{File: l.communeFile, Record: l.communeRecords[i], ID: c.Code, Field: spec.Field, Msg: msg,
					Fix: "use one of: " + strings.Join(areaClassNames(), ", ") + " (or drop area_class.field to classify by kind)"})
				continue
			}
			c.Class = AreaClass(v)
			continue
		}
		c.Class = byKind[c.Kind]
	}
	// Lists by code or name; a name shared by several communes is ambiguous.
	byKey := map[string][]int{}
	for i, c := range l.ds.Communes {
		byKey[c.Code] = append(byKey[c.Code], i)
		if c.Name != c.Code {
			byKey[c.Name] = append(byKey[c.Name], i)
		}
	}
	listedIn := map[int]string{}
	for _, lst := range []struct {
		key   string
		class AreaClass
		items []string
	}{{"area_class.urban", Urban, spec.Urban}, {"area_class.rural", Rural, spec.Rural}, {"area_class.remote", Remote, spec.Remote}} {
		for _, item := range lst.items {
			idx := byKey[item]
			switch {
			case len(l.ds.Communes) == 0:
				return
			case len(idx) == 0 && (l.rejected[item] || l.rejectedName(item) || l.unselected[item]):
				continue
			case len(idx) == 0:
				l.add(Problem{File: l.yamlName, Field: lst.key, ID: item, Msg: fmt.Sprintf("%q is not the code or name of any commune", item),
					Fix: "use a commune code from the communes file (names must match exactly)"})
				continue
			case len(idx) > 1:
				l.add(Problem{File: l.yamlName, Field: lst.key, ID: item, Msg: fmt.Sprintf("name %q matches %d communes", item, len(idx)),
					Fix: "list the commune by its code instead"})
				continue
			}
			i := idx[0]
			if prev, dup := listedIn[i]; dup && prev != lst.key {
				l.add(Problem{File: l.yamlName, Field: lst.key, ID: item,
					Msg: fmt.Sprintf("commune %s is listed in both %s and %s", l.ds.Communes[i].Code, prev, lst.key),
					Fix: "keep the commune in one list"})
				continue
			}
			listedIn[i] = lst.key
			l.ds.Communes[i].Class = lst.class
		}
	}
}

// rejectedName tells whether a commune rejected above bore this name.
func (l *loader) rejectedName(name string) bool {
	for _, rc := range l.rejectedCommunes {
		if rc.name != "" && rc.name == name {
			return true
		}
	}
	return false
}
