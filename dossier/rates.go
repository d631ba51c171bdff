package dossier

import (
	"fmt"
	"math"

	"github.com/onestop/onestop/data"
)

// Rates are the demand assumptions used when no dossier log is available.
// The defaults are documented (and justified) in docs/dossiers.md.
type Rates struct {
	// PerResident is the dossiers per resident per year, all channels.
	PerResident data.ByClass[float64]
	// CounterShare is the share of dossiers filed in person at a counter; the
	// rest arrive online or by post and do not queue.
	CounterShare float64
	// PostalShare is the share of the non-counter dossiers that arrive by
	// post (the others are online). Only GenerateLog uses it.
	PostalShare float64
	// BoundaryFree is the share of dossiers whose procedure is on the
	// boundary-free list (phi địa giới): they go to the nearest open office.
	BoundaryFree float64
	// Sample is the fraction of dossiers GenerateLog writes, so a shipped
	// demo log stays small; aggregating a log divides its counts by it.
	Sample float64
}

// DefaultRates returns the documented default demand assumptions.
func DefaultRates() Rates {
	return Rates{
		PerResident:  data.ByClass[float64]{Urban: 0.45, Rural: 0.35, Remote: 0.30},
		CounterShare: 0.60,
		PostalShare:  0.10,
		BoundaryFree: 0.30,
		Sample:       0.01,
	}
}

// PerCapita is the yearly dossier rate of a resident of the given class;
// an unknown class is an error.
func (r Rates) PerCapita(c data.AreaClass) (float64, error) {
	if err := c.Check(); err != nil {
		return 0, err
	}
	return r.PerResident.For(c), nil
}

// MaxPerCapita bounds the dossiers per resident per year (the default is
// 0.3–0.45): above it a rate is a unit mistake, such as a percentage.
const MaxPerCapita = 100

// Validate reports the first rate outside its range.
func (r Rates) Validate() error {
	for _, f := range []struct {
		name string
		v    float64
		max  float64
	}{
		{"urban per-capita rate", r.PerResident.Urban, MaxPerCapita},
		{"rural per-capita rate", r.PerResident.Rural, MaxPerCapita},
		{"remote per-capita rate", r.PerResident.Remote, MaxPerCapita},
		{"counter share", r.CounterShare, 1},
		{"postal share", r.PostalShare, 1},
		{"boundary-free share", r.BoundaryFree, 1},
	} {
		if math.IsNaN(f.v) || f.v < 0 || f.v > f.max {
			return fmt.Errorf("dossier rates: %s is %v; fix: give a value in [0, %v]", f.name, f.v, f.max)
		}
	}
	if !(r.Sample > 0 && r.Sample <= 1) {
		return fmt.Errorf("dossier rates: sample fraction is %v; fix: give a value in (0, 1]", r.Sample)
	}
	return nil
}
