package reports

import (
	"cmp"
	"fmt"
)

// assumptionSentences states, in the report's language, every assumption
// that shaped the result and holds for this run, in a fixed order: made-up
// offices or staff, straight-line travel, estimated dossier loads, recorded
// counts left unused, a search stopped by its limit, excluded residents, a
// demand what-if. A run with none says so in one sentence.
func assumptionSentences(r Run, nf numberFormat, lb *labels) []string {
	a := r.Assumptions
	var out []string
	if a.OfficesGenerated > 0 {
		out = append(out, fmt.Sprintf(lb.AssumeGenerated, a.OfficesGenerated))
	} else if a.StaffAssumed > 0 {
		out = append(out, fmt.Sprintf(lb.AssumeStaff, a.StaffAssumed))
	}
	if a.StraightLine {
		circuity := a.Circuity
		if circuity <= 0 {
			circuity = 1
		}
		out = append(out, fmt.Sprintf(lb.AssumeStraight, nf.Float(circuity, 2)))
	}
	if rated, open := rateOffices(r.Offices); rated > 0 {
		out = append(out, fmt.Sprintf(lb.AssumeRates, rated, open))
	}
	if a.RecordedUnused > 0 {
		out = append(out, fmt.Sprintf(lb.AssumeRecordedUnused, a.RecordedUnused))
	}
	if name, ok := lb.StoppedByNames[a.StoppedBy]; ok {
		out = append(out, fmt.Sprintf(lb.AssumeStopped, name, nf.Float(a.GapPct, 2))) // plan.json gap_pct to 0.01 %
	}
	if a.ExcludedResidents > 0 {
		out = append(out, fmt.Sprintf(lb.AssumeExcluded, nf.Int(a.ExcludedResidents), a.ExcludedCommunes))
	}
	if g := r.DossierGrowth; g > 0 && g != 1 {
		out = append(out, fmt.Sprintf(lb.AssumeGrowth, nf.Float(g, 2)))
	}
	if len(out) == 0 {
		out = append(out, lb.NoAssumptions)
	}
	return out
}

// rateOffices counts the open offices whose load was estimated from
// per-capita rates, and the open offices.
func rateOffices(os []OfficeRow) (rated, open int) {
	for _, o := range os {
		if o.Status == Closed {
			continue
		}
		open++
		if o.LoadSource == LoadFromRate {
			rated++
		}
	}
	return rated, open
}

// Load sources a Run names (OfficeRow.LoadSource).
const (
	LoadFromRecorded = "recorded" // the office's own recorded dossier counts
	LoadFromLog      = "log"      // a dossier log's per-commune volumes
	LoadFromRate     = "rate"     // population × dossiers per resident
)

// largestPoint names the open office or point with the most staff after
// the plan (more dossiers, then the smaller id, break ties), the way the
// report names it, with its staff and dossiers; "" without open offices.
// A point an order of magnitude above the others is what a reader should
// question first.
func largestPoint(r Run, nf numberFormat, lb *labels) string {
	var best *OfficeRow
	for i := range r.Offices {
		o := &r.Offices[i]
		if o.Status == Closed || o.StaffAfter <= 0 {
			continue
		}
		if best == nil || cmp.Or(cmp.Compare(o.StaffAfter, best.StaffAfter), cmp.Compare(o.Dossiers, best.Dossiers), cmp.Compare(best.ID, o.ID)) > 0 {
			best = o
		}
	}
	if best == nil {
		return ""
	}
	name := best.Name
	if name != best.ID {
		name += " (" + best.ID + ")"
	}
	return fmt.Sprintf(lb.LargestPoint, name, best.StaffAfter, nf.Float(best.Dossiers, 0))
}
