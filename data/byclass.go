package data

import "fmt"

// ByClass is one value per area class: a productivity norm, a travel
// speed, a dossier rate.
type ByClass[T any] struct {
	Urban, Rural, Remote T
}

// For is the value of class c. A class the loader never sets (empty or
// unknown) counts as rural, the middle class; check it with
// AreaClass.Check where that must be an error.
func (b ByClass[T]) For(c AreaClass) T {
	switch c {
	case Urban:
		return b.Urban
	case Remote:
		return b.Remote
	}
	return b.Rural
}

// Set sets the value of class c; an unknown class is an error.
func (b *ByClass[T]) Set(c AreaClass, v T) error {
	switch c {
	case Urban:
		b.Urban = v
	case Rural:
		b.Rural = v
	case Remote:
		b.Remote = v
	default:
		return c.Check()
	}
	return nil
}

// Check returns an error naming the classes when c is not one of them.
func (c AreaClass) Check() error {
	switch c {
	case Urban, Rural, Remote:
		return nil
	}
	return fmt.Errorf("unknown area class %q: use urban, rural or remote", c)
}

// DefaultNorms are the pilot's productivity norms: dossiers received per
// one-stop staff member per year.
func DefaultNorms() ByClass[float64] {
	return ByClass[float64]{Urban: 1600, Rural: 1200, Remote: 800}
}
