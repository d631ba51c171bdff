package demo

import (
	"math"
	"math/rand/v2"
	"slices"
	"time"
)

// The demo's dossier log is a seeded 1 % sample of one year (2024), drawn
// here rather than by package dossier because data may not import packages
// further along the flow. Its format is package dossier's (docs/dossiers.md).
const (
	logYear     = 2024
	logSample   = 0.01
	counterPart = 0.60 // dossier.DefaultRates().CounterShare
	postalPart  = 0.10 // of the non-counter dossiers
)

type level int

const (
	levelCommune level = iota
	levelDistrict
	levelProvince
)

type procedure struct {
	name   string
	level  level
	weight float64 // share within its level
	days   int     // working days to the due date; 0: the same day
}

// procedures is the mix of high-volume procedures: certification and civil
// status at communes, land, construction and business at districts.
func procedures() []procedure {
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
// which offices are closed; due dates skip them.
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

type dossierRecord struct {
	seq       int // generation order
	id        string
	procedure string
	received  time.Time
	returned  time.Time // zero while still in process at the end of the log
	due       time.Time
	office    string
	commune   string
	channel   string
}

// dossierLog draws the sampled year: per commune a seeded count from its
// residents and per-capita rate, each dossier with a procedure, a channel,
// a receiving office by level, a time in office hours (online at any hour),
// a due date in working days and a return that is late for a few.
func (pv *province) dossierLog(rng *rand.Rand) []dossierRecord {
	ict := time.FixedZone("ICT", 7*3600)
	hol := holidays()
	working := func(t time.Time) bool {
		wd := t.Weekday()
		return wd != time.Saturday && wd != time.Sunday && !hol[[3]int{t.Year(), int(t.Month()), t.Day()}]
	}
	var days, workDays []time.Time
	for d := time.Date(logYear, 1, 1, 0, 0, 0, 0, ict); d.Year() == logYear; d = d.AddDate(0, 0, 1) {
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
	procs := procedures()
	byLevel := map[level][]procedure{}
	for _, p := range procs {
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
	oneStop := map[int]string{}
	branch := map[int]string{}
	center := ""
	for _, o := range pv.offices {
		switch o.kind {
		case officeOneStop:
			oneStop[o.commune] = o.id
		case officeBranch:
			branch[pv.communes[o.commune].district] = o.id
		case officeProvince:
			center = o.id
		}
	}
	end := time.Date(logYear+1, 1, 1, 0, 0, 0, 0, ict)
	var out []dossierRecord
	for ci, c := range pv.communes {
		x := float64(c.pop) * perCapita(c.class) * logSample
		n := int(x)
		if rng.Float64() < x-float64(n) {
			n++
		}
		for k := 0; k < n; k++ {
			var lv level
			switch u := rng.Float64(); {
			case u < shareCommune:
				lv = levelCommune
			case u < shareCommune+shareDistrict:
				lv = levelDistrict
			default:
				lv = levelProvince
			}
			p := pickProc(lv)
			ch := "counter"
			if rng.Float64() >= counterPart {
				ch = "online"
				if rng.Float64() < postalPart {
					ch = "postal"
				}
			}
			var recv time.Time
			if ch == "online" {
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
			office := oneStop[ci]
			switch lv {
			case levelDistrict:
				office = branch[c.district]
			case levelProvince:
				office = center
			}
			out = append(out, dossierRecord{
				seq:       len(out),
				procedure: p.name, received: recv, returned: ret, due: due,
				office: office, commune: c.code, channel: ch,
			})
		}
	}
	// generation order breaks ties, so the sort is deterministic without
	// having to be stable
	slices.SortFunc(out, func(a, b dossierRecord) int {
		if c := a.received.Compare(b.received); c != 0 {
			return c
		}
		return a.seq - b.seq
	})
	for i := range out {
		out[i].id = "HS" + itoaPad(logYear, 4) + "-" + itoaPad(i+1, 6)
	}
	return out
}

func itoaPad(v, width int) string {
	b := make([]byte, width)
	for i := width - 1; i >= 0; i-- {
		b[i] = byte('0' + v%10)
		v /= 10
	}
	return string(b)
}
