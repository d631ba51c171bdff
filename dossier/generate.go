package dossier

import (
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"sort"
	"time"

	"github.com/onestop/onestop/data"
	"github.com/onestop/onestop/data/csvsafe"
	"github.com/onestop/onestop/data/earth"
	"github.com/paulmach/orb"
)

// procedure is a high-volume commune-level procedure of the generated log,
// with an illustrative processing time in working days (0: same day).
type procedure struct {
	code   string
	weight float64
	days   int
}

// procedures are plausible commune-level procedures and shares for a demo
// log; they are not legal processing times (see docs/dossiers.md).
func procedureMix() []procedure {
	return []procedure{
		{"chung-thuc-ban-sao", 0.38, 0},           // certified copy
		{"chung-thuc-chu-ky", 0.10, 0},            // signature certification
		{"dang-ky-khai-sinh", 0.12, 0},            // birth registration
		{"dang-ky-ket-hon", 0.04, 0},              // marriage registration
		{"dang-ky-khai-tu", 0.03, 0},              // death registration
		{"xac-nhan-tinh-trang-hon-nhan", 0.08, 3}, // marital status certificate
		{"dang-ky-thuong-tru", 0.08, 7},           // permanent residence
		{"dang-ky-ho-kinh-doanh", 0.05, 3},        // business household
		{"dang-ky-bien-dong-dat-dai", 0.09, 10},   // land change registration
		{"cap-phep-xay-dung", 0.03, 15},           // construction permit
	}
}

// maxGeneratedRows bounds a generated log (about 150 bytes a row in memory).
const maxGeneratedRows = 10_000_000

type genRecord struct {
	recv, ret, due     time.Time
	proc, office, comm string
	ch                 Channel
}

// GenerateLog writes a plausible, seeded year of dossier log for ds: each
// commune files Poisson(population × per-capita rate × rates.Sample)
// dossiers; counter and postal dossiers arrive in opening hours following
// the default profile, online ones at any time; rates.BoundaryFree of them
// go to one of the three offices nearest the commune, the rest to the office
// in the commune (the nearest office when it has none). The same inputs and
// seed give the same bytes. Aggregate it back with Log.CommuneRates(rates.Sample).
func GenerateLog(w io.Writer, ds *data.Dataset, year int, seed int64, rates Rates) error {
	if err := rates.Validate(); err != nil {
		return err
	}
	if err := CheckYear(year); err != nil {
		return fmt.Errorf("generate dossier log: %w", err)
	}
	if len(ds.Offices) == 0 {
		return fmt.Errorf("generate dossier log: dataset %q has no offices to receive dossiers; fix: add an offices file", ds.Name)
	}
	cal, err := newCalendar(year, DefaultSchedule(), DefaultProfile())
	if err != nil {
		return err
	}
	// Cumulative open weight, to draw counter arrival times by inversion.
	cum := make([]float64, len(cal.segs))
	acc := 0.0
	for i, s := range cal.segs {
		acc += (s.end - s.start) * s.weight
		cum[i] = acc
	}
	procedures := procedureMix()
	procCum := make([]float64, len(procedures))
	acc = 0
	for i, p := range procedures {
		acc += p.weight
		procCum[i] = acc
	}
	loc := ict()
	jan1 := time.Date(year, time.January, 1, 0, 0, 0, 0, loc)
	yearMin := float64(time.Date(year+1, time.January, 1, 0, 0, 0, 0, loc).Sub(jan1) / time.Minute)

	communes := append([]data.Commune(nil), ds.Communes...)
	sort.Slice(communes, func(a, b int) bool { return communes[a].Code < communes[b].Code })
	// The rows are held in memory to sort them by time: bound them first.
	expected := 0.0
	for _, c := range communes {
		r, err := rates.PerCapita(c.Class)
		if err != nil {
			return fmt.Errorf("generate dossier log: commune %q: %w", c.Code, err)
		}
		expected += float64(c.Population) * r * rates.Sample
	}
	if !(expected <= maxGeneratedRows) {
		return fmt.Errorf("generate dossier log: about %.0f rows expected, more than %d; fix: lower the sample fraction (rates.Sample)", expected, maxGeneratedRows)
	}
	rng := rand.New(rand.NewPCG(uint64(seed), 0x6f6e6573746f70)) // "onestop"
	var recs []genRecord
	for _, c := range communes {
		r, err := rates.PerCapita(c.Class)
		if err != nil {
			return fmt.Errorf("generate dossier log: commune %q: %w", c.Code, err)
		}
		near := nearestOffices(ds.Offices, c, 3)
		home := near[0]
		for i, o := range ds.Offices {
			if o.Commune == c.Code && (ds.Offices[home].Commune != c.Code || o.ID < ds.Offices[home].ID) {
				home = i
			}
		}
		n := poisson(rng, float64(c.Population)*r*rates.Sample)
		for range n {
			g := genRecord{comm: c.Code, office: ds.Offices[home].ID}
			switch u := rng.Float64(); {
			case u < rates.CounterShare:
				g.ch = Counter
			case rng.Float64() < rates.PostalShare:
				g.ch = Postal
			default:
				g.ch = Online
			}
			if rng.Float64() < rates.BoundaryFree {
				g.office = ds.Offices[near[rng.IntN(len(near))]].ID
			}
			p := procedures[sort.SearchFloat64s(procCum, rng.Float64()*procCum[len(procCum)-1])]
			g.proc = p.code
			var m float64 // minutes after 1 January 00:00
			if g.ch == Online {
				m = rng.Float64() * yearMin
			} else {
				x := rng.Float64() * cum[len(cum)-1]
				i := sort.SearchFloat64s(cum, x)
				s := cal.segs[i]
				m = s.start + rng.Float64()*(s.end-s.start)
			}
			g.recv = jan1.Add(time.Duration(m) * time.Minute)
			d := g.recv
			for k := 0; k < p.days; {
				d = d.AddDate(0, 0, 1)
				if wd := d.Weekday(); wd != time.Saturday && wd != time.Sunday {
					k++
				}
			}
			g.due = time.Date(d.Year(), d.Month(), d.Day(), 17, 0, 0, 0, loc)
			if !g.due.After(g.recv) {
				g.due = g.recv.Add(4 * time.Hour)
			}
			switch u := rng.Float64(); {
			case u < 0.03: // still in process
			case u < 0.08: // overdue by an exponential number of days
				g.ret = g.due.Add(time.Duration((0.1 + rng.ExpFloat64()*2) * float64(24*time.Hour))).Truncate(time.Minute)
			default:
				g.ret = g.recv.Add(time.Duration(rng.Float64() * float64(g.due.Sub(g.recv)))).Truncate(time.Minute)
			}
			recs = append(recs, g)
		}
	}
	sort.SliceStable(recs, func(a, b int) bool { return recs[a].recv.Before(recs[b].recv) })
	// Commune codes, office ids and procedures come from editable files:
	// csvsafe keeps a value such as "=cmd()" text in a spreadsheet.
	cw := csvsafe.NewWriter(w)
	if err := cw.Write(LogHeader()); err != nil {
		return fmt.Errorf("generate dossier log: %w", err)
	}
	const layout = "2006-01-02 15:04"
	for i, g := range recs {
		ret := ""
		if !g.ret.IsZero() {
			ret = g.ret.Format(layout)
		}
		if err := cw.Write([]string{
			fmt.Sprintf("HS%d-%07d", year, i+1), g.proc, g.recv.Format(layout), ret,
			g.due.Format(layout), g.office, g.comm, string(g.ch),
		}); err != nil {
			return fmt.Errorf("generate dossier log: %w", err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("generate dossier log: %w", err)
	}
	return nil
}

// poisson draws a Poisson count: by multiplication for small means, by the
// normal approximation (error below 1% of the sd) for large ones.
func poisson(rng *rand.Rand, mean float64) int {
	if mean <= 0 {
		return 0
	}
	if mean < 30 {
		l, k, p := math.Exp(-mean), 0, 1.0
		for {
			p *= rng.Float64()
			if p <= l {
				return k
			}
			k++
		}
	}
	return max(0, int(math.Round(mean+math.Sqrt(mean)*rng.NormFloat64())))
}

// nearestOffices returns the indices of the k offices nearest the commune's
// centre by straight line, nearest first (ties to the lower index).
func nearestOffices(offices []data.Office, c data.Commune, k int) []int {
	lon, lat := communeCenter(c)
	idx := make([]int, len(offices))
	dist := make([]float64, len(offices))
	for i, o := range offices {
		idx[i] = i
		dist[i] = earth.DistanceKm(orb.Point{lon, lat}, o.Location)
	}
	sort.SliceStable(idx, func(a, b int) bool { return dist[idx[a]] < dist[idx[b]] })
	return idx[:min(k, len(idx))]
}

// communeCenter is the centre of the commune's bounding box.
func communeCenter(c data.Commune) (lon, lat float64) {
	minX, minY, maxX, maxY := c.Bound.Min[0], c.Bound.Min[1], c.Bound.Max[0], c.Bound.Max[1]
	if minX == 0 && maxX == 0 && minY == 0 && maxY == 0 {
		minX, minY, maxX, maxY = math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
		for _, poly := range c.Geometry {
			for _, ring := range poly {
				for _, p := range ring {
					minX, maxX = min(minX, p[0]), max(maxX, p[0])
					minY, maxY = min(minY, p[1]), max(maxY, p[1])
				}
			}
		}
		if math.IsInf(minX, 0) {
			return 0, 0
		}
	}
	return (minX + maxX) / 2, (minY + maxY) / 2
}
