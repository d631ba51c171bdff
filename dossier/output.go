package dossier

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/onestop/onestop/data/csvsafe"
)

// csvHeader is load.csv's header: the required columns, then extras.
// docs/dossiers.md describes each.
const csvHeader = "office,dossiers,staff,per_staff,norm,productivity_vs_norm,peak_occupancy," +
	"wait_min,wait_sim_mean_min,wait_sim_p90_min,flag," +
	"name,class,load_source,counter_dossiers,boundary_free,staff_estimated," +
	"peak_per_hour,load_erlangs,p_wait,queue_min,staff_standard,flags,staff_after," +
	"peak_occupancy_after,wait_after_min,counters,servers,counters_needed,servers_after"

// num is a float written with 4 decimals, and as null (JSON) or "inf"
// (CSV) when infinite, which JSON cannot represent.
type num float64

func (x num) MarshalJSON() ([]byte, error) {
	f := float64(x)
	if math.IsInf(f, 0) || math.IsNaN(f) {
		return []byte("null"), nil
	}
	return []byte(x.String()), nil
}

func (x num) String() string {
	f := float64(x)
	switch {
	case math.IsInf(f, 1):
		return "inf"
	case math.IsInf(f, -1), math.IsNaN(f):
		return "nan"
	}
	s := strconv.FormatFloat(math.Round(f*1e4)/1e4, 'f', -1, 64)
	if s == "-0" {
		s = "0"
	}
	return s
}

// MarshalJSON writes infinite values (an office with load and no staff) as null.
func (s Summary) MarshalJSON() ([]byte, error) {
	by := s.OfficesBySource
	if by == nil {
		by = map[string]int{}
	}
	return json.Marshal(struct {
		MaxPeakOccupancy      num            `json:"max_peak_occupancy"`
		MeanWaitMin           num            `json:"mean_wait_min"`
		OfficesOverloaded     int            `json:"offices_overloaded"`
		OfficesUnderused      int            `json:"offices_underused"`
		OfficesShort          int            `json:"offices_short"`
		OfficesInefficient    int            `json:"offices_inefficient"`
		OfficesBySource       map[string]int `json:"offices_by_source"`
		StaffMoves            int            `json:"staff_moves"`
		Offices               int            `json:"offices"`
		Dossiers              int64          `json:"dossiers"`
		CounterDossiers       int64          `json:"counter_dossiers"`
		StaffNeeded           int            `json:"staff_needed"`
		StaffJustified        int            `json:"staff_justified"`
		StaffAvailable        int            `json:"staff_available"`
		MaxPeakOccupancyAfter num            `json:"max_peak_occupancy_after"`
		MeetsWaitTargetAfter  bool           `json:"meets_wait_target_after"`
		CountersNeeded        int            `json:"counters_needed"`
		StaffUnplaced         int            `json:"staff_unplaced"`
	}{num(s.MaxPeakOccupancy), num(s.MeanWaitMin), s.OfficesOverloaded, s.OfficesUnderused, s.OfficesShort,
		s.OfficesInefficient, by, s.StaffMoves, s.Offices, s.Dossiers, s.CounterDossiers,
		s.StaffNeeded, s.StaffJustified, s.StaffAvailable, num(s.MaxPeakOccupancyAfter), s.MeetsWaitTargetAfter,
		s.CountersNeeded, s.StaffUnplaced})
}

type officeJSON struct {
	Office             string `json:"office"`
	Name               string `json:"name"`
	Class              string `json:"class"`
	LoadSource         string `json:"load_source"`
	Dossiers           int64  `json:"dossiers"`
	CounterDossiers    int64  `json:"counter_dossiers"`
	BoundaryFree       int64  `json:"boundary_free"`
	Staff              int    `json:"staff"`
	StaffEstimated     bool   `json:"staff_estimated"`
	PerStaff           num    `json:"per_staff"`
	Norm               num    `json:"norm"`
	ProductivityVsNorm num    `json:"productivity_vs_norm"`
	PeakPerHour        num    `json:"peak_per_hour"`
	Load               num    `json:"load_erlangs"`
	PeakOccupancy      num    `json:"peak_occupancy"`
	PWait              num    `json:"p_wait"`
	WaitMin            num    `json:"wait_min"`
	WaitSimMeanMin     num    `json:"wait_sim_mean_min"`
	WaitSimP90Min      num    `json:"wait_sim_p90_min"`
	SimArrivals        int64  `json:"sim_arrivals"`
	Flag               Flag   `json:"flag"`
	Flags              []Flag `json:"flags"`
	QueueMin           int    `json:"queue_min"`
	StaffStandard      int    `json:"staff_standard"`
	StaffAfter         int    `json:"staff_after"`
	PeakOccupancyAfter num    `json:"peak_occupancy_after"`
	WaitAfterMin       num    `json:"wait_after_min"`
	Counters           int    `json:"counters"`
	Servers            int    `json:"servers"`
	CountersNeeded     int    `json:"counters_needed"`
	ServersAfter       int    `json:"servers_after"`
}

type assumptionsJSON struct {
	Year           int        `json:"year"`
	ServiceMeanMin num        `json:"service_mean_min"`
	ServiceCV      num        `json:"service_cv"`
	ServiceDist    string     `json:"service_distribution"`
	WaitTargetMin  num        `json:"wait_target_min"`
	MaxOccupancy   num        `json:"max_occupancy"`
	Seed           int64      `json:"seed"`
	Simulated      bool       `json:"simulated"`
	OpeningHours   [][]string `json:"opening_hours"` // per weekday, Sunday first
	PeakHour       string     `json:"peak_hour"`
	DossierLog     *LogInfo   `json:"dossier_log,omitempty"` // the log the profile and volumes were measured from
}

// checkNaN refuses a result holding NaN: it has no meaning in a table
// (unlike +Inf, an office with load and no staff), so it can only come from
// an input that escaped validation, and writing "nan" or null would pass a
// wrong number on silently.
func (r *Result) checkNaN() error {
	s := r.Summary
	for _, f := range []struct {
		name string
		v    float64
	}{{"max_peak_occupancy", s.MaxPeakOccupancy}, {"mean_wait_min", s.MeanWaitMin}, {"max_peak_occupancy_after", s.MaxPeakOccupancyAfter}} {
		if math.IsNaN(f.v) {
			return fmt.Errorf("summary %s is NaN; fix: check the inputs of the load check", f.name)
		}
	}
	for _, l := range r.Offices {
		for _, f := range []struct {
			name string
			v    float64
		}{
			{"per_staff", l.PerStaff}, {"norm", l.Norm}, {"productivity_vs_norm", l.ProductivityVsNorm},
			{"peak_per_hour", l.PeakPerHour}, {"load_erlangs", l.Load},
			{"peak_occupancy", l.PeakOccupancy}, {"p_wait", l.PWait}, {"wait_min", l.WaitMin},
			{"wait_sim_mean_min", l.WaitSimMeanMin}, {"wait_sim_p90_min", l.WaitSimP90Min},
			{"peak_occupancy_after", l.PeakOccupancyAfter}, {"wait_after_min", l.WaitAfterMin},
		} {
			if math.IsNaN(f.v) {
				return fmt.Errorf("office %q: %s is NaN; fix: check the office's inputs (staff, counters, demand)", l.ID, f.name)
			}
		}
	}
	return nil
}

// WriteJSON writes load.json: summary, assumptions, offices (network order) and moves.
func (r *Result) WriteJSON(w io.Writer) error {
	if err := r.checkNaN(); err != nil {
		return err
	}
	q := r.Options.Queue
	a := assumptionsJSON{
		Year: q.Year, ServiceMeanMin: num(q.ServiceMeanMin), ServiceCV: num(q.ServiceCV), ServiceDist: "lognormal",
		WaitTargetMin: num(r.Options.WaitTargetMin), MaxOccupancy: num(r.Options.MaxOccupancy),
		Seed: q.Seed, Simulated: !r.Options.SkipSimulation, DossierLog: r.Options.Log,
	}
	if q.Exponential {
		a.ServiceDist, a.ServiceCV = "exponential", 1
	}
	for _, ivs := range q.Hours.Days {
		day := []string{}
		for _, iv := range ivs {
			day = append(day, clock(iv.Start)+"-"+clock(iv.End))
		}
		a.OpeningHours = append(a.OpeningHours, day)
	}
	if d, h, ok := q.Profile.Peak(q.Hours); ok {
		a.PeakHour = fmt.Sprintf("%s %02d:00", d, h)
	}
	offices := make([]officeJSON, len(r.Offices))
	for i, l := range r.Offices {
		flags := l.Flags
		if flags == nil {
			flags = []Flag{}
		}
		offices[i] = officeJSON{
			Office: l.ID, Name: l.Name, Class: string(l.Class), LoadSource: l.LoadSource.String(),
			Dossiers: l.Dossiers, CounterDossiers: l.CounterDossiers,
			BoundaryFree: l.BoundaryFree, Staff: l.Staff, StaffEstimated: l.StaffEstimated, PerStaff: num(l.PerStaff),
			Norm: num(l.Norm), ProductivityVsNorm: num(l.ProductivityVsNorm), PeakPerHour: num(l.PeakPerHour),
			Load: num(l.Load), PeakOccupancy: num(l.PeakOccupancy),
			PWait: num(l.PWait), WaitMin: num(l.WaitMin), WaitSimMeanMin: num(l.WaitSimMeanMin),
			WaitSimP90Min: num(l.WaitSimP90Min), SimArrivals: l.SimArrivals, Flag: l.Flag, Flags: flags,
			QueueMin: l.MinStaff, StaffStandard: l.StaffStandard,
			StaffAfter: l.StaffAfter, PeakOccupancyAfter: num(l.PeakOccupancyAfter), WaitAfterMin: num(l.WaitAfterMin),
			Counters: l.Counters, Servers: l.Servers, CountersNeeded: l.CountersNeeded, ServersAfter: l.ServersAfter,
		}
	}
	moves := r.Moves
	if moves == nil {
		moves = []Move{}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(struct {
		Summary     Summary         `json:"summary"`
		Assumptions assumptionsJSON `json:"assumptions"`
		Offices     []officeJSON    `json:"offices"`
		Moves       []Move          `json:"moves"`
	}{r.Summary, a, offices, moves})
}

// WriteCSV writes load.csv, one row per office in network order.
// Names are written through csvsafe, so an office named "=cmd()" stays
// text in a spreadsheet.
func (r *Result) WriteCSV(w io.Writer) error {
	if err := r.checkNaN(); err != nil {
		return err
	}
	cw := csvsafe.NewWriter(w)
	if err := cw.Write(strings.Split(csvHeader, ",")); err != nil {
		return err
	}
	for _, l := range r.Offices {
		flags := make([]string, len(l.Flags))
		for k, f := range l.Flags {
			flags[k] = string(f)
		}
		rec := []string{
			l.ID, strconv.FormatInt(l.Dossiers, 10), strconv.Itoa(l.Staff), num(l.PerStaff).String(),
			num(l.Norm).String(), num(l.ProductivityVsNorm).String(), num(l.PeakOccupancy).String(), num(l.WaitMin).String(),
			num(l.WaitSimMeanMin).String(), num(l.WaitSimP90Min).String(), string(l.Flag),
			l.Name, string(l.Class), l.LoadSource.String(), strconv.FormatInt(l.CounterDossiers, 10), strconv.FormatInt(l.BoundaryFree, 10),
			strconv.FormatBool(l.StaffEstimated), num(l.PeakPerHour).String(), num(l.Load).String(),
			num(l.PWait).String(), strconv.Itoa(l.MinStaff), strconv.Itoa(l.StaffStandard), strings.Join(flags, ";"),
			strconv.Itoa(l.StaffAfter), num(l.PeakOccupancyAfter).String(), num(l.WaitAfterMin).String(),
			strconv.Itoa(l.Counters), strconv.Itoa(l.Servers), strconv.Itoa(l.CountersNeeded), strconv.Itoa(l.ServersAfter),
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// Output file names, the keys of Result.Files.
const (
	LoadJSON = "load.json"
	LoadCSV  = "load.csv"
)

// Files returns the encoders of the load check's outputs by file name:
// load.json and load.csv. The caller decides where and how they are written.
func (r *Result) Files() map[string]func(io.Writer) error {
	return map[string]func(io.Writer) error{LoadJSON: r.WriteJSON, LoadCSV: r.WriteCSV}
}

// Peak is the open weekday and hour with the highest arrival intensity (the
// first in week order Sunday..Saturday on ties); ok is false without one.
func (p Profile) Peak(s Schedule) (d time.Weekday, h int, ok bool) {
	best := 0.0
	for wd := range p.Weight {
		for hr, w := range p.Weight[wd] {
			if w > best && s.OpenMinutes(time.Weekday(wd), hr) > 0 {
				best, d, h, ok = w, time.Weekday(wd), hr, true
			}
		}
	}
	return d, h, ok
}
