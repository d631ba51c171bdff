package pipeline

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/onestop/onestop/coverage"
	"github.com/onestop/onestop/data"
	"github.com/onestop/onestop/internal/scenario"
	"github.com/onestop/onestop/optimize"
)

// Residents no candidate can cover under the rule make the covering models
// (consolidate, lscp) infeasible. On a large province the model takes
// minutes and gigabytes to build before the solver notices, and its message
// named no commune; here they are found first, by timing every cell to its
// nearest candidate (one pass, as coverage of a network), and named.

// coveringModel reports whether m must cover every coverable resident.
func coveringModel(m optimize.Model) bool { return m == optimize.Consolidate || m == optimize.LSCP }

// precheckUncoverable returns the populated cells that no candidate covers
// under rule: with mode any this is exact; with mode all a cell may meet
// time at one candidate and distance at another and still be uncoverable,
// which the check on the instance (instanceUncoverable) catches.
func precheckUncoverable(ctx context.Context, idx *coverage.Index, cands []optimize.Candidate, model coverage.TravelModel, rule coverage.Rule) ([]int32, error) {
	offs := make([]data.Office, len(cands))
	for i, c := range cands {
		offs[i] = data.Office{ID: c.ID, Name: c.Name, Location: c.Location}
	}
	res, err := coverage.Evaluate(ctx, idx, offs, model, rule)
	if err != nil {
		return nil, fmt.Errorf("uncoverable residents check: %w", err)
	}
	var out []int32
	for i, c := range idx.Cells {
		if c.Population > 0 && !res.Covered[i] {
			out = append(out, int32(i))
		}
	}
	return out, nil
}

// instanceUncoverable returns the populated demand points of inst that no
// candidate covers (demand points are the index cells, FromCoverage).
func instanceUncoverable(inst *optimize.Instance) []int32 {
	covered := make([]bool, len(inst.Demand))
	for _, c := range inst.Cover.Cell {
		covered[c] = true
	}
	var out []int32
	for i, w := range inst.Demand {
		if w > 0 && !covered[i] {
			out = append(out, int32(i))
		}
	}
	return out
}

// byCommune groups cells by commune, most residents first.
func byCommune(idx *coverage.Index, cells []int32) []optimize.Excluded {
	at := map[int32]int{}
	var out []optimize.Excluded
	for _, i := range cells {
		c := idx.Cells[i]
		k, ok := at[c.Commune]
		if !ok {
			k = len(out)
			at[c.Commune] = k
			cm := idx.Communes[c.Commune]
			out = append(out, optimize.Excluded{Commune: cm.Code, Name: cm.Name})
		}
		out[k].Cells++
		out[k].Residents += float64(c.Population)
	}
	slices.SortFunc(out, func(a, b optimize.Excluded) int {
		return cmp.Or(cmp.Compare(b.Residents, a.Residents), cmp.Compare(a.Commune, b.Commune))
	})
	return out
}

// describeExcluded is "N residents in C cells of K communes: code name (c
// cells, r residents), …", at most 10 communes spelt out.
func describeExcluded(ex []optimize.Excluded) string {
	var cells int
	var people float64
	parts := make([]string, 0, min(len(ex), 10))
	for k, e := range ex {
		cells += e.Cells
		people += e.Residents
		if k < 10 {
			parts = append(parts, fmt.Sprintf("%s %s (%s, %.0f residents)", e.Commune, e.Name, plural(e.Cells, "cell"), e.Residents))
		}
	}
	if len(ex) > 10 {
		parts = append(parts, fmt.Sprintf("and %d more communes", len(ex)-10))
	}
	return fmt.Sprintf("%.0f residents in %s of %s: %s", people, plural(cells, "cell"), plural(len(ex), "commune"), strings.Join(parts, ", "))
}

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}

// checkUncoverable fails when the uncoverable residents exceed what the
// target share allows (target 1, the default: any), naming them.
func checkUncoverable(idx *coverage.Index, cells []int32, rule coverage.Rule, target float64) error {
	if len(cells) == 0 {
		return nil
	}
	if target <= 0 || target > 1 {
		target = 1
	}
	var people float64
	for _, i := range cells {
		people += float64(idx.Cells[i].Population)
	}
	if people <= (1-target)*float64(idx.Population())+1e-9 {
		return nil
	}
	return fmt.Errorf("no candidate can reach %s within the rule (%g min or %g km, mode %s), so no plan can cover everyone (fix: add candidate sites near them with optimize.candidates / --candidates, widen the rule, lower the target share, or set optimize.uncoverable: exclude / --uncoverable exclude to plan the others and list these as excluded)",
		describeExcluded(byCommune(idx, cells)), rule.Minutes, rule.Km, rule.Mode)
}

// excludeUncoverable removes the uncoverable demand points from inst and
// returns them per commune. inst.Dossiers is copied, not changed in place.
func excludeUncoverable(idx *coverage.Index, inst *optimize.Instance, cells []int32) []optimize.Excluded {
	if len(cells) == 0 {
		return nil
	}
	if inst.Dossiers != nil {
		inst.Dossiers = slices.Clone(inst.Dossiers)
	}
	for _, i := range cells {
		inst.Demand[i] = 0
		if inst.Dossiers != nil {
			inst.Dossiers[i] = 0
		}
	}
	return byCommune(idx, cells)
}

// excludePolicy normalises the uncoverable policy ("" is fail).
func excludePolicy(s string) (bool, error) {
	switch s {
	case "", scenario.UncoverableFail:
		return false, nil
	case scenario.UncoverableExclude:
		return true, nil
	}
	return false, fmt.Errorf("uncoverable policy %q is not fail or exclude", s)
}
