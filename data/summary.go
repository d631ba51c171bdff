package data

import (
	"fmt"
	"strings"
)

// Summary counts what a dataset holds, for `onestop validate`.
type Summary struct {
	Name              string
	Source            string
	Communes          int
	Districts         int        // groups at GroupLevel
	GroupLevel        GroupLevel // "" counts as district (a Dataset built in code)
	Selection         string     // communes.select, "" without one
	SelectedFrom      int        // communes in the file before the selection
	Population        int64
	PopulationCells   int
	Offices           int
	OfficesByKind     map[OfficeKind]int
	Staff             int
	RoadNodes         int
	RoadArcs          int
	CommunesByKind    map[CommuneKind]int
	CommunesByClass   map[AreaClass]int
	PopulationByClass map[AreaClass]int64
	Warnings          int
	// Err wraps ErrOverflow when a total (population, staff) does not fit in
	// int64; the totals are then zero rather than a wrapped-around number,
	// and String says so.
	Err error
}

// Summary counts the dataset's contents.
func (d *Dataset) Summary() Summary {
	s := Summary{
		Name: d.Name, Source: d.Source,
		Communes: len(d.Communes), Districts: len(d.Districts),
		GroupLevel: d.GroupLevel, Selection: d.Selection, SelectedFrom: d.SelectedFrom,
		PopulationCells: len(d.Population), Offices: len(d.Offices),
		OfficesByKind:     map[OfficeKind]int{},
		CommunesByKind:    map[CommuneKind]int{},
		CommunesByClass:   map[AreaClass]int{},
		PopulationByClass: map[AreaClass]int64{},
		Warnings:          len(d.Warnings),
	}
	overflow := func(what string) {
		if s.Err == nil {
			s.Err = fmt.Errorf("%s of dataset %s: %w", what, d.Name, ErrOverflow)
		}
	}
	for _, c := range d.Communes {
		s.CommunesByKind[c.Kind]++
		s.CommunesByClass[c.Class]++
		if c.Population < 0 && s.Err == nil {
			// The loader refuses these; a Dataset built in code may not.
			s.Err = fmt.Errorf("commune %s of dataset %s has a negative population (%d)", c.Code, d.Name, c.Population)
		}
		var ok1, ok2 bool
		s.Population, ok1 = addCount(s.Population, c.Population)
		s.PopulationByClass[c.Class], ok2 = addCount(s.PopulationByClass[c.Class], c.Population)
		if !ok1 || !ok2 {
			overflow("population")
		}
	}
	var staff int64
	for _, o := range d.Offices {
		s.OfficesByKind[o.Kind]++
		var ok bool
		if staff, ok = addCount(staff, int64(o.Staff)); !ok || staff != int64(int(staff)) {
			overflow("staff")
		}
	}
	s.Staff = int(staff)
	if s.Err != nil {
		s.Population, s.Staff = 0, 0
		clear(s.PopulationByClass)
	}
	if d.Roads != nil {
		s.RoadNodes, s.RoadArcs = len(d.Roads.Nodes), len(d.Roads.Arcs)
	}
	return s
}

// String is the multi-line text `onestop validate` prints. Kinds and classes
// appear in their fixed order, so the text is stable.
func (s Summary) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "dataset:     %s (%s)\n", s.Name, s.Source)
	fmt.Fprint(&b, s.groupLine())
	kinds := []string{"ward", "commune", "town"}
	counts := []int{s.CommunesByKind[KindWard], s.CommunesByKind[KindCommune], s.CommunesByKind[KindTown]}
	// Kinds of the two-tier units appear only when present, so the text of
	// pre-2025 datasets stays as it was.
	if n := s.CommunesByKind[KindSpecialZone]; n > 0 {
		kinds, counts = append(kinds, string(KindSpecialZone)), append(counts, n)
	}
	fmt.Fprintf(&b, "communes:    %d (%s)\n", s.Communes, joinCounts(kinds, counts))
	if s.Selection != "" {
		fmt.Fprintf(&b, "selection:   %d of %d communes (%s)\n", s.Communes, s.SelectedFrom, s.Selection)
	}
	fmt.Fprintf(&b, "area class:  %s\n", joinCounts(
		[]string{"urban", "rural", "remote"},
		[]int{s.CommunesByClass[Urban], s.CommunesByClass[Rural], s.CommunesByClass[Remote]}))
	if s.Err != nil {
		fmt.Fprintf(&b, "totals:      not computed: %v\n", s.Err)
	} else {
		fmt.Fprintf(&b, "population:  %s (urban %s, rural %s, remote %s)\n", Thousands(s.Population),
			Thousands(s.PopulationByClass[Urban]), Thousands(s.PopulationByClass[Rural]), Thousands(s.PopulationByClass[Remote]))
	}
	if s.PopulationCells > 0 {
		fmt.Fprintf(&b, "grid:        %d population records\n", s.PopulationCells)
	}
	okinds := []OfficeKind{ProvinceCenter, Branch, OneStop, InterWard}
	for _, k := range []OfficeKind{CommuneCenter, Reception} {
		if s.OfficesByKind[k] > 0 {
			okinds = append(okinds, k)
		}
	}
	onames, ocounts := make([]string, len(okinds)), make([]int, len(okinds))
	for i, k := range okinds {
		onames[i], ocounts[i] = string(k), s.OfficesByKind[k]
	}
	fmt.Fprintf(&b, "offices:     %d (%s), %d staff\n", s.Offices, joinCounts(onames, ocounts), s.Staff)
	if s.RoadNodes > 0 || s.RoadArcs > 0 {
		fmt.Fprintf(&b, "roads:       %d nodes, %d arcs\n", s.RoadNodes, s.RoadArcs)
	} else {
		b.WriteString("roads:       none (straight-line distances only)\n")
	}
	fmt.Fprintf(&b, "warnings:    %d\n", s.Warnings)
	return b.String()
}

// groupLine is the count of groups under the name of their level.
func (s Summary) groupLine() string {
	switch s.GroupLevel {
	case "", GroupDistrict:
		return fmt.Sprintf("districts:   %d\n", s.Districts)
	case GroupProvince:
		return fmt.Sprintf("provinces:   %d\n", s.Districts)
	}
	return fmt.Sprintf("groups:      %d (%s)\n", s.Districts, s.GroupLevel)
}

func joinCounts(names []string, counts []int) string {
	parts := make([]string, len(names))
	for i := range names {
		parts[i] = fmt.Sprintf("%d %s", counts[i], names[i])
	}
	return strings.Join(parts, ", ")
}

// Thousands formats 2426561 as 2,426,561, the way the command line prints
// counts (the HTML report formats numbers in its own language).
func Thousands(n int64) string {
	s := fmt.Sprint(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}
