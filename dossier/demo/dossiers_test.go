package demo

import (
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/onestop/onestop/data"
	"github.com/onestop/onestop/dossier"
)

func TestDossierLog(t *testing.T) {
	t.Parallel()
	for _, seed := range seeds(t, 3) {
		t.Run(fmt.Sprint("seed", seed), func(t *testing.T) {
			t.Parallel()
			files := generate(t, seed)
			b := files[fileDossiers]
			if len(b) > 5<<20 {
				t.Errorf("dossiers.csv is %d bytes, want a few MB at most", len(b))
			}
			header, rows := parseCSV(t, b, fileDossiers)
			if got := strings.Join(header, ","); got != "id,procedure,received_at,returned_at,due_at,office,applicant_commune,channel" {
				t.Fatalf("header %q", got)
			}
			_, offices := parseCSV(t, files[fileOffices], fileOffices)
			officeIDs := map[string]bool{}
			for _, o := range offices {
				officeIDs[o["id"]] = true
			}
			_, _, fc := communePolygons(t, files)
			communes := map[string]bool{}
			want := 0.0
			for _, f := range fc.Features {
				code, _ := f.Properties["code"].(string)
				communes[code] = true
				cls, _ := f.Properties["area_class"].(string)
				want += f.Properties.MustFloat64("population", 0) * dossier.DefaultRates().PerResident.For(data.AreaClass(cls)) * dossier.DefaultRates().Sample
			}
			if got := float64(len(rows)); math.Abs(got-want) > 0.05*want {
				t.Errorf("%d rows, want about %.0f (1 %% of yearly demand)", len(rows), want)
			}
			ids := map[string]bool{}
			channels := map[string]int{}
			var prev time.Time
			late, open := 0, 0
			for i, r := range rows {
				rec := fmt.Sprintf("row %d (%s)", i+2, r["id"])
				if ids[r["id"]] {
					t.Errorf("%s: duplicate id", rec)
				}
				ids[r["id"]] = true
				recv, err := time.Parse(time.RFC3339, r["received_at"])
				if err != nil {
					t.Fatalf("%s: %v", rec, err)
				}
				due, err := time.Parse(time.RFC3339, r["due_at"])
				if err != nil {
					t.Fatalf("%s: %v", rec, err)
				}
				if recv.Before(prev) {
					t.Errorf("%s: received before the previous row; the log is sorted by received_at", rec)
				}
				prev = recv
				if recv.Year() != logYear {
					t.Errorf("%s: received %v outside %d", rec, recv, logYear)
				}
				if !due.After(recv) {
					t.Errorf("%s: due %v not after received %v", rec, due, recv)
				}
				if r["returned_at"] == "" {
					open++
				} else {
					ret, err := time.Parse(time.RFC3339, r["returned_at"])
					if err != nil {
						t.Fatalf("%s: %v", rec, err)
					}
					if ret.Before(recv) {
						t.Errorf("%s: returned %v before received %v", rec, ret, recv)
					}
					if ret.After(due) {
						late++
					}
				}
				if !officeIDs[r["office"]] {
					t.Errorf("%s: unknown office %q", rec, r["office"])
				}
				if !communes[r["applicant_commune"]] {
					t.Errorf("%s: unknown commune %q", rec, r["applicant_commune"])
				}
				channels[r["channel"]]++
				if ch := r["channel"]; ch != "online" {
					local := recv.In(time.FixedZone("ICT", 7*3600))
					wd := local.Weekday()
					m := local.Hour()*60 + local.Minute()
					if wd == time.Saturday || wd == time.Sunday || m < 7*60+30 || m > 17*60 || (m > 11*60+30 && m < 13*60) {
						t.Errorf("%s: %s dossier received %v, outside office hours", rec, ch, local)
					}
				}
			}
			n := float64(len(rows))
			if c := float64(channels["counter"]) / n; c < 0.55 || c > 0.65 {
				t.Errorf("counter share %.2f, want about %.2f", c, dossier.DefaultRates().CounterShare)
			}
			if channels["postal"] == 0 || channels["online"] == 0 {
				t.Errorf("channels %v, want online, counter and postal", channels)
			}
			if f := float64(late) / n; f < 0.02 || f > 0.12 {
				t.Errorf("overdue share %.3f, want a few percent", f)
			}
			if open == 0 || open > len(rows)/20 {
				t.Errorf("%d dossiers still in process at the year's end, want a few", open)
			}
		})
	}
}
