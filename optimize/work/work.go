// Package work bounds a search by the work it does rather than the time it
// takes, so the same input gives the same answer on any machine and under
// any load.
//
// A Budget counts abstract work units that the search loops charge as they
// go (roughly one unit per entry of a matrix visited). Shares of a budget
// give a phase of the search part of what is left; a detached budget serves
// a goroutine that runs beside others, and its parent is charged a fixed
// amount afterwards, so the split does not depend on scheduling.
//
// A deadline and a context may stop a budget too. Those stops depend on the
// clock; Reason tells the caller which limit ended the search, so a plan cut
// by the clock can say so.
package work

import (
	"context"
	"sync/atomic"
	"time"
)

// Reason says which limit stopped a budget first.
type Reason int

const (
	// NotStopped: no limit was reached.
	NotStopped Reason = iota
	// Exhausted: some budget of the tree spent all its work.
	Exhausted
	// Deadline: the wall-clock deadline passed.
	Deadline
	// Cancelled: the context was cancelled.
	Cancelled
)

// A Budget is not safe for concurrent use; give each goroutine its own
// (see Detach).
type Budget struct {
	ctx      context.Context
	deadline time.Time
	limit    int64
	spent    int64
	parent   *Budget // charged too; nil for a root or a detached budget
	flags    *flags  // shared by every budget of a tree
	stopped  bool
}

// flags record, for the whole tree, which limits were reached; detached
// budgets write them from their own goroutines.
type flags struct {
	exhausted, deadline, cancelled atomic.Bool
}

// New returns a budget of units work units (<= 0: unlimited work) that also
// stops at deadline (zero: none) and when ctx is done.
func New(ctx context.Context, units int64, deadline time.Time) *Budget {
	if ctx == nil {
		ctx = context.Background()
	}
	if units <= 0 {
		units = 1<<63 - 1
	}
	return &Budget{ctx: ctx, deadline: deadline, limit: units, flags: &flags{}}
}

// Spend charges n units to b and the budgets it is a share of, and reports
// whether the search must stop. A nil Budget never stops.
func (b *Budget) Spend(n int64) bool {
	if b == nil {
		return false
	}
	for p := b; p != nil; p = p.parent {
		p.spent += n
	}
	return b.Done()
}

// Done reports, without charging, whether the search must stop: b or a
// budget it is a share of has spent its work, the deadline passed, or the
// context is done. Once true it stays true.
func (b *Budget) Done() bool {
	if b == nil {
		return false
	}
	if b.stopped {
		return true
	}
	for p := b; p != nil; p = p.parent {
		if p.spent >= p.limit {
			b.flags.exhausted.Store(true)
			b.stopped = true
			return true
		}
	}
	if b.ctx.Err() != nil {
		b.flags.cancelled.Store(true)
		b.stopped = true
	} else if !b.deadline.IsZero() && time.Now().After(b.deadline) {
		b.flags.deadline.Store(true)
		b.stopped = true
	}
	return b.stopped
}

// Left is the work b may still spend.
func (b *Budget) Left() int64 {
	if b == nil {
		return 1<<63 - 1
	}
	left := b.limit - b.spent
	for p := b.parent; p != nil; p = p.parent {
		left = min(left, p.limit-p.spent)
	}
	return max(0, left)
}

// Share returns a budget of frac of the work b has left; what it spends is
// charged to b as well, so a phase given a share leaves the rest to the
// phases after it.
func (b *Budget) Share(frac float64) *Budget {
	if b == nil {
		return nil
	}
	return &Budget{ctx: b.ctx, deadline: b.deadline, limit: int64(frac * float64(b.Left())), parent: b, flags: b.flags}
}

// Detach returns a budget of at most units work for a goroutine that runs
// beside others. It charges nobody while it runs; the caller charges b a
// fixed amount once every goroutine is done (see Charge), so the work b has
// left does not depend on which goroutine stopped first.
func (b *Budget) Detach(units int64) *Budget {
	if b == nil {
		return nil
	}
	return &Budget{ctx: b.ctx, deadline: b.deadline, limit: min(units, b.Left()), flags: b.flags}
}

// Limit is the work b was given (for a detached budget, its allotment).
func (b *Budget) Limit() int64 {
	if b == nil {
		return 0
	}
	return b.limit
}

// Charge adds n units to b (and the budgets it is a share of) without
// checking the limits.
func (b *Budget) Charge(n int64) {
	if b == nil {
		return
	}
	for p := b; p != nil; p = p.parent {
		p.spent += n
	}
}

// Reason reports which limit stopped a budget of b's tree first, in order of
// precedence: cancellation, the deadline, then work.
func (b *Budget) Reason() Reason {
	switch {
	case b == nil:
		return NotStopped
	case b.flags.cancelled.Load():
		return Cancelled
	case b.flags.deadline.Load():
		return Deadline
	case b.flags.exhausted.Load():
		return Exhausted
	}
	return NotStopped
}
