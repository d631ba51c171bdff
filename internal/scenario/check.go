package scenario

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/onestop/onestop/coverage"
	"github.com/onestop/onestop/data"
	"github.com/onestop/onestop/dossier"
)

// The accepted range of every value is defined once, here, and checked by
// the same functions whether the value comes from scenario.yaml or from a
// command-line flag, so a value one path refuses the other cannot accept.
// Callers name the values the way the user typed them through Names.

// Names turns a scenario key ("rule.minutes") into the name the user typed:
// the key itself for scenario.yaml, the flag ("--minutes") on the command
// line.
type Names func(key string) string

// Keys names values by their scenario.yaml key.
func Keys(key string) string { return key }

// Bound is the accepted range of a numeric value: Lo..Hi, Lo excluded when
// LoOpen. NaN and infinities are never accepted.
type Bound struct {
	Lo, Hi float64
	LoOpen bool
}

// Contains reports whether v is a finite number within the bound.
func (b Bound) Contains(v float64) bool {
	if math.IsNaN(v) || math.IsInf(v, 0) || v > b.Hi {
		return false
	}
	if b.LoOpen {
		return v > b.Lo
	}
	return v >= b.Lo
}

func (b Bound) String() string {
	open := "["
	if b.LoOpen {
		open = "("
	}
	return open + num(b.Lo) + ", " + num(b.Hi) + "]"
}

func num(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

// Area classes keyed in speeds, norms and rates.
func areaClasses() []string {
	return []string{string(data.Urban), string(data.Rural), string(data.Remote)}
}

// Bounds of the integer-valued and limit keys.
const (
	MinH3Res, MaxH3Res  = 5, 11 // coarser cells are larger than a commune; finer ones than any population raster
	MaxP                = 100_000
	MaxStaffPerPoint    = 10_000
	MaxCountersPerPoint = 10_000 // dossier.MaxCountersPerOffice
	MaxTimeLimit        = 7 * 24 * time.Hour
	// DefaultTimeLimit is a safety limit, far above what the default work
	// budget takes, so the budget, not the clock, ends a default search.
	DefaultTimeLimit = 10 * time.Minute
	MaxWork          = 1_000_000_000 // millions of work units
	MaxGrowth        = 10            // dossiers.growth: largest demand multiplier
)

// BoundOf is the accepted range of a numeric scenario key; per-class keys
// (travel.speeds_kmh.urban) share their map's bound. ok is false for a key
// that is not numeric.
func BoundOf(key string) (b Bound, ok bool) {
	if i := strings.LastIndexByte(key, '.'); i > 0 && slices.Contains(areaClasses(), key[i+1:]) {
		key = key[:i]
	}
	switch key {
	case "rule.minutes":
		return Bound{Lo: 0, Hi: 24 * 60}, true
	case "rule.km":
		return Bound{Lo: 0, Hi: 1000}, true
	case "h3_resolution":
		return Bound{Lo: MinH3Res, Hi: MaxH3Res}, true
	case "travel.circuity":
		// Roads are never shorter than the straight line; 5 is already a
		// mountain track.
		return Bound{Lo: 1, Hi: 5}, true
	case "travel.speeds_kmh":
		return Bound{Lo: 0, Hi: 200, LoOpen: true}, true
	case "travel.access_kmh":
		return Bound{Lo: 0, Hi: 100, LoOpen: true}, true
	case "travel.max_snap_m":
		return Bound{Lo: 0, Hi: 100_000, LoOpen: true}, true
	case "optimize.p", "optimize.curve_max":
		return Bound{Lo: 0, Hi: MaxP}, true
	case "optimize.target_share":
		return Bound{Lo: 0, Hi: 1, LoOpen: true}, true
	case "optimize.time_limit": // seconds
		return Bound{Lo: 0, Hi: MaxTimeLimit.Seconds(), LoOpen: true}, true
	case "optimize.work":
		return Bound{Lo: 1, Hi: MaxWork}, true
	case "optimize.max_staff_per_point":
		return Bound{Lo: 0, Hi: MaxStaffPerPoint}, true
	case "optimize.max_counters_per_point":
		return Bound{Lo: 0, Hi: MaxCountersPerPoint}, true
	case "optimize.search_minutes":
		return Bound{Lo: 0, Hi: 24 * 60}, true
	case "optimize.candidate_resolution": // 0: the default (8); never finer than the cells (checked by the run)
		return Bound{Lo: 0, Hi: 15}, true
	case "optimize.candidate_spacing_m": // 0: the default (250 m)
		return Bound{Lo: 0, Hi: 50_000}, true
	// The dossier engine owns its parameters' ranges (dossier/params.go);
	// these are the same numbers, so the simulate flags and scenario.yaml
	// accept exactly the same values.
	case "dossiers.boundary_free_share":
		return Bound{Lo: 0, Hi: 1}, true
	case "dossiers.norms":
		return Bound{Lo: 0, Hi: 100_000, LoOpen: true}, true
	case "dossiers.wait_target_min":
		return Bound{Lo: 0, Hi: dossier.MaxWaitTargetMin, LoOpen: true}, true
	case "dossiers.rates":
		return Bound{Lo: 0, Hi: dossier.MaxPerCapita}, true
	case "dossiers.log_sample":
		return Bound{Lo: 0, Hi: 1, LoOpen: true}, true
	case "dossiers.growth":
		// A multiplier on today's demand: tenfold is already far beyond any
		// planning horizon, and 0 would plan for no dossiers at all.
		return Bound{Lo: 0, Hi: MaxGrowth, LoOpen: true}, true
	}
	return Bound{}, false
}

// checker collects every problem of one group, so one run reports them all.
type checker struct {
	name Names
	errs []string
}

func (c *checker) addf(format string, a ...any) { c.errs = append(c.errs, fmt.Sprintf(format, a...)) }

// num checks v against key's bound.
func (c *checker) num(key string, v float64) {
	b, ok := BoundOf(key)
	if !ok {
		panic("scenario: no bound for " + key) // a programming error: every checked key has one
	}
	if !b.Contains(v) {
		c.addf("%s: %s is not in the accepted range %s", c.name(key), num(v), b)
	}
}

func (c *checker) oneOf(key, v string, allowed ...string) {
	if !slices.Contains(allowed, v) {
		c.addf("%s: %q is not %s", c.name(key), v, strings.Join(allowed, " or "))
	}
}

// classes checks a per-area-class map: known classes, each value in range.
func (c *checker) classes(key string, m map[string]float64) {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	slices.Sort(ks) // one message order for one input
	for _, k := range ks {
		if !slices.Contains(areaClasses(), k) {
			c.addf("%s: unknown area class %q (urban, rural, remote)", c.name(key), k)
			continue
		}
		c.num(key+"."+k, m[k])
	}
}

// ids checks a list of ids for empty and repeated entries (a repeat is
// most often a typo for another id).
func (c *checker) ids(key string, ids []string) {
	seen := map[string]bool{}
	for _, id := range ids {
		switch {
		case strings.TrimSpace(id) == "":
			c.addf("%s: an empty id; fix: list candidate ids, e.g. [25741, my-site-1]", c.name(key))
		case seen[id]:
			c.addf("%s: %q is listed twice", c.name(key), id)
		}
		seen[id] = true
	}
}

func (c *checker) err() error {
	if len(c.errs) == 0 {
		return nil
	}
	return fmt.Errorf("%s", strings.Join(c.errs, "; "))
}

// CheckValue checks one numeric value against its key's bound, for a flag
// that belongs to no group checked as a whole.
func CheckValue(key string, v float64, name Names) error {
	c := checker{name: name}
	c.num(key, v)
	return c.err()
}

// CheckRule checks the access rule: minutes and km within their bounds and
// not both 0 (nothing would be covered), mode any or all.
func CheckRule(minutes, km float64, mode string, name Names) error {
	c := checker{name: name}
	c.num("rule.minutes", minutes)
	c.num("rule.km", km)
	if minutes == 0 && km == 0 {
		c.addf("%s and %s: both 0 covers no one; give at least one threshold above 0", name("rule.minutes"), name("rule.km"))
	}
	c.oneOf("rule.mode", mode, "any", "all")
	return c.err()
}

// CheckResolution checks the H3 resolution of the population cells.
func CheckResolution(res int, name Names) error {
	return CheckValue("h3_resolution", float64(res), name)
}

// CheckTravel checks the travel model's speeds and factors.
func CheckTravel(t coverage.Travel, name Names) error {
	c := checker{name: name}
	c.num("travel.circuity", t.Circuity)
	c.num("travel.speeds_kmh.urban", t.Kmh.Urban)
	c.num("travel.speeds_kmh.rural", t.Kmh.Rural)
	c.num("travel.speeds_kmh.remote", t.Kmh.Remote)
	c.num("travel.access_kmh", t.AccessKmh)
	c.num("travel.max_snap_m", t.SnapMeters)
	return c.err()
}

// Uncoverable policies: what the optimizer does with residents no candidate
// can cover under the rule.
const (
	UncoverableFail    = "fail"    // stop before building the model, naming them
	UncoverableExclude = "exclude" // plan the others and list them as excluded
)

// OptimizeValues are the optimizer settings shared by optimize.* keys and
// the flags of `onestop optimize`; zero CurveMax and SearchMinutes are the
// defaults.
type OptimizeValues struct {
	Model            string
	P                int
	TargetShare      float64
	TimeLimit        time.Duration
	Work             int64
	MaxStaffPerPoint int
	// MaxCountersPerPoint is the premises' counters (0: no limit).
	MaxCountersPerPoint int
	CurveMax            int
	SearchMinutes       float64
	CandidateResolution int
	CandidateSpacingM   float64
	Uncoverable         string
	ForceOpen           []string // candidate ids; whether they exist is checked against the candidates
}

// CheckOptimize checks the optimizer settings (the model name itself is
// checked by its parser).
func CheckOptimize(v OptimizeValues, name Names) error {
	c := checker{name: name}
	c.num("optimize.p", float64(v.P))
	if (v.Model == "mclp" || v.Model == "pmedian") && v.P <= 0 {
		c.addf("%s: model %s needs %s > 0 (the number of open points)", name("optimize.p"), v.Model, name("optimize.p"))
	}
	c.num("optimize.target_share", v.TargetShare)
	if b, _ := BoundOf("optimize.time_limit"); !b.Contains(v.TimeLimit.Seconds()) {
		c.addf("%s: %v is not in the accepted range (0s, %v]: a limit of 0 or less is not \"no limit\"", name("optimize.time_limit"), v.TimeLimit, MaxTimeLimit)
	}
	c.num("optimize.work", float64(v.Work))
	c.num("optimize.max_staff_per_point", float64(v.MaxStaffPerPoint))
	c.num("optimize.max_counters_per_point", float64(v.MaxCountersPerPoint))
	if (v.Model == "lscp" || v.Model == "mclp") && (v.MaxStaffPerPoint > 0 || v.MaxCountersPerPoint > 0) {
		// Premises are hard limits; a model without loads cannot keep them.
		c.addf("%s, %s: model %s does not model loads, so it cannot keep points within their premises; use model consolidate or pmedian, or leave both at 0",
			name("optimize.max_staff_per_point"), name("optimize.max_counters_per_point"), v.Model)
	}
	c.num("optimize.curve_max", float64(v.CurveMax))
	c.num("optimize.search_minutes", v.SearchMinutes)
	c.num("optimize.candidate_resolution", float64(v.CandidateResolution))
	c.num("optimize.candidate_spacing_m", v.CandidateSpacingM)
	c.oneOf("optimize.uncoverable", v.Uncoverable, UncoverableFail, UncoverableExclude)
	c.ids("optimize.force_open", v.ForceOpen)
	return c.err()
}

// CheckDossiers checks the dossier parameters of a scenario. The dossier
// package owns these values but checks them only when a run uses them;
// checked here, a bad scenario fails when it is read.
func CheckDossiers(d Dossiers, name Names) error {
	c := checker{name: name}
	c.num("dossiers.boundary_free_share", d.BoundaryFreeShare)
	c.classes("dossiers.norms", d.Norms)
	c.num("dossiers.wait_target_min", d.WaitTargetMin)
	c.classes("dossiers.rates", d.Rates)
	c.num("dossiers.log_sample", d.LogSample)
	c.num("dossiers.growth", d.Growth)
	return c.err()
}
