package dossier

import (
	"context"
	"fmt"
	"math"

	"github.com/onestop/onestop/data"
	"github.com/onestop/onestop/optimize"
)

// Flag is the verdict on an office's load.
type Flag string

const (
	Overloaded Flag = "overloaded" // mean wait above target, or peak occupancy above the threshold
	Underused  Flag = "underused"  // fewer dossiers per staff member than the norm
	OK         Flag = "ok"
)

// Options configure the load check.
type Options struct {
	Queue          QueueModel
	WaitTargetMin  float64 // mean wait target per transaction, minutes
	MaxUtilisation float64 // peak-hour occupancy above which an office is overloaded
	// Norms override the pilot's productivity norms (Norm) per area class,
	// in dossiers per staff member per year; absent classes keep Norm.
	Norms map[data.AreaClass]float64
	// EstimateMissingStaff gives offices with 0 staff (unknown) the staff
	// the norm implies: max(1, floor(dossiers / norm)), at most MaxStaffPerOffice.
	EstimateMissingStaff bool
	// TotalStaff to rebalance; 0 keeps the current total.
	TotalStaff int
	// SkipSimulation judges waits by Erlang C alone (quick what-if runs).
	SkipSimulation bool
	// FixedCounters makes the rebalancing respect each office's counters
	// (staff beyond them cannot serve). By default the plan assumes a
	// counter desk follows each moved staff member, and reports the
	// counters to add.
	FixedCounters bool
	// Log summarises the dossier log the profile was measured from (set by
	// UseLog); load.json reports it. Nil without a log.
	Log *LogInfo
}

// DefaultOptions are the pilot's targets with the documented queue model.
func DefaultOptions(year int) Options {
	return Options{
		Queue:                DefaultQueueModel(year),
		WaitTargetMin:        15,
		MaxUtilisation:       0.85,
		EstimateMissingStaff: true,
	}
}

// OfficeLoad is the load check of one office, before and after rebalancing.
type OfficeLoad struct {
	ID              string
	Name            string
	Class           data.AreaClass
	Dossiers        int64 // per year, all channels
	CounterDossiers int64 // per year, at the counter
	BoundaryFree    int64 // of Dossiers, boundary-free dossiers attracted as nearest office
	Staff           int
	StaffEstimated  bool
	Counters        int // physical counters; 0 when unknown
	// Servers is staff on counter duty: the staff, capped by the counters when known.
	Servers        int
	PerStaff       float64 // Dossiers / Staff (0 without staff)
	Norm           float64 // dossiers per staff member per year for the class
	PeakPerHour    float64 // counter arrivals in the busiest hour
	Load           float64 // offered load at the peak hour, erlangs
	Utilisation    float64 // peak-hour occupancy Load / Servers
	PWait          float64 // Erlang C probability of waiting at the peak hour
	WaitErlangMin  float64 // Erlang C mean wait at the peak hour (+Inf when unstable)
	WaitSimMeanMin float64 // simulated mean wait over the year
	WaitSimP90Min  float64 // simulated 90th percentile wait
	SimArrivals    int64
	Flag           Flag
	MinStaff       int // fewest servers meeting the waiting target and occupancy threshold
	// CountersNeeded is how many counters to add: for every StaffAfter to
	// have one, or with FixedCounters for MinStaff to fit. 0 when counters
	// are unknown.
	CountersNeeded int
	// After rebalancing.
	StaffAfter, ServersAfter int
	UtilisationAfter,
	WaitErlangAfterMin float64
}

// Summary is the network-level result; the integrator puts it under "load"
// in summary.json.
type Summary struct {
	MaxUtilisation    float64 `json:"max_utilisation"`
	MeanWaitMin       float64 `json:"mean_wait_min"` // over all counter transactions of the year
	OfficesOverloaded int     `json:"offices_overloaded"`
	OfficesUnderused  int     `json:"offices_underused"`
	StaffMoves        int     `json:"staff_moves"` // staff changing office in the rebalancing plan
	Offices           int     `json:"offices"`
	Dossiers          int64   `json:"dossiers"`
	CounterDossiers   int64   `json:"counter_dossiers"`
	Staff             int     `json:"staff"`
	// After rebalancing (Erlang C at the peak hour).
	MaxUtilisationAfter  float64 `json:"max_utilisation_after"`
	MeetsWaitTargetAfter bool    `json:"meets_wait_target_after"`
	CountersNeeded       int     `json:"counters_needed"` // total over offices
}

// Result is the load check of a network.
type Result struct {
	Offices []OfficeLoad
	Moves   []Move
	Summary Summary
	Options Options
}

// CheckLoad checks the load of every open office of net (a network of ds):
// productivity against the norm of its area class, Erlang C at the peak
// hour, a simulated year, the flag, and a staff rebalancing plan. demand is
// indexed like net.Offices (from Assign).
func CheckLoad(ctx context.Context, ds *data.Dataset, net optimize.Network, demand []OfficeDemand, opt Options) (*Result, error) {
	r, err := resolve(ds, net)
	if err != nil {
		return nil, err
	}
	return checkLoad(ctx, r, demand, opt)
}

func checkLoad(ctx context.Context, net network, demand []OfficeDemand, opt Options) (*Result, error) {
	if err := net.validate(); err != nil {
		return nil, err
	}
	if len(demand) != len(net.Offices) {
		return nil, fmt.Errorf("load check: demand for %d offices, network has %d", len(demand), len(net.Offices))
	}
	if err := opt.Queue.validate(); err != nil {
		return nil, err
	}
	if err := opt.check(len(net.Offices)); err != nil {
		return nil, err
	}
	cal, err := newCalendar(opt.Queue.Year, opt.Queue.Hours, opt.Queue.Profile)
	if err != nil {
		return nil, err
	}
	svc := opt.Queue.ServiceMeanMin
	res := &Result{Offices: make([]OfficeLoad, len(net.Offices)), Options: opt}
	sims := make([]SimOffice, len(net.Offices))
	needs := make([]StaffNeed, len(net.Offices))
	totalStaff := 0
	for i, o := range net.Offices {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("load check: %w", err)
		}
		d := demand[i]
		if d.Total < 0 || d.Counter < 0 || d.Counter > d.Total {
			return nil, fmt.Errorf("load check: office %q has %d dossiers of which %d at the counter", o.ID, d.Total, d.Counter)
		}
		if d.Total > MaxDossiersPerOffice {
			return nil, fmt.Errorf("load check: office %q receives %d dossiers a year, more than the %d one office is checked for; fix: check the demand inputs (population, rates, dossier log sample)", o.ID, d.Total, MaxDossiersPerOffice)
		}
		norm := data.DefaultNorms().For(net.Class[i]) // the class is checked by Validate
		if v := opt.Norms[net.Class[i]]; v > 0 {
			norm = v
		}
		l := OfficeLoad{
			ID: o.ID, Name: o.Name, Class: net.Class[i],
			Dossiers: d.Total, CounterDossiers: d.Counter, BoundaryFree: d.BoundaryFree,
			Staff: o.Staff, Norm: norm,
		}
		if l.Staff == 0 && opt.EstimateMissingStaff {
			l.Staff = min(MaxStaffPerOffice, max(1, int(float64(d.Total)/norm)))
			l.StaffEstimated = true
		}
		if l.Staff > 0 {
			l.PerStaff = float64(d.Total) / float64(l.Staff)
		}
		l.Counters = max(0, o.Counters)
		l.Servers = l.Staff
		if l.Counters > 0 {
			l.Servers = min(l.Staff, l.Counters)
		}
		lambda := cal.peakPerMinute(float64(d.Counter))
		l.PeakPerHour = lambda * 60
		l.Load = lambda * svc
		l.Utilisation = occupancy(l.Load, l.Servers)
		l.PWait = ErlangC(l.Servers, l.Load)
		if l.Load == 0 {
			l.PWait = 0
		}
		l.WaitErlangMin = ErlangWait(l.Servers, l.Load, svc)
		l.MinStaff = MinServers(l.Load, svc, opt.WaitTargetMin, opt.MaxUtilisation)
		res.Offices[i] = l
		sims[i] = SimOffice{ID: o.ID, CounterDossiers: float64(d.Counter), Servers: l.Servers}
		needs[i] = StaffNeed{ID: o.ID, Staff: l.Staff, Load: l.Load, Min: l.MinStaff, Lon: o.Location[0], Lat: o.Location[1]}
		if opt.FixedCounters {
			needs[i].Counters = l.Counters
		}
		totalStaff += l.Staff
	}
	if !opt.SkipSimulation {
		out, err := opt.Queue.simulate(ctx, cal, sims)
		if err != nil {
			return nil, err
		}
		for i, r := range out {
			res.Offices[i].WaitSimMeanMin = r.MeanWaitMin
			res.Offices[i].WaitSimP90Min = r.P90WaitMin
			res.Offices[i].SimArrivals = r.Arrivals
		}
	}
	total := opt.TotalStaff
	if total == 0 {
		total = totalStaff
	}
	plan, err := rebalance(ctx, needs, total)
	if err != nil {
		return nil, fmt.Errorf("load check: %w", err)
	}
	res.Moves = plan.Moves
	s := &res.Summary
	s.Offices = len(net.Offices)
	s.Staff = totalStaff
	s.StaffMoves = plan.Moved
	s.MaxUtilisationAfter = plan.MaxUtilisation
	s.MeetsWaitTargetAfter = plan.MeetsTarget
	var waitSum float64
	var waitN int64
	for i := range res.Offices {
		l := &res.Offices[i]
		l.StaffAfter = plan.Staff[i]
		l.ServersAfter = l.StaffAfter
		switch {
		case l.Counters == 0:
		case opt.FixedCounters:
			l.ServersAfter = min(l.StaffAfter, l.Counters)
			l.CountersNeeded = max(0, l.MinStaff-l.Counters)
		default:
			l.CountersNeeded = max(0, l.StaffAfter-l.Counters)
		}
		l.UtilisationAfter = occupancy(l.Load, l.ServersAfter)
		l.WaitErlangAfterMin = ErlangWait(l.ServersAfter, l.Load, svc)
		wait := l.WaitErlangMin
		if !opt.SkipSimulation {
			wait = l.WaitSimMeanMin
			if l.SimArrivals > 0 {
				waitSum += l.WaitSimMeanMin * float64(l.SimArrivals)
				waitN += l.SimArrivals
			}
		} else if l.CounterDossiers > 0 {
			waitSum += l.WaitErlangMin * float64(l.CounterDossiers)
			waitN += l.CounterDossiers
		}
		switch {
		case (l.Servers == 0 && l.CounterDossiers > 0) || wait > opt.WaitTargetMin || l.Utilisation > opt.MaxUtilisation:
			l.Flag = Overloaded
			s.OfficesOverloaded++
		case l.PerStaff < l.Norm:
			l.Flag = Underused
			s.OfficesUnderused++
		default:
			l.Flag = OK
		}
		s.MaxUtilisation = max(s.MaxUtilisation, l.Utilisation)
		s.CountersNeeded += l.CountersNeeded
		s.Dossiers += l.Dossiers
		s.CounterDossiers += l.CounterDossiers
	}
	if waitN > 0 {
		s.MeanWaitMin = waitSum / float64(waitN)
	}
	return res, nil
}

// check validates the options that CheckLoad does not take from the queue
// model, for a network of n offices.
func (opt Options) check(n int) error {
	if err := CheckWaitTarget(opt.WaitTargetMin); err != nil {
		return fmt.Errorf("load check: %w", err)
	}
	// Below 1 % the threshold is a unit mistake (0.0085 for 0.85), and it
	// would ask for a hundred times the servers the load needs.
	if !(opt.MaxUtilisation >= minUtilisation && opt.MaxUtilisation <= 1) {
		return fmt.Errorf("load check: occupancy threshold %v; fix: give a share in [%g, 1], e.g. 0.85", opt.MaxUtilisation, minUtilisation)
	}
	for c, v := range opt.Norms {
		// 0 keeps the pilot's norm; anything else must be a usable divisor.
		if v != 0 && !(v > 0 && v <= maxNorm) {
			return fmt.Errorf("load check: norm %v dossiers per staff member for %s offices; fix: give a number in (0, %d], or 0 for the pilot's", v, c, maxNorm)
		}
	}
	if opt.TotalStaff < 0 || opt.TotalStaff > MaxStaffPerOffice*n {
		return fmt.Errorf("load check: total staff %d for %d offices; fix: give a count in [0, %d] (0 keeps the current total)", opt.TotalStaff, n, MaxStaffPerOffice*n)
	}
	return nil
}

const (
	// maxNorm bounds a productivity norm override: a hundred times the urban norm.
	maxNorm = 160_000
	// minUtilisation is the lowest occupancy threshold accepted.
	minUtilisation = 0.01
)

// occupancy is load per server; +Inf when there is load and no server.
func occupancy(load float64, staff int) float64 {
	if load == 0 {
		return 0
	}
	if staff == 0 {
		return math.Inf(1)
	}
	return load / float64(staff)
}

// UseLog replaces the default arrival profile by the one measured in a log.
func (o *Options) UseLog(l *Log) error {
	p, err := l.Profile(o.Queue.Hours)
	if err != nil {
		return err
	}
	o.Queue.Profile = p
	info := l.Info()
	o.Log = &info
	return nil
}
