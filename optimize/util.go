package optimize

import (
	"context"
	"sort"
	"time"
)

// sortInts sorts idx stably with less, so equal keys keep index order.
func sortInts(idx []int, less func(a, b int) bool) {
	sort.SliceStable(idx, func(x, y int) bool { return less(idx[x], idx[y]) })
}

// meets reports whether row has a candidate marked in set.
func meets(row []int32, set []bool) bool {
	for _, j := range row {
		if set[j] {
			return true
		}
	}
	return false
}

// clock bounds a search by a deadline and a context; checking the context on
// every call would be slow in inner loops, so it is polled every 256 calls.
type clock struct {
	ctx      context.Context
	deadline time.Time
	calls    int
	stopped  bool
}

func newClock(ctx context.Context, limit time.Duration) *clock {
	c := &clock{ctx: ctx}
	if limit > 0 {
		c.deadline = time.Now().Add(limit)
	}
	return c
}

// expired reports whether the search must stop now.
func (c *clock) expired() bool {
	if c.stopped {
		return true
	}
	c.calls++
	if c.calls&255 != 0 {
		return false
	}
	return c.check()
}

// check polls without rate limiting (used between phases).
func (c *clock) check() bool {
	if c.stopped {
		return true
	}
	if c.ctx.Err() != nil || (!c.deadline.IsZero() && time.Now().After(c.deadline)) {
		c.stopped = true
	}
	return c.stopped
}

// gapPct is the relative distance between a plan's objective and its bound,
// in percent of the objective; 0 when they meet.
func gapPct(obj, lb float64, maximise bool) float64 {
	d := obj - lb
	if maximise {
		d = lb - obj
	}
	if d <= 1e-9*max(1, abs(obj)) {
		return 0
	}
	den := abs(obj)
	if den < 1e-12 {
		den = abs(lb)
	}
	if den < 1e-12 {
		return 0
	}
	return 100 * d / den
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}

// share returns a clock that stops at frac of c's remaining time (or with
// c), so a heuristic phase leaves time for the bound that follows it.
func (c *clock) share(frac float64) *clock {
	s := &clock{ctx: c.ctx, deadline: c.deadline, stopped: c.stopped}
	if !c.deadline.IsZero() {
		s.deadline = time.Now().Add(time.Duration(frac * float64(time.Until(c.deadline))))
	}
	return s
}
