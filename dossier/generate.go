package dossier

import (
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/onestop/onestop/data"
	"github.com/onestop/onestop/data/csvsafe"
	"github.com/onestop/onestop/data/earth"
	"github.com/paulmach/orb"
)

// Where the generated log's dossiers are filed: most procedures are
// commune-level; land, construction and business registration go to the
// district branch, a few to the province center. The shares are those of
// the procedure mix.
const (
	ShareCommune  = 0.72
	ShareDistrict = 0.23
	ShareProvince = 0.05
)

// level is where a procedure is filed.
type level int

const (
	levelCommune level = iota
	levelDistrict
	levelProvince
)

// procedure is a high-volume procedure of the generated log.
type procedure struct {
	name   string
	level  level
	weight float64 // share within its level
	days   int     // working days to the due date; 0: the same day
}

// procedureMix is the mix of high-volume procedures: certification and
// civil status at communes, land, construction and business at districts.
// The shares and days are plausible, not legal processing times (see
// docs/dossiers.md).
func procedureMix() []procedure {
	return []procedure{
		{"Chứng thực bản sao từ bản chính", levelCommune, 40, 0},
		{"Chứng thực chữ ký", levelCommune, 10, 0},
		{"Đăng ký khai sinh", levelCommune, 12, 1},
		{"Đăng ký kết hôn", levelCommune, 4, 3},
		{"Đăng ký khai tử", levelCommune, 3, 1},
		{"Trích lục hộ tịch", levelCommune, 7, 1},
		{"Xác nhận tình trạng hôn nhân", levelCommune, 6, 3},
		{"Đăng ký thường trú", levelCommune, 8, 7},
		{"Đăng ký hộ kinh doanh", levelDistrict, 25, 3},
		{"Cấp giấy phép xây dựng", levelDistrict, 15, 15},
		{"Đất đai: đăng ký biến động", levelDistrict, 45, 10},
		{"Đất đai: cấp giấy chứng nhận quyền sử dụng đất", levelDistrict, 15, 30},
		{"Cấp phiếu lý lịch tư pháp", levelProvince, 60, 10},
		{"Đăng ký doanh nghiệp", levelProvince, 40, 3},
	}
}

// holidays are the public holidays of 2024 and early 2025 (dates, ICT) on
// which offices are closed; due dates skip them. Other years skip weekends
// only.
func holidays() map[[3]int]bool {
	h := map[[3]int]bool{}
	add := func(y, m, d0, d1 int) {
		for d := d0; d <= d1; d++ {
			h[[3]int{y, m, d}] = true
		}
	}
	add(2024, 1, 1, 1)
	add(2024, 2, 8, 14) // Tết Giáp Thìn
	add(2024, 4, 18, 18)
	add(2024, 4, 29, 30)
	add(2024, 5, 1, 1)
	add(2024, 9, 2, 3)
	add(2025, 1, 1, 1)
	add(2025, 1, 25, 31) // Tết Ất Tỵ
	add(2025, 2, 1, 2)
	return h
}

// maxGeneratedRows bounds a generated log (about 150 bytes a row in memory).
const maxGeneratedRows = 10_000_000

type genRecord struct {
	seq                int // generation order
	recv, ret, due     time.Time
	proc, office, comm string
	ch                 Channel
}

// GenerateLog writes a plausible sampled year of dossier log for ds, drawn
// from rng: each commune files population × per-capita rate × rates.Sample
// dossiers (the fraction rounded up with that probability), each with a
// procedure, a channel (rates.CounterShare at the counter, rates.PostalShare
// of the others by post), a time in office hours (online at any hour), a due
// date in working days and a return, late for a few. A commune-level
// dossier goes to the commune's one-stop office, a district-level one to the
// district's branch, a province-level one to the province center; where
// the dataset has no such office, to the commune's office, else the office
// nearest the commune. The same inputs and rng state give the same bytes.
// Aggregate it back with Log.CommuneRates(rates.Sample).
func GenerateLog(w io.Writer, ds *data.Dataset, year int, rng *rand.Rand, rates Rates) error {
	if err := rates.Validate(); err != nil {
		return err
	}
	if err := CheckYear(year); err != nil {
		return fmt.Errorf("generate dossier log: %w", err)
	}
	if len(ds.Offices) == 0 {
		return fmt.Errorf("generate dossier log: dataset %q has no offices to receive dossiers; fix: add an offices file", ds.Name)
	}
	// The rows are held in memory to sort them by time: bound them first.
	expected := 0.0
	for _, c := range ds.Communes {
		r, err := rates.PerCapita(c.Class)
		if err != nil {
			return fmt.Errorf("generate dossier log: commune %q: %w", c.Code, err)
		}
		expected += float64(c.Population) * r * rates.Sample
	}
	if !(expected <= maxGeneratedRows) {
		return fmt.Errorf("generate dossier log: about %.0f rows expected, more than %d; fix: lower the sample fraction (rates.Sample)", expected, maxGeneratedRows)
	}
	recs := drawLog(ds, year, rng, rates)
	// Commune codes, office ids and procedures come from editable files:
	// csvsafe keeps a value such as "=cmd()" text in a spreadsheet.
	cw := csvsafe.NewWriter(w)
	if err := cw.Write(LogHeader()); err != nil {
		return fmt.Errorf("generate dossier log: %w", err)
	}
	for i, g := range recs {
		ret := ""
		if !g.ret.IsZero() {
			ret = g.ret.Format(time.RFC3339)
		}
		if err := cw.Write([]string{
			fmt.Sprintf("HS%04d-%06d", year, i+1), g.proc, g.recv.Format(time.RFC3339), ret,
			g.due.Format(time.RFC3339), g.office, g.comm, string(g.ch),
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

// drawLog draws the records of GenerateLog, sorted by the time received.
func drawLog(ds *data.Dataset, year int, rng *rand.Rand, rates Rates) []genRecord {
	ict := ict()
	hol := holidays()
	working := func(t time.Time) bool {
		wd := t.Weekday()
		return wd != time.Saturday && wd != time.Sunday && !hol[[3]int{t.Year(), int(t.Month()), t.Day()}]
	}
	var days, workDays []time.Time
	for d := time.Date(year, 1, 1, 0, 0, 0, 0, ict); d.Year() == year; d = d.AddDate(0, 0, 1) {
		days = append(days, d)
		if working(d) {
			workDays = append(workDays, d)
		}
	}
	// demand swells before Tết and in the last months of the year
	monthWeight := [13]float64{0, 1.3, 0.7, 1, 1, 1, 0.95, 0.95, 1, 1, 1, 1.05, 1.15}
	weightOf := func(days []time.Time) []float64 {
		w := make([]float64, len(days))
		for i, d := range days {
			w[i] = monthWeight[d.Month()]
		}
		return w
	}
	dayW, workW := weightOf(days), weightOf(workDays)
	pickDay := func(from []time.Time, w []float64) time.Time {
		for {
			i := rng.IntN(len(from))
			if rng.Float64()*1.3 < w[i] {
				return from[i]
			}
		}
	}
	// counter hours 7:30–11:30 and 13:00–17:00, busiest mid-morning
	counterTime := func(d time.Time) time.Time {
		var m float64
		if rng.Float64() < 0.62 {
			m = 7.5*60 + 240*math.Min(1, math.Max(0, rng.NormFloat64()*0.25+0.4))
		} else {
			m = 13*60 + 240*rng.Float64()
		}
		return d.Add(time.Duration(int(m)) * time.Minute)
	}
	nextWorking := func(d time.Time) time.Time {
		for !working(d) {
			d = d.AddDate(0, 0, 1)
		}
		return d
	}
	addWorking := func(d time.Time, n int) time.Time {
		for n > 0 {
			d = d.AddDate(0, 0, 1)
			if working(d) {
				n--
			}
		}
		return d
	}
	byLevel := map[level][]procedure{}
	for _, p := range procedureMix() {
		byLevel[p.level] = append(byLevel[p.level], p)
	}
	pickProc := func(l level) procedure {
		ps := byLevel[l]
		sum := 0.0
		for _, p := range ps {
			sum += p.weight
		}
		x := rng.Float64() * sum
		for _, p := range ps {
			if x < p.weight {
				return p
			}
			x -= p.weight
		}
		return ps[len(ps)-1]
	}
	route := newLogRouting(ds)
	end := time.Date(year+1, 1, 1, 0, 0, 0, 0, ict)
	var out []genRecord
	for _, c := range ds.Communes {
		x := float64(c.Population) * rates.PerResident.For(c.Class) * rates.Sample
		n := int(x)
		if rng.Float64() < x-float64(n) {
			n++
		}
		for range n {
			var lv level
			switch u := rng.Float64(); {
			case u < ShareCommune:
				lv = levelCommune
			case u < ShareCommune+ShareDistrict:
				lv = levelDistrict
			default:
				lv = levelProvince
			}
			p := pickProc(lv)
			ch := Counter
			if rng.Float64() >= rates.CounterShare {
				ch = Online
				if rng.Float64() < rates.PostalShare {
					ch = Postal
				}
			}
			var recv time.Time
			if ch == Online {
				// filed from home, often in the evening; handled from the next working hour
				d := pickDay(days, dayW)
				recv = d.Add(time.Duration(6*60+rng.IntN(17*60)) * time.Minute)
			} else {
				recv = counterTime(pickDay(workDays, workW))
			}
			start := recv
			if !working(start) || start.Hour() >= 17 {
				start = nextWorking(time.Date(recv.Year(), recv.Month(), recv.Day()+1, 7, 30, 0, 0, ict))
			} else if start.Hour() < 7 {
				start = time.Date(start.Year(), start.Month(), start.Day(), 7, 30, 0, 0, ict)
			}
			// same-day procedures filed late in the afternoon are due the next day
			span := p.days
			if span == 0 && start.Hour() >= 15 {
				span = 1
			}
			startDay := time.Date(start.Year(), start.Month(), start.Day(), 0, 0, 0, 0, ict)
			dueDay := addWorking(startDay, span)
			due := dueDay.Add(16*time.Hour + 30*time.Minute)
			var ret time.Time
			if rng.Float64() < 0.06 {
				late := addWorking(dueDay, 1+rng.IntN(5))
				ret = late.Add(time.Duration(8*60+rng.IntN(8*60)) * time.Minute)
			} else {
				// on time: a working day up to the due day, in office hours
				day := addWorking(startDay, rng.IntN(span+1))
				ret = day.Add(time.Duration(8*60+rng.IntN(8*60+30)) * time.Minute)
				if ret.Before(start) {
					ret = start.Add(time.Duration(15+rng.IntN(75)) * time.Minute)
				}
				if ret.After(due) {
					ret = due
				}
			}
			if !ret.Before(end) {
				ret = time.Time{}
			}
			out = append(out, genRecord{
				seq: len(out), proc: p.name, recv: recv, ret: ret, due: due,
				office: route.office(c, lv), comm: c.Code, ch: ch,
			})
		}
	}
	// generation order breaks ties, so the sort is deterministic without
	// having to be stable
	slices.SortFunc(out, func(a, b genRecord) int {
		if c := a.recv.Compare(b.recv); c != 0 {
			return c
		}
		return a.seq - b.seq
	})
	return out
}

// logRouting finds the receiving office of a generated dossier; the first
// office of each kind wins.
type logRouting struct {
	offices []data.Office
	commune map[string]int // commune code → its one-stop office, else any office in it
	branch  map[string]int // district code → its branch
	center  int            // the province center; -1 without one
}

func newLogRouting(ds *data.Dataset) *logRouting {
	r := &logRouting{offices: ds.Offices, commune: map[string]int{}, branch: map[string]int{}, center: -1}
	district := make(map[string]string, len(ds.Communes))
	for _, c := range ds.Communes {
		district[c.Code] = c.District
	}
	for i, o := range ds.Offices {
		if j, ok := r.commune[o.Commune]; !ok || communeOffice(o.Kind) && !communeOffice(ds.Offices[j].Kind) {
			r.commune[o.Commune] = i
		}
		switch o.Kind {
		case data.Branch:
			if _, ok := r.branch[district[o.Commune]]; !ok {
				r.branch[district[o.Commune]] = i
			}
		case data.ProvinceCenter:
			if r.center < 0 {
				r.center = i
			}
		}
	}
	return r
}

// communeOffice tells whether the kind is a commune's own office: its
// one-stop department, or since July 2025 its service centre, which a
// reception point in the same commune must not displace.
func communeOffice(k data.OfficeKind) bool { return k == data.OneStop || k == data.CommuneCenter }

func (r *logRouting) office(c data.Commune, lv level) string {
	if i, ok := r.branch[c.District]; ok && lv == levelDistrict {
		return r.offices[i].ID
	}
	if lv == levelProvince && r.center >= 0 {
		return r.offices[r.center].ID
	}
	i, ok := r.commune[c.Code]
	if !ok {
		i = nearestOffice(r.offices, c)
		r.commune[c.Code] = i
	}
	return r.offices[i].ID
}

// nearestOffice is the index of the office nearest the commune's centre by
// straight line (ties to the lower index).
func nearestOffice(offices []data.Office, c data.Commune) int {
	lon, lat := communeCenter(c)
	best, bestKm := 0, math.Inf(1)
	for i, o := range offices {
		if d := earth.DistanceKm(orb.Point{lon, lat}, o.Location); d < bestKm {
			best, bestKm = i, d
		}
	}
	return best
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
