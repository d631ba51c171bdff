package dossier

import (
	"math"
	"strings"
	"testing"
	"time"
)

func TestOpenMinutes(t *testing.T) {
	s := DefaultSchedule()
	tests := []struct {
		d    time.Weekday
		h    int
		want int
	}{
		{time.Monday, 7, 30}, // opens 7:30
		{time.Monday, 8, 60},
		{time.Monday, 11, 30}, // closes 11:30
		{time.Monday, 12, 0},  // lunch
		{time.Monday, 16, 60},
		{time.Monday, 17, 0},
		{time.Saturday, 9, 60},
		{time.Saturday, 14, 0}, // Saturday morning only
		{time.Sunday, 9, 0},
	}
	for _, tc := range tests {
		if got := s.OpenMinutes(tc.d, tc.h); got != tc.want {
			t.Errorf("%s %dh: %d open minutes, want %d", tc.d, tc.h, got, tc.want)
		}
	}
}

// TestCalendar2025 checks the year's opening time and peak against a hand count:
// 2025 starts on a Wednesday, so it has 261 weekdays and 52 Saturdays.
func TestCalendar2025(t *testing.T) {
	c, err := newCalendar(2025, DefaultSchedule(), DefaultProfile())
	if err != nil {
		t.Fatal(err)
	}
	if want := 261*8 + 52*4.0; c.openHours != want {
		t.Errorf("%v open hours, want %v", c.openHours, want)
	}
	if want := 1.15 * 1.45; math.Abs(c.peak-want) > 1e-12 {
		t.Errorf("peak weight %v, want Monday 9h = %v", c.peak, want)
	}
	// With a flat profile the peak rate is the mean rate over opening hours.
	f, err := newCalendar(2025, DefaultSchedule(), flatProfile())
	if err != nil {
		t.Fatal(err)
	}
	if got, want := f.peakPerMinute(2296*60), 1.0; math.Abs(got-want) > 1e-12 {
		t.Errorf("flat profile: peak %v per minute, want %v", got, want)
	}
	var sum float64
	for _, s := range c.segs {
		sum += (s.end - s.start) * s.weight
		if s.end <= s.start {
			t.Fatalf("empty segment %+v", s)
		}
	}
	if math.Abs(sum-c.total) > 1e-6 {
		t.Errorf("segments sum %v, total %v", sum, c.total)
	}
}

func TestScheduleValidate(t *testing.T) {
	tests := []struct {
		name string
		ivs  []Interval
		want string
	}{
		{"ok", []Interval{{450, 690}, {780, 1020}}, ""},
		{"reversed", []Interval{{600, 500}}, "Monday interval 1 (10:00–08:20)"},
		{"overlap", []Interval{{450, 700}, {690, 800}}, "interval 2"},
		{"past midnight", []Interval{{1380, 1500}}, "within 00:00–24:00"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var s Schedule
			s.Days[time.Monday] = tc.ivs
			err := s.Validate()
			if (tc.want == "") != (err == nil) || (err != nil && !strings.Contains(err.Error(), tc.want)) {
				t.Errorf("err %v, want %q", err, tc.want)
			}
		})
	}
	var p Profile
	if err := p.Validate(DefaultSchedule()); err == nil {
		t.Error("all-zero profile accepted")
	}
	p = DefaultProfile()
	p.Weight[time.Monday][9] = -1
	if err := p.Validate(DefaultSchedule()); err == nil || !strings.Contains(err.Error(), "Monday 09:00") {
		t.Errorf("negative weight: %v", err)
	}
}
