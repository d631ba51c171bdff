package optimize

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// UserCandidate is one of the planner's own sites and what the plan did
// with it. WhyNot states only what the plan can verify.
type UserCandidate struct {
	ID         string  `json:"id"`
	Name       string  `json:"name"`
	Lon        float64 `json:"lon"`
	Lat        float64 `json:"lat"`
	Commune    string  `json:"commune"`
	Used       bool    `json:"used"`
	ForcedOpen bool    `json:"forced_open,omitempty"`
	// Residents within the access rule of the site.
	Residents float64 `json:"residents_within_rule"`
	WhyNot    string  `json:"why_not,omitempty"`
}

// userCandidates lists the planner's sites of inst in candidate order;
// cover is the demand point -> candidates view of inst.Cover.
func userCandidates(inst *Instance, res *Result, cover Sparse) []UserCandidate {
	var out []UserCandidate
	for j, c := range inst.Candidates {
		if !c.User {
			continue
		}
		u := UserCandidate{ID: c.ID, Name: c.Name, Lon: round(c.Location[0], 6), Lat: round(c.Location[1], 6),
			Commune: c.Commune, Used: res.Open[j], ForcedOpen: slices.Contains(res.ForcedOpen, c.ID)}
		cells, _ := inst.Cover.Row(j)
		for _, i := range cells {
			u.Residents += inst.Demand[i]
		}
		u.Residents = round(u.Residents, 1)
		if !u.Used {
			u.WhyNot = whyNotUsed(inst, res, cover, int32(j))
		}
		out = append(out, u)
	}
	return out
}

// whyNotUsed explains why the plan leaves candidate j closed, from the
// facts the plan can check: whom j covers and which open points cover them.
func whyNotUsed(inst *Instance, res *Result, cover Sparse, j int32) string {
	cells, _ := inst.Cover.Row(int(j))
	populated := 0
	// by counts, per open point, the residents of j's cells it covers too.
	by := map[int32]float64{}
	left := 0.0 // residents of j's cells no open point covers
	for _, i := range cells {
		if inst.Demand[i] <= 0 {
			continue
		}
		populated++
		cs, _ := cover.Row(int(i))
		met := false
		for _, k := range cs {
			if res.Open[k] {
				by[k] += inst.Demand[i]
				met = true
			}
		}
		if !met {
			left += inst.Demand[i]
		}
	}
	if populated == 0 {
		return "no resident lives within the access rule of this site"
	}
	if left == 0 {
		return "not needed: " + coveredBy(inst, cells, by)
	}
	if res.Optimal {
		return fmt.Sprintf("the plan without it is proven optimal: no plan, with or without this site, does better on the model's objective (it would cover %.0f residents no open point covers)", left)
	}
	return fmt.Sprintf("the best plan the search found (within %.3g%% of optimal) does not use it; it would cover %.0f residents no open point covers", res.GapPct, left)
}

// coveredBy says which open points cover every resident the site could:
// one that covers them all (dominates it), else the largest few.
func coveredBy(inst *Instance, cells []int32, by map[int32]float64) string {
	total := 0.0
	for _, i := range cells {
		total += inst.Demand[i]
	}
	ks := make([]int32, 0, len(by))
	for k := range by {
		ks = append(ks, k)
	}
	// Most shared residents first, then candidate order: one answer per input.
	slices.SortFunc(ks, func(a, b int32) int { return cmp.Or(cmp.Compare(by[b], by[a]), cmp.Compare(a, b)) })
	name := func(k int32) string {
		c := inst.Candidates[k]
		return fmt.Sprintf("%s (%s)", c.ID, c.Name)
	}
	if by[ks[0]] >= total {
		return "dominated by open point " + name(ks[0]) + ", which covers every resident within the access rule of this site"
	}
	names := make([]string, 0, 3)
	for _, k := range ks[:min(3, len(ks))] {
		names = append(names, name(k))
	}
	s := "every resident within the access rule of this site is covered by an open point: " + strings.Join(names, ", ")
	if len(ks) > 3 {
		s += fmt.Sprintf(" and %d more", len(ks)-3)
	}
	return s
}
