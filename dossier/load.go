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

// An office can carry several flags (OfficeLoad.Flags); Flag is the
// headline: overloaded before underused before ok. Overloaded and Underused
// are the two measures the summary counts; Short and Inefficient compare
// the staff with the two staffing targets (docs/dossiers.md).
const (
	Overloaded  Flag = "overloaded"  // Erlang C mean wait at the peak hour above wait_target_min
	Underused   Flag = "underused"   // fewer dossiers per staff member than the norm (productivity_vs_norm < 1)
	Short       Flag = "short"       // fewer staff than the queue minimum (staff < queue_min)
	Inefficient Flag = "inefficient" // the queue minimum exceeds what the norm justifies (queue_min > staff_standard)
	OK          Flag = "ok"
)

// Options configure the load check.
type Options struct {
	Queue         QueueModel
	WaitTargetMin float64 // mean wait target per transaction, minutes
	// MaxOccupancy is the peak-hour counter occupancy the queue minimum
	// (MinStaff) keeps to, besides the waiting target.
	MaxOccupancy float64
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
	// MaxStaffPerPoint and MaxCountersPerPoint are every office's
	// premises (the scenario's max_staff_per_point and
	// max_counters_per_point; 0: no cap): the rebalancing places no office
	// above MaxStaffPerPoint staff nor above MaxCountersPerPoint serving
	// staff, and counts the staff it cannot place within them
	// (staff_unplaced) instead of exceeding them.
	MaxStaffPerPoint, MaxCountersPerPoint int
	// Log summarises the dossier log the profile was measured from (set by
	// UseLog); load.json reports it. Nil without a log.
	Log *LogInfo
}

// DefaultOptions are the pilot's targets with the documented queue model.
func DefaultOptions(year int) Options {
	return Options{
		Queue:                DefaultQueueModel(year),
		WaitTargetMin:        15,
		MaxOccupancy:         0.85,
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
	Servers int
	// LoadSource is where the office's dossiers come from (load_source).
	LoadSource Source
	PerStaff   float64 // Dossiers / Staff (0 without staff)
	Norm       float64 // dossiers per staff member per year for the class
	// ProductivityVsNorm is PerStaff / Norm (0 without staff): below 1 the
	// office is under-used. It is a staffing standard, not a ceiling.
	ProductivityVsNorm float64
	PeakPerHour        float64 // counter arrivals in the busiest hour
	Load               float64 // offered load at the peak hour, erlangs
	PeakOccupancy      float64 // peak-hour counter occupancy Load / Servers
	PWait              float64 // Erlang C probability of waiting at the peak hour
	WaitMin            float64 // Erlang C mean wait at the peak hour (+Inf when unstable)
	WaitSimMeanMin     float64 // simulated mean wait over the year
	WaitSimP90Min      float64 // simulated 90th percentile wait
	SimArrivals        int64
	Flag               Flag   // headline: overloaded, underused or ok
	Flags              []Flag // every flag that applies, in the order overloaded, short, inefficient, underused
	// MinStaff is the queue minimum (queue_min): the fewest servers meeting
	// the waiting target and occupancy threshold at the peak hour.
	MinStaff int
	// StaffStandard is the staff the productivity norm justifies
	// (staff_standard): floor(Dossiers / Norm).
	StaffStandard int
	// CountersNeeded is how many counters to add: for every StaffAfter to
	// have one, or with FixedCounters for MinStaff to fit. 0 when counters
	// are unknown.
	CountersNeeded int
	// After rebalancing.
	StaffAfter, ServersAfter int
	PeakOccupancyAfter,
	WaitAfterMin float64
}

// Summary is the network-level result; the integrator puts it under "load"
// (and "load_before") in summary.json. docs/dossiers.md lists its keys.
type Summary struct {
	MaxPeakOccupancy float64 `json:"max_peak_occupancy"`
	MeanWaitMin      float64 `json:"mean_wait_min"` // over all counter transactions of the year
	// OfficesOverloaded counts offices whose peak-hour wait breaches the
	// target; OfficesUnderused those below the productivity norm (an
	// office can be both). Short and inefficient compare staff with the
	// two staffing targets.
	OfficesOverloaded  int `json:"offices_overloaded"`
	OfficesUnderused   int `json:"offices_underused"`
	OfficesShort       int `json:"offices_short"`
	OfficesInefficient int `json:"offices_inefficient"`
	// OfficesBySource counts offices by load_source.
	OfficesBySource map[string]int `json:"offices_by_source"`
	StaffMoves      int            `json:"staff_moves"` // staff changing office in the rebalancing plan
	Offices         int            `json:"offices"`
	Dossiers        int64          `json:"dossiers"`
	CounterDossiers int64          `json:"counter_dossiers"`
	// StaffNeeded is Σ queue_min, StaffJustified Σ max(queue_min,
	// staff_standard), StaffAvailable Σ staff.
	StaffNeeded    int `json:"staff_needed"`
	StaffJustified int `json:"staff_justified"`
	StaffAvailable int `json:"staff_available"`
	// After rebalancing (Erlang C at the peak hour).
	MaxPeakOccupancyAfter float64 `json:"max_peak_occupancy_after"`
	MeetsWaitTargetAfter  bool    `json:"meets_wait_target_after"`
	CountersNeeded        int     `json:"counters_needed"` // total over offices
	// StaffUnplaced is the staff the rebalancing could place at no office
	// within the premises caps (max_staff_per_point, and
	// max_counters_per_point for staff who would serve): Σ staff_after +
	// staff_unplaced = staff_available. 0 without caps.
	StaffUnplaced int `json:"staff_unplaced"`
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
			Staff: o.Staff, Norm: norm, LoadSource: d.Source,
			StaffStandard: int(float64(d.Total) / norm),
		}
		if l.Staff == 0 && opt.EstimateMissingStaff {
			l.Staff = min(MaxStaffPerOffice, max(1, int(float64(d.Total)/norm)))
			l.StaffEstimated = true
		}
		if l.Staff > 0 {
			l.PerStaff = float64(d.Total) / float64(l.Staff)
			l.ProductivityVsNorm = l.PerStaff / norm
		}
		l.Counters = max(0, o.Counters)
		l.Servers = l.Staff
		if l.Counters > 0 {
			l.Servers = min(l.Staff, l.Counters)
		}
		lambda := cal.peakPerMinute(float64(d.Counter))
		l.PeakPerHour = lambda * 60
		l.Load = lambda * svc
		l.PeakOccupancy = occupancy(l.Load, l.Servers)
		l.PWait = ErlangC(l.Servers, l.Load)
		if l.Load == 0 {
			l.PWait = 0
		}
		l.WaitMin = ErlangWait(l.Servers, l.Load, svc)
		l.MinStaff = MinServers(l.Load, svc, opt.WaitTargetMin, opt.MaxOccupancy)
		res.Offices[i] = l
		sims[i] = SimOffice{ID: o.ID, CounterDossiers: float64(d.Counter), Servers: l.Servers}
		needs[i] = StaffNeed{ID: o.ID, Staff: l.Staff, Load: l.Load, Min: l.MinStaff, Lon: o.Location[0], Lat: o.Location[1], MaxStaff: opt.MaxStaffPerPoint}
		if opt.FixedCounters {
			needs[i].Counters = l.Counters
		}
		if k := opt.MaxCountersPerPoint; k > 0 {
			// Staff beyond the premises' counters cannot serve: the
			// rebalancing sends none there for the queue's sake.
			needs[i].Counters = k
			if opt.FixedCounters && l.Counters > 0 {
				needs[i].Counters = min(k, l.Counters)
			}
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
	s.StaffAvailable = totalStaff
	s.StaffMoves = plan.Moved
	s.MaxPeakOccupancyAfter = plan.MaxOccupancy
	s.OfficesBySource = map[string]int{}
	s.MeetsWaitTargetAfter = plan.MeetsTarget
	s.StaffUnplaced = plan.Unplaced
	var waitSum float64
	var waitN int64
	for i := range res.Offices {
		l := &res.Offices[i]
		l.StaffAfter = plan.Staff[i]
		l.ServersAfter = l.StaffAfter
		if k := opt.MaxCountersPerPoint; k > 0 {
			l.ServersAfter = min(l.ServersAfter, k) // the premises' counters
		}
		switch {
		case l.Counters == 0:
		case opt.FixedCounters:
			l.ServersAfter = min(l.ServersAfter, l.Counters)
			l.CountersNeeded = max(0, l.MinStaff-l.Counters)
		default:
			l.CountersNeeded = max(0, l.ServersAfter-l.Counters)
		}
		l.PeakOccupancyAfter = occupancy(l.Load, l.ServersAfter)
		l.WaitAfterMin = ErlangWait(l.ServersAfter, l.Load, svc)
		if !opt.SkipSimulation {
			if l.SimArrivals > 0 {
				waitSum += l.WaitSimMeanMin * float64(l.SimArrivals)
				waitN += l.SimArrivals
			}
		} else if l.CounterDossiers > 0 {
			waitSum += l.WaitMin * float64(l.CounterDossiers)
			waitN += l.CounterDossiers
		}
		l.flag(opt.WaitTargetMin)
		for _, f := range l.Flags {
			switch f {
			case Overloaded:
				s.OfficesOverloaded++
			case Underused:
				s.OfficesUnderused++
			case Short:
				s.OfficesShort++
			case Inefficient:
				s.OfficesInefficient++
			}
		}
		s.OfficesBySource[l.LoadSource.String()]++
		s.StaffNeeded += l.MinStaff
		s.StaffJustified += max(l.MinStaff, l.StaffStandard)
		s.MaxPeakOccupancy = max(s.MaxPeakOccupancy, l.PeakOccupancy)
		s.CountersNeeded += l.CountersNeeded
		s.Dossiers += l.Dossiers
		s.CounterDossiers += l.CounterDossiers
	}
	if waitN > 0 {
		s.MeanWaitMin = waitSum / float64(waitN)
	}
	return res, nil
}

// flag sets the office's flags and headline. The two measures stay apart:
// overloaded is a service verdict (the Erlang C mean wait at the peak hour,
// +Inf when load meets no server, breaches target), underused a
// productivity one (fewer dossiers per staff member than the norm); short
// and inefficient compare the staff with the queue minimum and the norm's
// standard.
func (l *OfficeLoad) flag(target float64) {
	l.Flags = l.Flags[:0]
	if l.WaitMin > target {
		l.Flags = append(l.Flags, Overloaded)
	}
	if l.Staff < l.MinStaff {
		l.Flags = append(l.Flags, Short)
	}
	if l.MinStaff > l.StaffStandard {
		l.Flags = append(l.Flags, Inefficient)
	}
	underused := l.Staff > 0 && l.PerStaff < l.Norm
	if underused {
		l.Flags = append(l.Flags, Underused)
	}
	switch {
	case l.WaitMin > target:
		l.Flag = Overloaded
	case underused:
		l.Flag = Underused
	default:
		l.Flag = OK
	}
}

// check validates the options that CheckLoad does not take from the queue
// model, for a network of n offices.
func (opt Options) check(n int) error {
	if err := CheckWaitTarget(opt.WaitTargetMin); err != nil {
		return fmt.Errorf("load check: %w", err)
	}
	// Below 1 % the threshold is a unit mistake (0.0085 for 0.85), and it
	// would ask for a hundred times the servers the load needs.
	if !(opt.MaxOccupancy >= minOccupancy && opt.MaxOccupancy <= 1) {
		return fmt.Errorf("load check: occupancy threshold %v; fix: give a share in [%g, 1], e.g. 0.85", opt.MaxOccupancy, minOccupancy)
	}
	for c, v := range opt.Norms {
		// 0 keeps the pilot's norm; anything else must be a usable divisor.
		if v != 0 && !(v > 0 && v <= maxNorm) {
			return fmt.Errorf("load check: norm %v dossiers per staff member for %s offices; fix: give a number in (0, %d], or 0 for the pilot's", v, c, maxNorm)
		}
	}
	if opt.MaxStaffPerPoint < 0 || opt.MaxStaffPerPoint > MaxStaffPerOffice || opt.MaxCountersPerPoint < 0 || opt.MaxCountersPerPoint > MaxCountersPerOffice {
		return fmt.Errorf("load check: premises caps of %d staff and %d counters a point; fix: give max_staff_per_point in [0, %d] and max_counters_per_point in [0, %d] (0: no cap)", opt.MaxStaffPerPoint, opt.MaxCountersPerPoint, MaxStaffPerOffice, MaxCountersPerOffice)
	}
	if opt.TotalStaff < 0 || opt.TotalStaff > MaxStaffPerOffice*n {
		return fmt.Errorf("load check: total staff %d for %d offices; fix: give a count in [0, %d] (0 keeps the current total)", opt.TotalStaff, n, MaxStaffPerOffice*n)
	}
	return nil
}

const (
	// maxNorm bounds a productivity norm override: a hundred times the urban norm.
	maxNorm = 160_000
	// minOccupancy is the lowest occupancy threshold accepted.
	minOccupancy = 0.01
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
