// Package scenario reads scenario.yaml: which dataset, which network state
// (phase 1, 2, 3 or reception), the access rule, the travel profile, the optimizer's
// scope and the dossier parameters of one `onestop plan` run.
// Every key is documented in docs/scenario.md.
package scenario

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/onestop/onestop/coverage"
	"github.com/onestop/onestop/data"
	"github.com/onestop/onestop/optimize"
	"gopkg.in/yaml.v3"
)

// Scenario is one planning run.
type Scenario struct {
	Name     string   `yaml:"name"`
	Dataset  string   `yaml:"dataset"` // dataset.yaml path relative to the scenario file, or "demo"
	Phase    Phase    `yaml:"phase"`   // 1, 2, 3 or reception
	Rule     Rule     `yaml:"rule"`
	H3Res    int      `yaml:"h3_resolution"`
	Travel   Travel   `yaml:"travel"`
	Optimize Optimize `yaml:"optimize"`
	Dossiers Dossiers `yaml:"dossiers"`
	Report   Report   `yaml:"report"`
	Seed     int64    `yaml:"seed"`

	// Dir is the directory of the scenario file; relative paths resolve against it.
	Dir string `yaml:"-"`
}

// Phase is the network state a scenario plans: the pilot's phases 1, 2
// and 3, or Reception (`phase: reception`), the two-tier scenario that keeps
// every commune centre and adds the fewest reception points
// (docs/reception.md). It reads from YAML as a number or that word.
type Phase int

// Reception is `phase: reception`. Its value is outside 1..3 and cannot be
// written as a number: `phase: 4` is refused, not read as reception.
const Reception Phase = 4

// String is the phase as scenario.yaml writes it.
func (p Phase) String() string {
	if p == Reception {
		return "reception"
	}
	return strconv.Itoa(int(p))
}

// UnmarshalYAML reads 1, 2, 3 or reception.
func (p *Phase) UnmarshalYAML(n *yaml.Node) error {
	var s string
	if err := n.Decode(&s); err != nil {
		return fmt.Errorf("line %d: phase: %w", n.Line, err)
	}
	s = strings.TrimSpace(s)
	if strings.EqualFold(s, "reception") {
		*p = Reception
		return nil
	}
	v, err := strconv.Atoi(s)
	if err != nil || v < 1 || v > 3 {
		return fmt.Errorf("line %d: phase: %q is not 1, 2, 3 or reception (fix: see docs/scenario.md)", n.Line, s)
	}
	*p = Phase(v)
	return nil
}

// MarshalYAML writes the phase back as scenario.yaml spells it.
func (p Phase) MarshalYAML() (any, error) {
	if p == Reception {
		return "reception", nil
	}
	return int(p), nil
}

// Rule is the access rule: covered within Minutes of travel or Km straight line.
type Rule struct {
	Minutes float64 `yaml:"minutes"`
	Km      float64 `yaml:"km"`
	Mode    string  `yaml:"mode"` // any | all
}

// Travel sets the travel model; absent keys keep coverage.DefaultTravel.
type Travel struct {
	Circuity  float64            `yaml:"circuity"`
	SpeedsKmh map[string]float64 `yaml:"speeds_kmh"` // urban|rural|remote -> km/h (straight-line model)
	AccessKmh float64            `yaml:"access_kmh"` // off-road leg to the nearest road node (road model)
	MaxSnapM  float64            `yaml:"max_snap_m"`
}

// Optimize configures phase 3.
type Optimize struct {
	Model       string  `yaml:"model"` // consolidate | lscp | mclp | pmedian
	P           int     `yaml:"p"`
	Scope       string  `yaml:"scope"` // scope expression, see docs/optimize.md
	Candidates  string  `yaml:"candidates"`
	TargetShare float64 `yaml:"target_share"`
	// TimeLimit is the safety limit around the search; Work is the
	// search's budget, which gives the same plan on any machine.
	TimeLimit Duration `yaml:"time_limit"`
	Work      int64    `yaml:"work"`
	// MaxStaffPerPoint caps the staff one service point can host and
	// MaxCountersPerPoint its counters (premises); a point staffs at most
	// the smaller of the two set ones, and its capacity is the counter load
	// they serve within dossiers.wait_target_min at the peak hour
	// (docs/optimize.md). 0 leaves that limit off.
	MaxStaffPerPoint    int `yaml:"max_staff_per_point"`
	MaxCountersPerPoint int `yaml:"max_counters_per_point"`
	// CandidateResolution is the H3 resolution of the generated grid
	// candidates (0: 8) and CandidateSpacingM the least distance between
	// generated candidates (0: 250 m): coarser candidates trade plan
	// quality for memory (docs/optimize.md "Candidate density").
	CandidateResolution int     `yaml:"candidate_resolution"`
	CandidateSpacingM   float64 `yaml:"candidate_spacing_m"`
	// CountersFixed says an existing office's premises cannot be
	// extended: with a premises cap, its capacity uses its own counters
	// (offices.counters) when they are fewer than max_counters_per_point,
	// and the load check's rebalancing respects them. false: today's
	// counters can be raised to the premises limit.
	CountersFixed bool   `yaml:"counters_fixed"`
	ExportLP      string `yaml:"export_lp"` // CPLEX-LP file written into the output directory
	// Uncoverable says what to do with residents no candidate can cover
	// under the rule: fail (default) or exclude them and plan the rest.
	Uncoverable string `yaml:"uncoverable"`
	// ForceOpen lists candidate ids (existing offices or the planner's own
	// sites) that every plan must keep open.
	ForceOpen []string `yaml:"force_open"`
	// Curve also traces points against coverage and mean minutes
	// (plan.json "curve"), up to CurveMax points (0: until everyone
	// coverable is covered).
	Curve    bool `yaml:"curve"`
	CurveMax int  `yaml:"curve_max"`
}

// Dossiers configures the operational check.
type Dossiers struct {
	BoundaryFreeShare float64            `yaml:"boundary_free_share"`
	Norms             map[string]float64 `yaml:"norms"` // urban|rural|remote -> dossiers per staff per year
	WaitTargetMin     float64            `yaml:"wait_target_min"`
	Rates             map[string]float64 `yaml:"rates"`      // urban|rural|remote -> dossiers per resident per year
	Log               string             `yaml:"log"`        // dossier log CSV overriding the dataset's
	LogSample         float64            `yaml:"log_sample"` // fraction of all dossiers that log holds (default 1)
	// Growth multiplies the yearly dossier demand (population growth
	// what-if); 1 keeps today's demand.
	Growth float64 `yaml:"growth"`
}

// Report configures the HTML report.
type Report struct {
	Lang string `yaml:"lang"` // vi | en
}

// Duration reads "30s", "2m" or a number of seconds.
type Duration struct{ time.Duration }

func (d *Duration) UnmarshalYAML(n *yaml.Node) error {
	var s string
	if err := n.Decode(&s); err != nil {
		return err
	}
	if v, err := time.ParseDuration(s); err == nil {
		d.Duration = v
		return nil
	}
	secs, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil {
		return fmt.Errorf("line %d: %q is not a duration (e.g. 30s, 2m)", n.Line, s)
	}
	// time.Duration holds about 292 years; beyond, or NaN, the conversion
	// would wrap to a meaningless (often negative) limit.
	if math.IsNaN(secs) || math.Abs(secs) > MaxTimeLimit.Seconds()*10 {
		return fmt.Errorf("line %d: %q seconds is not a usable duration (e.g. 30s, 2m)", n.Line, s)
	}
	d.Duration = time.Duration(secs * float64(time.Second))
	return nil
}

// Default is the scenario used when a key is absent.
func Default() Scenario {
	t := coverage.DefaultTravel()
	norms := data.DefaultNorms()
	return Scenario{
		Name:    "phase 3",
		Dataset: "demo",
		Phase:   3,
		Rule:    Rule{Minutes: 30, Km: 5, Mode: "any"},
		H3Res:   9,
		Travel: Travel{Circuity: t.Circuity, AccessKmh: t.AccessKmh, MaxSnapM: t.SnapMeters,
			SpeedsKmh: map[string]float64{string(data.Urban): t.Kmh.Urban, string(data.Rural): t.Kmh.Rural, string(data.Remote): t.Kmh.Remote}},
		Optimize: Optimize{Model: "consolidate", TargetShare: 1, TimeLimit: Duration{DefaultTimeLimit}, Work: optimize.DefaultWork, Uncoverable: UncoverableFail},
		Dossiers: Dossiers{
			BoundaryFreeShare: 0.3,
			Norms: map[string]float64{string(data.Urban): norms.Urban, string(data.Rural): norms.Rural,
				string(data.Remote): norms.Remote},
			WaitTargetMin: 15,
			LogSample:     1,
			Growth:        1,
		},
		Report: Report{Lang: "vi"},
		Seed:   1,
	}
}

// Load reads a scenario file over the defaults and checks it.
func Load(path string) (*Scenario, error) {
	// Through data.ReadInput: a FIFO or /dev/zero named by mistake is
	// refused instead of hanging the run or filling memory.
	b, err := data.ReadInput(path, data.InputLimit(data.MaxConfigBytes))
	if err != nil {
		return nil, fmt.Errorf("scenario: %w", err)
	}
	s, err := Parse(b, path)
	if err != nil {
		return nil, err
	}
	s.Dir = filepath.Dir(path)
	return s, nil
}

// Parse reads scenario YAML (name is used in messages) over the defaults.
func Parse(b []byte, name string) (*Scenario, error) {
	s := Default()
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(&s); err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("%s: %w (fix: see docs/scenario.md for the accepted keys)", name, err)
	}
	if err := s.check(); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return &s, nil
}

// check range-checks every value with the functions the command-line flags
// use (check.go), so both accept exactly the same values.
func (s *Scenario) check() error {
	var errs []string
	add := func(err error) {
		if err != nil {
			errs = append(errs, err.Error())
		}
	}
	if (s.Phase < 1 || s.Phase > 3) && s.Phase != Reception {
		errs = append(errs, fmt.Sprintf("phase: %d is not 1, 2, 3 or reception", int(s.Phase)))
	}
	if s.Phase == Reception && s.Optimize.Model != "consolidate" && s.Optimize.Model != "lscp" {
		errs = append(errs, fmt.Sprintf("optimize.model: %q cannot plan reception points; use lscp (fewest points) or consolidate (fewest points, then least travel)", s.Optimize.Model))
	}
	add(CheckRule(s.Rule.Minutes, s.Rule.Km, s.Rule.Mode, Keys))
	add(CheckResolution(s.H3Res, Keys))
	for k := range s.Travel.SpeedsKmh {
		if !slices.Contains(areaClasses(), k) {
			errs = append(errs, fmt.Sprintf("travel.speeds_kmh: unknown area class %q (urban, rural, remote)", k))
		}
	}
	add(CheckTravel(s.Travel.Model(), Keys))
	switch s.Optimize.Model {
	case "consolidate", "lscp", "mclp", "pmedian":
	default:
		errs = append(errs, fmt.Sprintf("optimize.model: %q is not consolidate, lscp, mclp or pmedian", s.Optimize.Model))
	}
	o := s.Optimize
	add(CheckOptimize(OptimizeValues{Model: o.Model, P: o.P, TargetShare: o.TargetShare, TimeLimit: o.TimeLimit.Duration, Work: o.Work,
		MaxStaffPerPoint: o.MaxStaffPerPoint, MaxCountersPerPoint: o.MaxCountersPerPoint, CurveMax: o.CurveMax, Uncoverable: o.Uncoverable, ForceOpen: o.ForceOpen,
		CandidateResolution: o.CandidateResolution, CandidateSpacingM: o.CandidateSpacingM}, Keys))
	add(CheckDossiers(s.Dossiers, Keys))
	if s.Report.Lang != "vi" && s.Report.Lang != "en" {
		errs = append(errs, fmt.Sprintf("report.lang: %q is not vi or en", s.Report.Lang))
	}
	if len(errs) > 0 {
		return errors.New(strings.Join(errs, "; ") + " (fix: see docs/scenario.md for each key's accepted range)")
	}
	return nil
}

// Model is the travel model settings these keys give.
func (t Travel) Model() coverage.Travel {
	return coverage.Travel{
		Kmh:      data.ByClass[float64]{Urban: t.SpeedsKmh[string(data.Urban)], Rural: t.SpeedsKmh[string(data.Rural)], Remote: t.SpeedsKmh[string(data.Remote)]},
		Circuity: t.Circuity, AccessKmh: t.AccessKmh, SnapMeters: t.MaxSnapM,
	}
}

// Resolve makes a path of the scenario file relative to its directory.
func (s *Scenario) Resolve(p string) string {
	if p == "" || filepath.IsAbs(p) {
		return p
	}
	return filepath.Join(s.Dir, p)
}

// DatasetPath resolves the dataset reference against the scenario's directory.
func (s *Scenario) DatasetPath() string {
	if s.Dataset == "demo" || s.Dataset == "" || filepath.IsAbs(s.Dataset) {
		if s.Dataset == "" {
			return "demo"
		}
		return s.Dataset
	}
	return filepath.Join(s.Dir, s.Dataset)
}
