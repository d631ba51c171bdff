package dossier

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/onestop/onestop/data"
)

// params are the four run parameters the simulate flags and a scenario's
// dossiers section give; the test checks them together, as a caller would.
type params struct {
	LogSample, BoundaryFree, WaitTargetMin float64
	Year                                   int
}

func (p params) Check() error {
	return errors.Join(CheckLogSample(p.LogSample), CheckBoundaryFree(p.BoundaryFree), CheckWaitTarget(p.WaitTargetMin), CheckYear(p.Year))
}

func TestParamsCheck(t *testing.T) {
	ok := params{LogSample: 1, BoundaryFree: 0.3, WaitTargetMin: 15, Year: 2025}
	tests := []struct {
		name string
		edit func(*params)
		want []string // the parameters refused; none when valid
	}{
		{"defaults", func(*params) {}, nil},
		{"bounds", func(p *params) {
			*p = params{LogSample: 1e-9, BoundaryFree: 1, WaitTargetMin: MaxWaitTargetMin, Year: MaxYear}
		}, nil},
		{"lower bounds", func(p *params) { p.BoundaryFree, p.Year = 0, MinYear }, nil},
		{"log sample 0", func(p *params) { p.LogSample = 0 }, []string{"log_sample 0"}},
		{"log sample NaN", func(p *params) { p.LogSample = math.NaN() }, []string{"log_sample NaN"}},
		{"log sample above 1", func(p *params) { p.LogSample = 1.01 }, []string{"log_sample 1.01"}},
		{"boundary-free -0.1", func(p *params) { p.BoundaryFree = -0.1 }, []string{"boundary_free -0.1"}},
		{"boundary-free NaN", func(p *params) { p.BoundaryFree = math.NaN() }, []string{"boundary_free NaN"}},
		{"boundary-free 2", func(p *params) { p.BoundaryFree = 2 }, []string{"boundary_free 2"}},
		{"wait target -1", func(p *params) { p.WaitTargetMin = -1 }, []string{"wait_target_min -1"}},
		{"wait target 0", func(p *params) { p.WaitTargetMin = 0 }, []string{"wait_target_min 0"}},
		{"wait target +Inf", func(p *params) { p.WaitTargetMin = math.Inf(1) }, []string{"wait_target_min +Inf"}},
		{"wait target a day and more", func(p *params) { p.WaitTargetMin = MaxWaitTargetMin + 1 }, []string{"wait_target_min 1441"}},
		{"year 0", func(p *params) { p.Year = 0 }, []string{"year 0"}},
		{"year 300000", func(p *params) { p.Year = 300000 }, []string{"year 300000"}},
		{"all at once", func(p *params) { *p = params{BoundaryFree: -1} }, []string{"log_sample 0", "boundary_free -1", "wait_target_min 0", "year 0"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := ok
			tc.edit(&p)
			err := p.Check()
			if len(tc.want) == 0 {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			var pe *ParamError
			if !errors.As(err, &pe) {
				t.Fatalf("err %v, want a *ParamError", err)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("err %v, want it to contain %q", err, w)
				}
			}
			if n := strings.Count(err.Error(), "out of range"); n != len(tc.want) {
				t.Errorf("err %v refuses %d parameters, want %d", err, n, len(tc.want))
			}
		})
	}
}

func TestComputeDemandRefuses(t *testing.T) {
	pts := []Point{{Commune: "A", Class: data.Urban, Population: 1000}, {Commune: "B", Class: data.Rural, Population: 500}}
	huge := []Point{{Commune: "A", Class: data.Urban, Population: 6e9}, {Commune: "A", Class: data.Urban, Population: 6e9}}
	tests := []struct {
		name     string
		points   []Point
		rates    func(*Rates)
		measured map[string]CommuneRate
		want     string
	}{
		{"measured NaN", pts, nil, map[string]CommuneRate{"A": {PerYear: math.NaN(), CounterShare: 0.5}}, `commune "A": NaN dossiers a year`},
		{"measured +Inf", pts, nil, map[string]CommuneRate{"A": {PerYear: math.Inf(1), CounterShare: 0.5}}, "+Inf dossiers a year"},
		{"measured negative", pts, nil, map[string]CommuneRate{"A": {PerYear: -1, CounterShare: 0.5}}, "-1 dossiers a year"},
		{"measured share 2", pts, nil, map[string]CommuneRate{"A": {PerYear: 10, CounterShare: 2}}, "counter share 2"},
		{"measured 2767011611056439168", pts, nil, map[string]CommuneRate{"A": {PerYear: 2767011611056439168, CounterShare: 0.5}}, "dossiers a year"},
		{"infinite rate", pts, func(r *Rates) { r.PerResident.Urban = math.Inf(1) }, nil, "urban per-capita rate is +Inf"},
		{"rate above the maximum", pts, func(r *Rates) { r.PerResident.Rural = 1e300 }, nil, "rural per-capita rate is 1e+300"},
		{"commune population overflows", huge, nil, nil, `commune "A": population over 10000000000`},
		{"cell population above the maximum", []Point{{Commune: "A", Class: data.Urban, Population: 2e10}}, nil, nil, "population 20000000000"},
		{"total above the maximum", manyCells(2000, 9e9), func(r *Rates) { r.PerResident.Urban = 100 }, nil, "dossiers a year in total"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := DefaultRates()
			if tc.rates != nil {
				tc.rates(&r)
			}
			_, err := ComputeDemand(tc.points, r, tc.measured, nil)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err %v, want it to contain %q", err, tc.want)
			}
		})
	}
}

// manyCells gives n urban cells of pop people, each its own commune.
func manyCells(n int, pop int64) []Point {
	pts := make([]Point, n)
	for i := range pts {
		pts[i] = Point{Commune: string(rune('a'+i%26)) + strings.Repeat("x", i/26), Class: data.Urban, Population: pop}
	}
	return pts
}

func TestOutputsRefuseNaN(t *testing.T) {
	res, err := checkLoad(context.Background(), testNetwork(), flagDemand, DefaultOptions(2025))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		edit func(*Result)
		want string
	}{
		{"office wait", func(r *Result) { r.Offices[1].WaitSimMeanMin = math.NaN() }, `office "o1": wait_sim_mean_min is NaN`},
		{"summary", func(r *Result) { r.Summary.MeanWaitMin = math.NaN() }, "summary mean_wait_min is NaN"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := *res
			r.Offices = append([]OfficeLoad(nil), res.Offices...)
			tc.edit(&r)
			for name, write := range map[string]func(*bytes.Buffer) error{
				"json": func(b *bytes.Buffer) error { return r.WriteJSON(b) },
				"csv":  func(b *bytes.Buffer) error { return r.WriteCSV(b) },
			} {
				var b bytes.Buffer
				if err := write(&b); err == nil || !strings.Contains(err.Error(), tc.want) {
					t.Errorf("%s: err %v, want it to contain %q", name, err, tc.want)
				}
			}
		})
	}
}

func TestCSVOutputsNeutraliseFormulas(t *testing.T) {
	net := testNetwork()
	net.Offices[0].ID, net.Offices[0].Name = "=HYPERLINK(\"x\")", "+SUM(A1)"
	res, err := checkLoad(context.Background(), net, flagDemand, DefaultOptions(2025))
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := res.WriteCSV(&b); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(&b).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if got := recs[1][0]; got != "'=HYPERLINK(\"x\")" {
		t.Errorf("office cell %q, want it neutralised", got)
	}
	if got := recs[1][11]; got != "'+SUM(A1)" {
		t.Errorf("name cell %q, want it neutralised", got)
	}
	if got := recs[1][1]; got != "6800" {
		t.Errorf("dossiers cell %q, want the number untouched", got)
	}

	ds := testDataset()
	ds.Offices[0].ID = "@o1"
	var g bytes.Buffer
	if err := GenerateLog(&g, ds, 2025, seeded(1), DefaultRates()); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(g.String(), ",'@o1,") || strings.Contains(g.String(), ",@o1,") {
		t.Error("generated log: office id @o1 not neutralised")
	}
}

func TestGenerateLogRefuses(t *testing.T) {
	big := testDataset()
	big.Communes[0].Population = 1e9
	tests := []struct {
		name  string
		ds    *data.Dataset
		year  int
		rates func(*Rates)
		want  string
	}{
		{"year 0", testDataset(), 0, nil, "year 0"},
		{"year 300000", testDataset(), 300000, nil, "year 300000"},
		{"too many rows", big, 2025, func(r *Rates) { r.Sample = 1 }, "rows expected, more than 10000000"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := DefaultRates()
			if tc.rates != nil {
				tc.rates(&r)
			}
			err := GenerateLog(&bytes.Buffer{}, tc.ds, tc.year, seeded(1), r)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err %v, want it to contain %q", err, tc.want)
			}
		})
	}
}

func TestUseLogRecordsLogInfo(t *testing.T) {
	content := header + dailyRows("a", 40, "")
	log, _, err := readLog(strings.NewReader(content), "f.csv", nil, nil, testNow)
	if err != nil {
		t.Fatal(err)
	}
	opt := DefaultOptions(2025)
	if err := opt.UseLog(log); err != nil {
		t.Fatal(err)
	}
	res, err := checkLoad(context.Background(), testNetwork(), flagDemand, opt)
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := res.WriteJSON(&b); err != nil {
		t.Fatal(err)
	}
	for _, w := range []string{`"dossier_log": {`, `"first_day": "2025-01-06"`, `"last_day": "2025-02-14"`, `"days": 40`, `"rows_used": 40`, `"rows_rejected": 0`} {
		if !strings.Contains(b.String(), w) {
			t.Errorf("load.json lacks %s", w)
		}
	}
	if got, want := log.Info().String(), "dossier log f.csv: 2025-01-06 to 2025-02-14 (40 days), 40 rows used, 0 rejected"; got != want {
		t.Errorf("Info: %q, want %q", got, want)
	}
}
