package dossier

import "fmt"

// Accepted ranges of the package's inputs (docs/dossiers.md, "Accepted
// ranges"). They are far outside what a real one-stop network sees, so they
// never reject real data, but they keep an input typo from turning into a
// run that eats memory for minutes or a number that looks right and is not.
const (
	// MinYear and MaxYear bound the simulated calendar year.
	MinYear = 2000
	MaxYear = 2100
	// MaxStaffPerOffice bounds an office's staff (input, estimated or
	// rebalanced): the largest commune offices have a few dozen.
	MaxStaffPerOffice = 10_000
	// MaxCountersPerOffice bounds an office's physical counters.
	MaxCountersPerOffice = 10_000
	// MaxDossiersPerOffice bounds the dossiers a year one office receives,
	// all channels. A whole province of 2.5 M people files about 1 M; the
	// simulation's memory and time grow with this number.
	MaxDossiersPerOffice = 10_000_000
	// MaxWaitTargetMin bounds the waiting target: a target beyond a day of
	// waiting is a unit mistake (hours or seconds typed as minutes).
	MaxWaitTargetMin = 24 * 60
)

// ParamError is a parameter outside its accepted range. Param is the
// parameter's name as docs/dossiers.md writes it, so a caller can map it to
// its own flag or key name.
type ParamError struct {
	Param string // log_sample, boundary_free, wait_target_min, year
	Value string
	Want  string // the accepted range, for the fix
}

func (e *ParamError) Error() string {
	return fmt.Sprintf("%s %s is out of range; fix: give %s", e.Param, e.Value, e.Want)
}

// CheckLogSample checks a log sample fraction: a finite value in (0, 1]. The
// log's counts are divided by it, so 0 or NaN would give infinite or
// undefined demand.
func CheckLogSample(v float64) error {
	if !(v > 0 && v <= 1) { // also false for NaN
		return &ParamError{"log_sample", fmt.Sprint(v), "a fraction in (0, 1], e.g. 0.01 for a 1 % sample"}
	}
	return nil
}

// CheckBoundaryFree checks a boundary-free share: a finite value in [0, 1].
func CheckBoundaryFree(v float64) error {
	if !(v >= 0 && v <= 1) {
		return &ParamError{"boundary_free", fmt.Sprint(v), "a share in [0, 1], e.g. 0.3"}
	}
	return nil
}

// CheckWaitTarget checks a mean waiting target: finite, > 0 and at most
// MaxWaitTargetMin minutes.
func CheckWaitTarget(v float64) error {
	if !(v > 0 && v <= MaxWaitTargetMin) {
		return &ParamError{"wait_target_min", fmt.Sprint(v), fmt.Sprintf("a number of minutes in (0, %d], e.g. 15", MaxWaitTargetMin)}
	}
	return nil
}

// CheckYear checks a simulated calendar year.
func CheckYear(y int) error {
	if y < MinYear || y > MaxYear {
		return &ParamError{"year", fmt.Sprint(y), fmt.Sprintf("a calendar year in [%d, %d], e.g. 2025", MinYear, MaxYear)}
	}
	return nil
}
