package reports

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

// keepAll is r with every office kept: no merges, travel as today.
func keepAll(r Run) Run {
	r.Offices = append([]OfficeRow(nil), r.Offices...)
	for i := range r.Offices {
		if r.Offices[i].Status == Closed {
			r.Offices[i].Status, r.Offices[i].AbsorbedBy = Kept, ""
			r.Offices[i].StaffAfter = r.Offices[i].StaffBefore
		}
	}
	r.Merges = nil
	r.Cells = append([]Cell(nil), r.Cells...)
	for i := range r.Cells {
		c := &r.Cells[i]
		c.MinutesAfter, c.CoveredAfter, c.OfficeAfter = c.MinutesBefore, c.CoveredBefore, c.OfficeBefore
	}
	aggregate(&r)
	return r
}

func TestCompareListsDifferences(t *testing.T) {
	t.Parallel()
	a := syntheticRun(1, Vietnamese)
	b := keepAll(syntheticRun(1, Vietnamese))
	b.Scenario = "Giữ nguyên"
	b.Targets.TravelMinutes = 20
	page, err := Compare(a, b)
	if err != nil {
		t.Fatal(err)
	}
	rows, merges := officeDiffRows(a, b, viLabels()), mergeDiffRows(a, b, "A", "B")
	if len(merges) != len(a.Merges) || len(rows) < len(a.Merges) {
		t.Fatalf("%d office rows and %d merge rows differ, want every one of the %d merges of A", len(rows), len(merges), len(a.Merges))
	}
	for _, m := range merges {
		if m.In != "A" || !strings.Contains(m.From, "Bộ phận Một cửa") {
			t.Errorf("merge row %+v: want a named merge of A only", m)
		}
	}
	for _, want := range []string{"Quy tắc của " + a.Scenario + ": trong vòng 30 phút", "Quy tắc của Giữ nguyên: trong vòng 20 phút",
		viLabels().OfficeDiffHeading, viLabels().MergeDiffHeading} {
		if !bytes.Contains(page, []byte(want)) {
			t.Errorf("comparison lacks %q", want)
		}
	}
	same, err := Compare(a, a)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(same, []byte(viLabels().NoOfficeDiff)) || !bytes.Contains(same, []byte(viLabels().NoMergeDiff)) {
		t.Error("a run compared with itself should list no differences")
	}
}

func TestCompareRefusesOtherDatasets(t *testing.T) {
	t.Parallel()
	a := syntheticRun(1, English)
	tests := []struct {
		name  string
		other func(Run) Run
	}{
		{"dataset name", func(r Run) Run { r.Dataset = "Dong Nai"; return r }},
		{"communes", func(r Run) Run { r.Communes = r.Communes[:len(r.Communes)-1]; return r }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b := tc.other(syntheticRun(1, English))
			if _, err := Compare(a, b); !errors.Is(err, ErrDifferentDatasets) {
				t.Fatalf("err = %v, want ErrDifferentDatasets", err)
			}
			page, err := CompareWith(a, b, CompareOptions{Force: true})
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Contains(page, []byte("--force")) {
				t.Error("a forced comparison does not say so")
			}
		})
	}
}
