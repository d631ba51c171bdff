package data

import (
	"errors"
	"fmt"
)

// ErrOverflow is wrapped by the errors of totals that do not fit in int64.
// The loader caps each count (MaxPopulation), so a loaded dataset cannot
// reach it; a Dataset built in code can, and a wrapped-around total would
// look like a plausible number.
var ErrOverflow = errors.New("total overflows int64")

// addCount returns a+b, or false when the sum overflows int64.
func addCount(a, b int64) (int64, bool) {
	s := a + b
	if (b > 0 && s < a) || (b < 0 && s > a) {
		return 0, false
	}
	return s, true
}

// sumCounts adds counts with overflow detection; what names the total in
// the error.
func sumCounts[T any](items []T, count func(T) int64, what string) (int64, error) {
	var total int64
	for i, it := range items {
		var ok bool
		if total, ok = addCount(total, count(it)); !ok {
			return 0, fmt.Errorf("%s: adding item %d: %w", what, i+1, ErrOverflow)
		}
	}
	return total, nil
}

// TotalPopulation is the residents of all communes, or an error wrapping
// ErrOverflow when the sum does not fit in int64.
func (d *Dataset) TotalPopulation() (int64, error) {
	return sumCounts(d.Communes, func(c Commune) int64 { return c.Population }, "total population of the communes")
}
