package optimize

import (
	"fmt"
	"slices"
	"strings"

	"github.com/onestop/onestop/data"
)

// Scope says, as planners state it, which existing offices may close. An
// office may close when it is not locked and either is listed in Offices
// or matches every filter that is set (Districts, Communes, Kinds,
// Classes). Classes defaults to [urban]: rural and remote communes keep
// their office unless the scope names their class. Keep lists offices that
// stay whatever the filters say.
type Scope struct {
	Districts []string          `yaml:"districts,omitempty" json:"districts,omitempty"`
	Communes  []string          `yaml:"communes,omitempty" json:"communes,omitempty"`
	Kinds     []data.OfficeKind `yaml:"kinds,omitempty" json:"kinds,omitempty"`
	Classes   []data.AreaClass  `yaml:"classes,omitempty" json:"classes,omitempty"`
	Offices   []string          `yaml:"offices,omitempty" json:"offices,omitempty"`
	Keep      []string          `yaml:"keep,omitempty" json:"keep,omitempty"`
}

// String renders the scope in the flag syntax ParseScope reads.
func (s Scope) String() string {
	var parts []string
	add := func(k string, v []string) {
		if len(v) > 0 {
			parts = append(parts, k+"="+strings.Join(v, ","))
		}
	}
	add("districts", s.Districts)
	add("communes", s.Communes)
	add("kinds", strs(s.Kinds))
	add("classes", strs(s.Classes))
	add("offices", s.Offices)
	add("keep", s.Keep)
	return strings.Join(parts, ";")
}

func strs[T ~string](v []T) []string {
	out := make([]string, len(v))
	for k, x := range v {
		out[k] = string(x)
	}
	return out
}

// ParseScope reads the CLI syntax: "key=v1,v2;key=v3" with keys districts,
// communes, kinds, classes, offices and keep, e.g.
// "districts=718,719;classes=urban". The empty string is the default scope.
func ParseScope(flag string) (Scope, error) {
	var s Scope
	for _, part := range strings.Split(flag, ";") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		k, v, ok := strings.Cut(part, "=")
		k = strings.ToLower(strings.TrimSpace(k))
		if !ok {
			return s, fmt.Errorf("optimize: scope %q: %q has no '='; fix: write key=value,value;key=value (keys: districts (or provinces/groups), communes, kinds, classes, offices, keep)", flag, part)
		}
		var vals []string
		for _, x := range strings.Split(v, ",") {
			if x = strings.TrimSpace(x); x != "" {
				vals = append(vals, x)
			}
		}
		if len(vals) == 0 {
			return s, fmt.Errorf("optimize: scope %q: key %q has no values; fix: list at least one value or drop the key", flag, k)
		}
		switch k {
		case "districts", "district", "provinces", "province", "groups", "group":
			// A two-tier dataset groups its communes by province (or a named
			// field) in the place districts take in the pilot's data.
			s.Districts = append(s.Districts, vals...)
		case "communes", "commune", "wards":
			s.Communes = append(s.Communes, vals...)
		case "offices", "office":
			s.Offices = append(s.Offices, vals...)
		case "keep":
			s.Keep = append(s.Keep, vals...)
		case "kinds", "kind":
			for _, x := range vals {
				kd := data.OfficeKind(x)
				if !slices.Contains([]data.OfficeKind{data.ProvinceCenter, data.Branch, data.OneStop, data.InterWard, data.CommuneCenter, data.Reception}, kd) {
					return s, fmt.Errorf("optimize: scope %q: unknown office kind %q; fix: use province-center, branch, one-stop, inter-ward, commune-center or reception", flag, x)
				}
				s.Kinds = append(s.Kinds, kd)
			}
		case "classes", "class":
			for _, x := range vals {
				c := data.AreaClass(x)
				if c != data.Urban && c != data.Rural && c != data.Remote {
					return s, fmt.Errorf("optimize: scope %q: unknown area class %q; fix: use urban, rural or remote", flag, x)
				}
				s.Classes = append(s.Classes, c)
			}
		default:
			return s, fmt.Errorf("optimize: scope %q: unknown key %q; fix: use districts (provinces, groups), communes, kinds, classes, offices or keep", flag, k)
		}
	}
	return s, nil
}

// ApplyScope marks which existing candidates may close and returns how many
// may. It fails when the scope names a district, commune or office the
// dataset does not have, so a typo never silently shrinks the scope.
func ApplyScope(cands []Candidate, communes []data.Commune, s Scope) (int, error) {
	district := make(map[string]string, len(communes))
	districts := map[string]bool{}
	for _, c := range communes {
		district[c.Code] = c.District
		districts[c.District] = true
	}
	for _, d := range s.Districts {
		if !districts[d] {
			return 0, fmt.Errorf("optimize: scope names district %q, which no commune of the dataset belongs to; fix: use a district code of the dataset", d)
		}
	}
	for _, c := range s.Communes {
		if _, ok := district[c]; !ok {
			return 0, fmt.Errorf("optimize: scope names commune %q, which is not in the dataset; fix: use a commune code of the dataset", c)
		}
	}
	ids := map[string]bool{}
	for _, c := range cands {
		if c.Existing {
			ids[c.ID] = true
		}
	}
	for _, list := range [][]string{s.Offices, s.Keep} {
		for _, o := range list {
			if !ids[o] {
				return 0, fmt.Errorf("optimize: scope names office %q, which is not an existing office; fix: use an office id of the dataset", o)
			}
		}
	}
	classes := s.Classes
	if len(classes) == 0 {
		classes = []data.AreaClass{data.Urban}
	}
	filtered := len(s.Districts)+len(s.Communes)+len(s.Kinds)+len(s.Classes) > 0 || len(s.Offices) == 0
	n := 0
	for k := range cands {
		c := &cands[k]
		c.Closable = false
		if !c.Existing || c.Locked || slices.Contains(s.Keep, c.ID) {
			continue
		}
		ok := slices.Contains(s.Offices, c.ID)
		if !ok && filtered {
			ok = (len(s.Districts) == 0 || slices.Contains(s.Districts, district[c.Commune])) &&
				(len(s.Communes) == 0 || slices.Contains(s.Communes, c.Commune)) &&
				(len(s.Kinds) == 0 || slices.Contains(s.Kinds, c.Kind)) &&
				slices.Contains(classes, c.Class)
		}
		if ok {
			c.Closable = true
			n++
		}
	}
	return n, nil
}
