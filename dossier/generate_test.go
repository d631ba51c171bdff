package dossier

import (
	"bytes"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/onestop/onestop/data"
)

func testDataset() *data.Dataset {
	box := func(lon, lat float64) (b struct{ Min, Max [2]float64 }) {
		b.Min, b.Max = [2]float64{lon - 0.02, lat - 0.02}, [2]float64{lon + 0.02, lat + 0.02}
		return b
	}
	ds := &data.Dataset{Name: "test"}
	for _, c := range []struct {
		code  string
		class data.AreaClass
		pop   int64
		lon   float64
		lat   float64
	}{
		{"A", data.Urban, 200000, 106.65, 10.98},
		{"B", data.Rural, 50000, 106.70, 11.00},
		{"C", data.Remote, 10000, 106.60, 11.30},
	} {
		b := box(c.lon, c.lat)
		cm := data.Commune{Code: c.code, Name: "Commune " + c.code, Class: c.class, Population: c.pop}
		cm.Bound.Min, cm.Bound.Max = b.Min, b.Max
		ds.Communes = append(ds.Communes, cm)
	}
	ds.Offices = []data.Office{
		{ID: "o1", Commune: "A", Location: [2]float64{106.65, 10.98}},
		{ID: "o2", Commune: "B", Location: [2]float64{106.70, 11.00}},
	}
	return ds
}

func seeded(seed int64) *rand.Rand { return rand.New(rand.NewPCG(uint64(seed), 0)) }

func TestGenerateLogDeterministic(t *testing.T) {
	ds := testDataset()
	gen := func(seed int64) []byte {
		var b bytes.Buffer
		if err := GenerateLog(&b, ds, 2025, seeded(seed), DefaultRates()); err != nil {
			t.Fatal(err)
		}
		return b.Bytes()
	}
	a, b, c := gen(3), gen(3), gen(4)
	if !bytes.Equal(a, b) {
		t.Error("same seed, different bytes")
	}
	if bytes.Equal(a, c) {
		t.Error("different seeds, same bytes")
	}
	if !strings.HasPrefix(string(a), header) {
		t.Errorf("log starts %q, want the header", string(a[:80]))
	}
	if err := GenerateLog(&bytes.Buffer{}, &data.Dataset{Communes: ds.Communes}, 2025, seeded(1), DefaultRates()); err == nil {
		t.Error("dataset without offices accepted")
	}
}

// TestGenerateLogRoundTrip loads a generated log back: no problems, yearly
// volumes per commune within 4 Poisson standard deviations of the rates, and
// counter arrivals in counter hours only.
func TestGenerateLogRoundTrip(t *testing.T) {
	ds := testDataset()
	rates := DefaultRates()
	rates.Sample = 0.05
	var b bytes.Buffer
	if err := GenerateLog(&b, ds, 2025, seeded(11), rates); err != nil {
		t.Fatal(err)
	}
	log, probs, err := LoadLog(fstest.MapFS{"g.csv": {Data: b.Bytes()}}, "g.csv", []string{"o1", "o2"}, []string{"A", "B", "C"})
	if err != nil || len(probs) != 0 {
		t.Fatalf("err %v, problems %v", err, probs)
	}
	cr, err := log.CommuneRates(rates.Sample)
	if err != nil {
		t.Fatal(err)
	}
	scale := 365 / float64(log.Days()) // annualisation applied by CommuneRates
	var counter int64
	for _, c := range ds.Communes {
		r, _ := rates.PerCapita(c.Class)
		mean := float64(c.Population) * r * rates.Sample
		got := cr[c.Code].PerYear * rates.Sample / scale // back to the sampled count
		if math.Abs(got-mean) > 4*math.Sqrt(mean) {
			t.Errorf("commune %s: %v sampled dossiers, want %v ± %v", c.Code, got, mean, 4*math.Sqrt(mean))
		}
		counter += log.ByCommune[c.Code].Counter
		share := cr[c.Code].CounterShare
		n := float64(log.ByCommune[c.Code].Total())
		if sd := math.Sqrt(rates.CounterShare * (1 - rates.CounterShare) / n); math.Abs(share-rates.CounterShare) > 5*sd {
			t.Errorf("commune %s counter share %v, want %v ± %v", c.Code, share, rates.CounterShare, 5*sd)
		}
	}
	// Counter dossiers arrive in counter hours on working days (7:30–11:30,
	// 13:00–17:00, Monday to Friday), busiest in the morning.
	var morning, afternoon int64
	for d := range log.Arrivals {
		for h, n := range log.Arrivals[d] {
			switch {
			case n == 0:
			case d == int(time.Saturday) || d == int(time.Sunday) || h < 7 || h == 12 || h >= 17:
				t.Errorf("%s %02dh: %d counter arrivals outside counter hours", time.Weekday(d), h, n)
			case h < 12:
				morning += n
			default:
				afternoon += n
			}
		}
	}
	if morning+afternoon != counter || morning <= afternoon {
		t.Errorf("%d counter arrivals in the morning, %d in the afternoon, of %d", morning, afternoon, counter)
	}
	if log.Overdue == 0 || log.Returned == 0 || log.Returned == int64(log.Rows) {
		t.Errorf("returned %d, overdue %d of %d: want some overdue and some in process", log.Returned, log.Overdue, log.Rows)
	}
}
