package reports

import (
	"reflect"
	"strings"
	"testing"

	"github.com/onestop/onestop/data"
)

// TestLabelsComplete: every string of every language is filled, every office
// kind has a name, and the Vietnamese table uses the DOMAIN.md terms.
func TestLabelsComplete(t *testing.T) {
	t.Parallel()
	for _, lang := range []Lang{Vietnamese, English} {
		lb, err := lang.labels()
		if err != nil {
			t.Fatal(err)
		}
		v := reflect.ValueOf(*lb)
		for i := 0; i < v.NumField(); i++ {
			f := v.Field(i)
			if f.Kind() == reflect.String && strings.TrimSpace(f.String()) == "" {
				t.Errorf("%s: label %s is empty", lang, v.Type().Field(i).Name)
			}
		}
		for _, k := range []data.OfficeKind{data.ProvinceCenter, data.Branch, data.OneStop, data.InterWard} {
			if _, ok := lb.KindNames[k]; !ok {
				t.Errorf("%s: office kind %s has no name", lang, k)
			}
		}
	}
	vi, _ := Vietnamese.labels()
	all := fmtLabels(vi)
	for _, term := range []string{"Bộ phận Một cửa", "Điểm tiếp nhận liên phường", "Trung tâm Phục vụ hành chính công",
		"Chi nhánh", "thời gian chờ", "hồ sơ", "Xã/phường/thị trấn"} {
		if !strings.Contains(all, term) {
			t.Errorf("Vietnamese labels lack the term %q", term)
		}
	}
	if _, err := Lang("fr").labels(); err == nil {
		t.Error("unknown language accepted")
	}
}

func fmtLabels(lb *labels) string {
	var b strings.Builder
	v := reflect.ValueOf(*lb)
	for i := 0; i < v.NumField(); i++ {
		if f := v.Field(i); f.Kind() == reflect.String {
			b.WriteString(f.String() + "\n")
		}
	}
	for _, n := range lb.KindNames {
		b.WriteString(n + "\n")
	}
	return b.String()
}
