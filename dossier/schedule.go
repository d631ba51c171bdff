package dossier

import (
	"fmt"
	"math"
	"time"
)

// Interval is an opening period of one day, in minutes after midnight, [Start, End).
type Interval struct {
	Start, End int
}

// Schedule is the weekly opening hours of every office, indexed by time.Weekday.
type Schedule struct {
	Days [7][]Interval
}

// hm converts a clock time to minutes after midnight.
func hm(h, m int) int { return h*60 + m }

// DefaultSchedule is the usual one-stop opening: Monday to Friday
// 7:30–11:30 and 13:00–17:00, Saturday morning 7:30–11:30.
func DefaultSchedule() Schedule {
	var s Schedule
	weekday := []Interval{{hm(7, 30), hm(11, 30)}, {hm(13, 0), hm(17, 0)}}
	for d := time.Monday; d <= time.Friday; d++ {
		s.Days[d] = weekday
	}
	s.Days[time.Saturday] = []Interval{{hm(7, 30), hm(11, 30)}}
	return s
}

// Validate checks that intervals lie within the day, are non-empty, sorted and disjoint.
func (s Schedule) Validate() error {
	open := 0
	for d, ivs := range s.Days {
		prev := 0
		for i, iv := range ivs {
			if iv.Start < prev || iv.End <= iv.Start || iv.End > 24*60 {
				return fmt.Errorf("opening hours: %s interval %d (%s–%s) must be non-empty, within 00:00–24:00, sorted and not overlapping",
					time.Weekday(d), i+1, clock(iv.Start), clock(iv.End))
			}
			prev = iv.End
			open += iv.End - iv.Start
		}
	}
	if open == 0 {
		return fmt.Errorf("opening hours: offices are never open; fix: give at least one interval")
	}
	return nil
}

// OpenMinutes is how many minutes of hour h (0–23) the offices are open on weekday d.
func (s Schedule) OpenMinutes(d time.Weekday, h int) int {
	lo, hi := h*60, h*60+60
	n := 0
	for _, iv := range s.Days[d] {
		n += max(0, min(hi, iv.End)-max(lo, iv.Start))
	}
	return n
}

func clock(m int) string { return fmt.Sprintf("%02d:%02d", m/60, m%60) }

// Profile is the relative arrival intensity per open minute by weekday
// (indexed by time.Weekday) and hour of day. Only ratios matter.
type Profile struct {
	Weight [7][24]float64
}

// DefaultProfile is an assumed typical counter profile: a morning peak around
// 9:00, a smaller afternoon one, Mondays busiest and Saturdays quieter.
// A dossier log replaces it with the measured profile (see Log.Profile).
func DefaultProfile() Profile {
	day := map[time.Weekday]float64{
		time.Monday: 1.15, time.Tuesday: 1, time.Wednesday: 1, time.Thursday: 1,
		time.Friday: 0.95, time.Saturday: 0.8,
	}
	hour := map[int]float64{7: 1, 8: 1.35, 9: 1.45, 10: 1.25, 11: 0.8, 13: 0.85, 14: 1.1, 15: 1, 16: 0.7}
	var p Profile
	for d, f := range day {
		for h, g := range hour {
			p.Weight[d][h] = f * g
		}
	}
	return p
}

// Validate checks that weights are finite, non-negative and that some open hour gets arrivals.
func (p Profile) Validate(s Schedule) error {
	ok := false
	for d := range p.Weight {
		for h, w := range p.Weight[d] {
			if math.IsNaN(w) || math.IsInf(w, 0) || w < 0 {
				return fmt.Errorf("arrival profile: %s %02d:00 has weight %v; fix: use a finite value >= 0", time.Weekday(d), h, w)
			}
			if w > 0 && s.OpenMinutes(time.Weekday(d), h) > 0 {
				ok = true
			}
		}
	}
	if !ok {
		return fmt.Errorf("arrival profile: no arrivals during opening hours; fix: give a positive weight to at least one open hour")
	}
	return nil
}

// segment is a stretch of opening time with constant arrival intensity, in
// minutes from 00:00 on 1 January of the simulated year.
type segment struct {
	start, end float64
	weight     float64
}

// calendar is a year of opening segments; arrival rate in a segment is
// annual * weight / total.
type calendar struct {
	segs      []segment
	total     float64 // sum of (end-start)*weight: annual dossiers per unit rate
	peak      float64 // highest weight of an open minute
	openHours float64
}

// newCalendar lays the weekly schedule and profile over every day of year.
// Public holidays are not modelled (see docs/dossiers.md).
func newCalendar(year int, s Schedule, p Profile) (*calendar, error) {
	if err := s.Validate(); err != nil {
		return nil, err
	}
	if err := p.Validate(s); err != nil {
		return nil, err
	}
	c := &calendar{}
	day := time.Date(year, time.January, 1, 0, 0, 0, 0, time.UTC)
	for i := 0; day.Year() == year; i, day = i+1, day.AddDate(0, 0, 1) {
		base := float64(i * 24 * 60)
		wd := day.Weekday()
		for _, iv := range s.Days[wd] {
			// Split the interval at hour boundaries, where the weight changes.
			for t := iv.Start; t < iv.End; {
				h := t / 60
				end := min(iv.End, (h+1)*60)
				w := p.Weight[wd][h]
				c.openHours += float64(end-t) / 60
				if w > 0 {
					if n := len(c.segs); n > 0 && c.segs[n-1].end == base+float64(t) && c.segs[n-1].weight == w {
						c.segs[n-1].end = base + float64(end)
					} else {
						c.segs = append(c.segs, segment{base + float64(t), base + float64(end), w})
					}
					c.total += float64(end-t) * w
					c.peak = max(c.peak, w)
				}
				t = end
			}
		}
	}
	return c, nil
}

// peakPerMinute is the arrival rate (per minute) in the busiest hour for an
// office receiving annual counter dossiers a year.
func (c *calendar) peakPerMinute(annual float64) float64 {
	return annual * c.peak / c.total
}
