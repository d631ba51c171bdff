package coverage

import (
	"fmt"
	"math"
)

// Rule is the access standard: a resident is covered within Minutes of
// travel or within Km in straight line of an office (DOMAIN.md: "every
// resident within 30 minutes of travel or a 5 km radius"). Mode "all"
// demands both.
type Rule struct {
	Minutes float64 `json:"minutes"`
	Km      float64 `json:"km"`
	Mode    string  `json:"mode"` // "any" (default) or "all"
}

// DefaultRule is the pilot's target: 30 minutes or 5 km.
func DefaultRule() Rule { return Rule{Minutes: 30, Km: 5, Mode: "any"} }

func (r Rule) validate() (Rule, error) {
	if r.Mode == "" {
		r.Mode = "any"
	}
	if r.Mode != "any" && r.Mode != "all" {
		return r, fmt.Errorf("coverage: rule mode %q unknown; use \"any\" (time or distance) or \"all\" (time and distance)", r.Mode)
	}
	if !(r.Minutes >= 0) || math.IsInf(r.Minutes, 0) || !(r.Km >= 0) || math.IsInf(r.Km, 0) {
		return r, fmt.Errorf("coverage: rule thresholds %v min / %v km must be finite and >= 0", r.Minutes, r.Km)
	}
	return r, nil
}

// Met says which thresholds a place meets.
type Met uint8

const (
	MetNone Met = iota
	MetTime
	MetDistance
	MetBoth
)

func (m Met) String() string {
	switch m {
	case MetTime:
		return "time"
	case MetDistance:
		return "distance"
	case MetBoth:
		return "both"
	default:
		return "none"
	}
}

// met classifies a place; NaN minutes (unreachable) never meet the time
// threshold.
func (r Rule) met(minutes, km float64) Met {
	var m Met
	if minutes <= r.Minutes {
		m |= MetTime
	}
	if km <= r.Km {
		m |= MetDistance
	}
	return m
}

// covers applies the mode to what was met.
func (r Rule) covers(m Met) bool {
	if r.Mode == "all" {
		return m == MetBoth
	}
	return m != MetNone
}
