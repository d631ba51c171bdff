package reports

import (
	"strings"
	"testing"
)

func TestNewPointName(t *testing.T) {
	t.Parallel()
	communes := map[string]string{"1": "Phường Tân Đông Hiệp", "2": "Phường Dĩ An", "3": "Xã An Sơn", "4": "Xã Phú An", "5": "Thị trấn Lai Uyên"}
	tests := []struct {
		lang   Lang
		serves []string
		want   string
	}{
		{Vietnamese, []string{"1", "2", "3"}, "Điểm tiếp nhận liên phường Tân Đông Hiệp – Dĩ An"},
		{English, []string{"1", "2"}, "Inter-ward point Tân Đông Hiệp – Dĩ An"},
		{Vietnamese, []string{"3", "4"}, "Điểm tiếp nhận liên xã An Sơn – Phú An"},
		{Vietnamese, []string{"5"}, "Điểm tiếp nhận mới Lai Uyên"},
		{English, []string{"9"}, ""},
	}
	for _, tc := range tests {
		lb, _ := tc.lang.labels()
		if got := newPointName(tc.serves, communes, lb); got != tc.want {
			t.Errorf("%s %v: %q, want %q", tc.lang, tc.serves, got, tc.want)
		}
	}
}

// TestMergeNumbersFromCells: FillFromCells gives each merge its residents
// and travel, and each new point the communes it serves; the report words
// the reason from them in its language and names the point after them.
func TestMergeNumbersFromCells(t *testing.T) {
	t.Parallel()
	for _, lang := range []Lang{Vietnamese, English} {
		r := withEngineText(syntheticRun(5, lang))
		m := r.Merges[0]
		var want int64
		for _, c := range r.Cells {
			if c.OfficeBefore == m.From {
				want += c.Population
			}
		}
		if m.Residents != want || m.Residents == 0 || m.MaxMinutes < m.MeanMinutes || m.MaxKm <= 0 {
			t.Errorf("%s merge %s→%s: residents %d (want %d), minutes %v/%v, km %v", lang, m.From, m.To, m.Residents, want, m.MeanMinutes, m.MaxMinutes, m.MaxKm)
		}
		lb, _ := lang.labels()
		shown := r.localized(lb)
		views := mergeViews(shown, lang.numbers(), lb)
		if !strings.Contains(views[0].Reason, lang.numbers().Int(m.Residents)) || strings.Contains(views[0].Reason, "its 35007") {
			t.Errorf("%s reason %q: want the residents in the locale and no engine text", lang, views[0].Reason)
		}
		for i, o := range shown.Offices {
			if r.Offices[i].Status == New && (len(r.Offices[i].Serves) == 0 || strings.HasPrefix(o.Name, "grid point")) {
				t.Errorf("%s new point %s named %q (serves %v)", lang, o.ID, o.Name, r.Offices[i].Serves)
			}
		}
	}
}
