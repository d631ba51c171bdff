package dossier

import (
	"fmt"
	"math"
)

// The two load targets meet here (docs/optimize.md, "The two targets"):
// the productivity norm says how many staff a load justifies, the queue
// says how many counters it needs. This file turns the queue side into
// the numbers the optimizer works with — the fewest counters a load needs
// (QueueMinimum) and, the other way round, the most a point with s staffed
// counters can take (CapacityAt) — with exactly the computation CheckLoad
// uses for an office's MinStaff: the calendar's busiest hour
// (calendar.peakPerMinute), the mean service time, and MinServers with the
// wait target and the occupancy threshold.

// Queue is the peak-hour queue model of a run, prepared once: the opening
// calendar is laid over the year a single time, and every office's
// minimum and every premises' capacity then cost a few Erlang C sums.
type Queue struct {
	cal *calendar
	opt Options
}

// NewQueue prepares opt's queue model (year, opening hours, arrival
// profile, service time, wait target, occupancy threshold); the error
// names the bad value and the fix, as CheckLoad's would.
func NewQueue(opt Options) (*Queue, error) {
	if err := opt.Queue.validate(); err != nil {
		return nil, err
	}
	if err := opt.check(1); err != nil {
		return nil, err
	}
	cal, err := newCalendar(opt.Queue.Year, opt.Queue.Hours, opt.Queue.Profile)
	if err != nil {
		return nil, err
	}
	return &Queue{cal: cal, opt: opt}, nil
}

// load is the offered load in erlangs at the busiest hour for an office
// receiving counterDossiers a year at the counter, as CheckLoad computes it.
func (q *Queue) load(counterDossiers float64) float64 {
	return q.cal.peakPerMinute(counterDossiers) * q.opt.Queue.ServiceMeanMin
}

// Minimum is the fewest staffed counters keeping the mean peak-hour wait
// within the target and the peak occupancy within the threshold for
// counterDossiers a year at the counter: CheckLoad's MinStaff. It is 1
// for no load (an open point keeps one counter).
func (q *Queue) Minimum(counterDossiers float64) (int, error) {
	if !(counterDossiers >= 0) || math.IsInf(counterDossiers, 0) {
		return 0, fmt.Errorf("queue minimum: %v counter dossiers a year; fix: give a finite count >= 0", counterDossiers)
	}
	c := MinServers(q.load(counterDossiers), q.opt.Queue.ServiceMeanMin, q.opt.WaitTargetMin, q.opt.MaxOccupancy)
	if c == 0 {
		return 0, fmt.Errorf("queue minimum: no number of counters serves %.0f counter dossiers a year within %g min; fix: check the load and the wait target", counterDossiers, q.opt.WaitTargetMin)
	}
	return c, nil
}

// CapacityAt is the largest yearly counter load that servers staffed
// counters serve within the wait target at the busiest hour: the inverse
// of Minimum, so Minimum(CapacityAt(s)) <= s < Minimum(CapacityAt(s)+1).
// It grows with servers (0 for none).
func (q *Queue) CapacityAt(servers int) (float64, error) {
	if servers < 0 || servers > MaxStaffPerOffice {
		return 0, fmt.Errorf("capacity: %d counters; fix: give a count in [0, %d]", servers, MaxStaffPerOffice)
	}
	if servers == 0 {
		return 0, nil
	}
	perDossier := q.load(1) // erlangs per yearly counter dossier (linear)
	// The occupancy threshold alone caps the load below servers × threshold
	// erlangs: a bracket for the bisection, whose upper end is infeasible.
	lo, hi := 0.0, float64(servers)*q.opt.MaxOccupancy/perDossier*(1+1e-9)+1
	fits := func(d float64) bool {
		return MinServers(d*perDossier, q.opt.Queue.ServiceMeanMin, q.opt.WaitTargetMin, q.opt.MaxOccupancy) <= servers
	}
	// MinServers is monotone in the load, so bisection finds the boundary;
	// 200 halvings reach float64 resolution on any bracket.
	for k := 0; k < 200 && hi-lo > 1e-9*max(1, lo); k++ {
		mid := lo + (hi-lo)/2
		if fits(mid) {
			lo = mid
		} else {
			hi = mid
		}
	}
	return lo, nil
}

// QueueMinimum is Queue.Minimum for one load under opt.
func QueueMinimum(counterDossiers float64, opt Options) (int, error) {
	q, err := NewQueue(opt)
	if err != nil {
		return 0, err
	}
	return q.Minimum(counterDossiers)
}

// CapacityAt is Queue.CapacityAt for one count of counters under opt.
func CapacityAt(servers int, opt Options) (float64, error) {
	q, err := NewQueue(opt)
	if err != nil {
		return 0, err
	}
	return q.CapacityAt(servers)
}
