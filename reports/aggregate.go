package reports

import (
	"math"
	"sort"
)

// DefaultHistogramEdges are the travel-time bins (minutes) of the report:
// fine below the 30-minute rule, coarse above it.
func DefaultHistogramEdges() []float64 {
	return []float64{0, 5, 10, 15, 20, 30, 45, 60, math.Inf(1)}
}

// WorseOffMinutes is how much longer a commune's mean travel time must get
// before FillFromCells calls it worse off; smaller changes are noise of the
// travel model, not something a resident notices.
const WorseOffMinutes = 2.0

// FillFromCells derives the report's statistics from the population cells,
// so the caller only supplies communes (codes, names, outlines), districts,
// offices, merges and cells:
//
//   - communes: population, population-weighted mean minutes and covered
//     share before/after, WorseOff (coverage falls or mean minutes rise by
//     more than WorseOffMinutes);
//
//   - districts: population, covered residents, mean minutes before/after,
//     offices before/after (an office counts for the district of
//     OfficeRow.Commune);
//
//   - Before and After: population, covered, mean, 95th percentile and
//     worst minutes, histogram over edges (DefaultHistogramEdges when nil),
//     open offices and their staff, and, for After, the open offices whose
//     mean wait exceeds the waiting target.
//
//   - merges: the residents whose nearest office was the closed one, their
//     mean and longest travel after the merge, the longest straight-line
//     distance, and how many fall out of the access rule (merges that
//     already carry Residents keep theirs);
//
//   - new offices: Serves, the communes they serve, most residents first.
//
// Before.OfficesOverWait and Before.OfficesUnderused are left as given: the
// run carries waiting times and loads of the scenario only. Communes and districts without cells keep zeros.
func (r *Run) FillFromCells(edges []float64) {
	if edges == nil {
		edges = DefaultHistogramEdges()
	}
	type sums struct {
		pop, covB, covA int64
		minB, minA      float64
	}
	byCommune := map[string]*sums{}
	for _, c := range r.Cells {
		s := byCommune[c.Commune]
		if s == nil {
			s = &sums{}
			byCommune[c.Commune] = s
		}
		s.pop += c.Population
		s.minB += float64(c.Population) * c.MinutesBefore
		s.minA += float64(c.Population) * c.MinutesAfter
		if c.CoveredBefore {
			s.covB += c.Population
		}
		if c.CoveredAfter {
			s.covA += c.Population
		}
	}
	byDistrict := map[string]*sums{}
	communeDistrict := map[string]string{}
	for i := range r.Communes {
		c := &r.Communes[i]
		communeDistrict[c.Code] = c.District
		s := byCommune[c.Code]
		if s == nil || s.pop == 0 {
			continue
		}
		p := float64(s.pop)
		c.Population = s.pop
		c.MeanMinutesBefore, c.MeanMinutesAfter = s.minB/p, s.minA/p
		c.CoveredShareBefore, c.CoveredShareAfter = float64(s.covB)/p, float64(s.covA)/p
		c.WorseOff = c.CoveredShareAfter < c.CoveredShareBefore || c.MeanMinutesAfter > c.MeanMinutesBefore+WorseOffMinutes
		d := byDistrict[c.District]
		if d == nil {
			d = &sums{}
			byDistrict[c.District] = d
		}
		d.pop += s.pop
		d.covB += s.covB
		d.covA += s.covA
		d.minB += s.minB
		d.minA += s.minA
	}
	officesB, officesA := map[string]int{}, map[string]int{}
	for _, o := range r.Offices {
		d := communeDistrict[o.Commune]
		if o.Status != New {
			officesB[d]++
		}
		if o.Status != Closed {
			officesA[d]++
		}
	}
	for i := range r.Districts {
		d := &r.Districts[i]
		d.OfficesBefore, d.OfficesAfter = officesB[d.Code], officesA[d.Code]
		s := byDistrict[d.Code]
		if s == nil || s.pop == 0 {
			continue
		}
		p := float64(s.pop)
		d.Population, d.CoveredBefore, d.CoveredAfter = s.pop, s.covB, s.covA
		d.MeanMinutesBefore, d.MeanMinutesAfter = s.minB/p, s.minA/p
	}
	t := r.Targets.withDefaults()
	over, under := r.Before.OfficesOverWait, r.Before.OfficesUnderused
	r.Before = summarise(r.Cells, r.Offices, edges, false, t)
	r.Before.OfficesOverWait, r.Before.OfficesUnderused = over, under
	r.After = summarise(r.Cells, r.Offices, edges, true, t)
	r.fillMergeStats()
	r.fillServes()
}

// summarise computes one side's province-wide figures from the cells.
func summarise(cells []Cell, offices []OfficeRow, edges []float64, after bool, t Targets) Summary {
	var s Summary
	type pm struct {
		min float64
		pop int64
	}
	all := make([]pm, 0, len(cells))
	var weighted float64
	for _, c := range cells {
		m, cov := c.MinutesBefore, c.CoveredBefore
		if after {
			m, cov = c.MinutesAfter, c.CoveredAfter
		}
		s.Population += c.Population
		if cov {
			s.Covered += c.Population
		}
		weighted += m * float64(c.Population)
		if c.Population > 0 {
			all = append(all, pm{m, c.Population})
			s.MaxMinutes = math.Max(s.MaxMinutes, m)
		}
	}
	if s.Population > 0 {
		s.MeanMinutes = weighted / float64(s.Population)
	}
	sort.SliceStable(all, func(i, j int) bool { return all[i].min < all[j].min })
	// the 95th percentile over residents: the travel time of the resident
	// at rank ceil(0.95 × population)
	rank := int64(math.Ceil(0.95 * float64(s.Population)))
	var acc int64
	for _, x := range all {
		acc += x.pop
		if acc >= rank {
			s.P95Minutes = x.min
			break
		}
	}
	for i := 0; i+1 < len(edges); i++ {
		s.Histogram = append(s.Histogram, Bin{FromMin: edges[i], ToMin: edges[i+1]})
	}
	for _, x := range all {
		// the bin whose [from, to) holds the minutes; sort.Search finds the
		// first edge above them
		k := sort.SearchFloat64s(edges, x.min)
		if k < len(edges) && edges[k] == x.min {
			k++
		}
		if k-1 >= 0 && k-1 < len(s.Histogram) {
			s.Histogram[k-1].Population += x.pop
		}
	}
	for _, o := range offices {
		open, staff := o.Status != New, o.StaffBefore
		if after {
			open, staff = o.Status != Closed, o.StaffAfter
		}
		if !open {
			continue
		}
		s.Offices++
		s.Staff += staff
		if after && officeWait(o) > t.WaitMinutes {
			s.OfficesOverWait++
		}
		if after && o.StaffAfter > 0 && o.Norm > 0 && o.productivity() < 1 {
			s.OfficesUnderused++
		}
	}
	return s
}
