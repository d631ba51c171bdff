package optimize

import (
	"reflect"
	"strings"
	"testing"

	"github.com/onestop/onestop/data"
)

func TestParseScope(t *testing.T) {
	tests := []struct {
		in      string
		want    Scope
		wantErr string
	}{
		{"", Scope{}, ""},
		{"districts=718,719;classes=urban", Scope{Districts: []string{"718", "719"}, Classes: []data.AreaClass{data.Urban}}, ""},
		{" kinds = one-stop ; offices=a, b ;keep=c", Scope{Kinds: []data.OfficeKind{data.OneStop}, Offices: []string{"a", "b"}, Keep: []string{"c"}}, ""},
		{"communes=25741", Scope{Communes: []string{"25741"}}, ""},
		{"districts", Scope{}, "has no '='"},
		{"colour=red", Scope{}, "unknown key"},
		{"classes=suburban", Scope{}, "unknown area class"},
		{"kinds=kiosk", Scope{}, "unknown office kind"},
		{"districts=", Scope{}, "has no values"},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			got, err := ParseScope(tc.in)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("error %v, want one containing %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("got %+v, want %+v", got, tc.want)
			}
			back, err := ParseScope(got.String())
			if err != nil || !reflect.DeepEqual(back, got) {
				t.Fatalf("String() %q does not parse back: %+v, %v", got.String(), back, err)
			}
		})
	}
}

func TestApplyScope(t *testing.T) {
	communes := []data.Commune{
		{Code: "1", District: "718", Class: data.Urban},
		{Code: "2", District: "718", Class: data.Rural},
		{Code: "3", District: "719", Class: data.Urban},
		{Code: "4", District: "720", Class: data.Remote},
	}
	cands := func() []Candidate {
		return []Candidate{
			{ID: "a", Existing: true, Commune: "1", Class: data.Urban, Kind: data.OneStop},
			{ID: "b", Existing: true, Commune: "2", Class: data.Rural, Kind: data.OneStop},
			{ID: "c", Existing: true, Commune: "3", Class: data.Urban, Kind: data.Branch},
			{ID: "d", Existing: true, Commune: "4", Class: data.Remote, Kind: data.OneStop},
			{ID: "e", Existing: true, Commune: "3", Class: data.Urban, Kind: data.OneStop, Locked: true},
			{ID: "new", Commune: "1", Class: data.Urban},
		}
	}
	tests := []struct {
		scope   string
		want    []string
		wantErr string
	}{
		{"", []string{"a", "c"}, ""}, // default: urban offices, locked stay
		{"districts=718", []string{"a"}, ""},
		{"districts=718;classes=urban,rural", []string{"a", "b"}, ""},
		{"kinds=one-stop;classes=urban,rural,remote", []string{"a", "b", "d"}, ""},
		{"offices=b", []string{"b"}, ""},
		{"offices=b;districts=719", []string{"b", "c"}, ""},
		{"keep=a", []string{"c"}, ""},
		{"offices=e", nil, ""}, // locked wins
		{"districts=999", nil, "district \"999\""},
		{"communes=77", nil, "commune \"77\""},
		{"offices=zz", nil, "office \"zz\""},
	}
	for _, tc := range tests {
		t.Run(tc.scope, func(t *testing.T) {
			s, err := ParseScope(tc.scope)
			if err != nil {
				t.Fatal(err)
			}
			cs := cands()
			n, err := ApplyScope(cs, communes, s)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("error %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, c := range cs {
				if c.Closable {
					got = append(got, c.ID)
				}
			}
			if !reflect.DeepEqual(got, tc.want) || n != len(tc.want) {
				t.Fatalf("closable %v (n=%d), want %v", got, n, tc.want)
			}
		})
	}
}

// Two-tier datasets: provinces and groups name the grouping level, and the
// 2025 office kinds are scope kinds.
func TestParseScopeTwoTier(t *testing.T) {
	s, err := ParseScope("provinces=48;groups=79;kinds=commune-center,reception")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(s.Districts, ",") != "48,79" || len(s.Kinds) != 2 || s.Kinds[0] != data.CommuneCenter || s.Kinds[1] != data.Reception {
		t.Errorf("scope %+v", s)
	}
}
