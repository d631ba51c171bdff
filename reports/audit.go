package reports

import (
	"fmt"
	"slices"
	"strings"
)

// auditSection words the audit: a green line when every recomputed claim
// holds, the mismatches otherwise; nil when the run was not audited.
func auditSection(a *Audit, nf numberFormat, lb *labels) *auditView {
	if a == nil {
		return nil
	}
	v := &auditView{OK: len(a.Mismatches) == 0, Mismatches: slices.Clone(a.Mismatches),
		Beyond: fmt.Sprintf(lb.AuditBeyond, nf.Int(a.ResidentsBeyondRule))}
	if v.OK {
		v.Headline = fmt.Sprintf(lb.AuditOK, a.Checked)
	} else {
		v.Headline = fmt.Sprintf(lb.AuditBad, a.Checked, max(a.Count, len(a.Mismatches)))
	}
	for i := range v.Mismatches {
		m := &v.Mismatches[i]
		m.File, m.Claim = strings.TrimSpace(m.File), strings.TrimSpace(m.Claim)
	}
	return v
}
