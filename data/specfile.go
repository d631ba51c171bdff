package data

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// yamlLine finds the line yaml.v3 gives in a message; yamlSyntaxLine is the
// "line N: " prefix of its syntax errors (after "yaml: ").
var (
	yamlLine       = regexp.MustCompile(`line (\d+)`)
	yamlSyntaxLine = regexp.MustCompile(`^line \d+: `)
)

// parseSpec decodes dataset.yaml strictly: unknown keys are errors because a
// misspelt key would otherwise silently fall back to a default.
func (l *loader) parseSpec(raw []byte) bool {
	raw, p, ok := checkText(l.yamlName, raw)
	if !ok {
		l.add(p)
		return false
	}
	err := decodeSpec(raw, &l.spec)
	if errors.Is(err, io.EOF) {
		l.add(Problem{File: l.yamlName, Msg: "dataset.yaml is empty",
			Fix: "add at least a communes: section (see docs/dataset.md)"})
		return false
	}
	if err != nil {
		var te *yaml.TypeError
		if errors.As(err, &te) {
			for _, m := range te.Errors {
				l.add(yamlProblem(l.yamlName, m))
			}
		} else {
			p := yamlProblem(l.yamlName, err.Error())
			if n := syntaxErrorLine(raw, err); n > 0 {
				p.Record = n
				p.Msg = fmt.Sprintf("line %d: %s", n, yamlSyntaxLine.ReplaceAllString(p.Msg, ""))
			}
			l.add(p)
		}
		return false
	}
	start := len(l.probs)
	l.checkSpec()
	return len(l.probs) == start
}

// decodeSpec runs the strict decoder. yaml.v3 has panicked on hostile input
// before; a panic here would crash the CLI on a user's file, so it becomes
// an error like any other syntax fault.
func decodeSpec(raw []byte, spec *Spec) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("yaml: the YAML parser failed on this file (%v)", r)
		}
	}()
	dec := yaml.NewDecoder(bytes.NewReader(raw))
	dec.KnownFields(true)
	return dec.Decode(spec)
}

// maxLineSearch bounds syntaxErrorLine's quadratic search; a dataset.yaml is
// a few dozen lines, so only a runaway file keeps yaml.v3's own line.
const maxLineSearch = 2000

// syntaxErrorLine finds the line of a YAML syntax error. yaml.v3 reports
// the start of the enclosing construct, and for parser errors as a 0-based
// number, so "file: [a" on line 2 is reported on line 1. The first line
// whose prefix of the file fails with the same message is where the fault
// is (an unclosed bracket: the line that opens it). 0 when not found.
func syntaxErrorLine(raw []byte, full error) int {
	want := yamlLine.ReplaceAllString(full.Error(), "")
	lines := bytes.SplitAfter(raw, []byte("\n"))
	// One parse per line: only for files the size a dataset.yaml has.
	if len(lines) > maxLineSearch || len(raw) > 1<<20 {
		return 0
	}
	var spec Spec
	end := 0
	for k := 1; k <= len(lines); k++ {
		end += len(lines[k-1])
		spec = Spec{}
		err := decodeSpec(raw[:end], &spec)
		if err != nil && yamlLine.ReplaceAllString(err.Error(), "") == want {
			return k
		}
	}
	return 0
}

func yamlProblem(file, msg string) Problem {
	p := Problem{File: file, Msg: strings.TrimPrefix(msg, "yaml: "),
		Fix: "fix the YAML syntax or key name; accepted keys are listed in docs/dataset.md"}
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		p.Record, _ = strconv.Atoi(m[1])
	}
	if strings.Contains(msg, "not found in type") {
		p.Msg = "unknown key: " + p.Msg
	}
	return p
}

// The accepted canonical values, in the order messages list them.
func communeKindNames() []string {
	return []string{string(KindWard), string(KindCommune), string(KindTown), string(KindSpecialZone)}
}

func officeKindNames() []string {
	return []string{string(ProvinceCenter), string(Branch), string(OneStop), string(InterWard), string(CommuneCenter), string(Reception)}
}

func areaClassNames() []string { return []string{string(Urban), string(Rural), string(Remote)} }

// checkSpec validates values the YAML decoder cannot: required files and the
// targets of the kinds/by_kind maps.
func (l *loader) checkSpec() {
	s := &l.spec
	need := func(key, v string) {
		if strings.TrimSpace(v) == "" {
			l.add(Problem{File: l.yamlName, Field: key, Msg: key + " is required",
				Fix: "set " + key + " to the path of the file, relative to dataset.yaml"})
		}
	}
	need("communes.file", s.Communes.File)
	checkMap := func(key string, m map[string]string, accepted []string) {
		for _, k := range sortedKeys(m) {
			if !slices.Contains(accepted, m[k]) {
				l.add(Problem{File: l.yamlName, Field: key,
					Msg: fmt.Sprintf("%s maps %q to unknown value %q", key, k, m[k]),
					Fix: "use one of: " + strings.Join(accepted, ", ")})
			}
		}
	}
	checkMap("communes.kinds", s.Communes.Kinds, communeKindNames())
	l.checkGroupingSpec()
	l.checkSelectSpec()
	if s.Districts != nil {
		need("districts.file", s.Districts.File)
	}
	if s.Offices != nil {
		need("offices.file", s.Offices.File)
		checkMap("offices.kinds", s.Offices.Kinds, officeKindNames())
		l.checkFixedKind()
	}
	if s.Population != nil {
		need("population.file", s.Population.File)
	}
	if s.Roads != nil {
		need("roads.file", s.Roads.File)
		if p := s.Roads.Profile; p != "" && p != "motorbike" && p != "car" {
			l.add(Problem{File: l.yamlName, Field: "roads.profile", Msg: fmt.Sprintf("unknown profile %q", p),
				Fix: "use motorbike or car"})
		}
	}
	if s.Dossiers != nil {
		need("dossiers.file", s.Dossiers.File)
	}
	if a := s.AreaClass; a != nil {
		for _, k := range sortedKeys(a.ByKind) {
			if !slices.Contains(communeKindNames(), k) {
				l.add(Problem{File: l.yamlName, Field: "area_class.by_kind",
					Msg: fmt.Sprintf("unknown commune kind %q", k), Fix: "use keys: " + strings.Join(communeKindNames(), ", ")})
			}
		}
		checkMap("area_class.by_kind", a.ByKind, areaClassNames())
	}
}

// checkGroupingSpec refuses two groupings at once: a commune has one group,
// and silently preferring one key would hide a mistake.
func (l *loader) checkGroupingSpec() {
	c := l.spec.Communes
	set := []string{}
	for _, k := range []struct{ key, v string }{
		{"communes.district", c.District}, {"communes.province", c.Province}, {"communes.group", c.Group},
	} {
		if k.v != "" {
			set = append(set, k.key)
		}
	}
	if len(set) > 1 {
		l.add(Problem{File: l.yamlName, Field: set[1],
			Msg: fmt.Sprintf("%s are both set: communes are grouped at one level only", strings.Join(set, " and ")),
			Fix: "keep communes.district for districts, communes.province for a two-tier province, or communes.group for another grouping"})
	}
	for _, k := range []struct{ key, v, needs, needsV string }{
		{"communes.group_name", c.GroupName, "communes.group", c.Group},
		{"communes.group_level", c.GroupLevel, "communes.group", c.Group},
		{"communes.province_name", c.ProvinceName, "communes.province", c.Province},
	} {
		if k.v != "" && k.needsV == "" {
			l.add(Problem{File: l.yamlName, Field: k.key, Msg: k.key + " is set without " + k.needs,
				Fix: "set " + k.needs + " to the property holding the group's code, or remove " + k.key})
		}
	}
}

// checkSelectSpec refuses a select entry with no values: it would keep no
// commune, which is never what was meant.
func (l *loader) checkSelectSpec() {
	for _, k := range sortedKeys(l.spec.Communes.Select) {
		if len(l.spec.Communes.Select[k]) == 0 {
			l.add(Problem{File: l.yamlName, Field: "communes.select",
				Msg: fmt.Sprintf("communes.select.%s lists no values", k),
				Fix: fmt.Sprintf(`list the values to keep, e.g. %s: ["79"], or remove the entry`, k)})
		}
	}
}

// checkFixedKind checks offices.fixed_kind: a canonical kind, and not mixed
// with a kind column, whose values it would silently override.
func (l *loader) checkFixedKind() {
	o := l.spec.Offices
	if o.FixedKind == "" {
		return
	}
	if !slices.Contains(officeKindNames(), o.FixedKind) {
		l.add(Problem{File: l.yamlName, Field: "offices.fixed_kind", Msg: fmt.Sprintf("unknown office kind %q", o.FixedKind),
			Fix: "use one of: " + strings.Join(officeKindNames(), ", ")})
	}
	if o.Kind != "" || len(o.Kinds) > 0 {
		l.add(Problem{File: l.yamlName, Field: "offices.fixed_kind", Msg: "offices.fixed_kind is set together with offices.kind or offices.kinds",
			Fix: "use fixed_kind when every office has the same kind, or kind/kinds to read it from the file, not both"})
	}
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
