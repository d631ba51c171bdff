package dossier

import (
	"cmp"
	"container/heap"
	"context"
	"fmt"
	"math"
	"slices"

	"github.com/onestop/onestop/data/earth"
	"github.com/paulmach/orb"
)

// StaffNeed describes one office for rebalancing.
type StaffNeed struct {
	ID    string
	Staff int     // current staff
	Load  float64 // offered load at the peak hour, erlangs (λ_peak × mean service)
	Min   int     // fewest servers meeting the waiting target (MinServers); at least 1
	// Counters caps the servers: staff beyond it cannot serve at the
	// counter, so they do not lower the occupancy. 0 means no cap.
	Counters int
	// MaxStaff caps the office's staff after the plan (its premises:
	// max_staff_per_point); staff it holds beyond the cap leave it, and
	// staff no office can take within its cap stay unplaced. 0: no cap.
	MaxStaff int
	Lon, Lat float64 // to move staff between nearby offices first
}

// Move is a transfer of staff. From is empty for new hires (the total grew),
// To is empty for staff released (the total shrank).
type Move struct {
	From  string `json:"from"`
	To    string `json:"to"`
	Count int    `json:"count"`
}

// Plan is a staff allocation.
type Plan struct {
	Staff []int  // per office, parallel to the input
	Moves []Move // deterministic order: as chosen, nearest pairs first
	// Moved is the number of staff changing office (hires and releases excluded).
	Moved int
	// MaxOccupancy is the highest peak-hour occupancy Load/Staff after the plan.
	MaxOccupancy float64
	// MeetsTarget is false when total is below the sum of the minimums, or
	// an office has fewer counters than its minimum, so some office cannot
	// meet the waiting target.
	MeetsTarget bool
	// Unplaced is the staff no office can take within its MaxStaff:
	// Σ Staff + Unplaced is the total. They leave as releases in Moves.
	Unplaced int
}

// rebalance allocates total staff: every office first gets its minimum (the
// fewest meeting the waiting target, at most its counters), then the rest go
// one at a time to the office with the highest occupancy that another staff
// member can still lower (marginal allocation, which minimises the highest
// occupancy). Among all allocations reaching that optimum it
// returns one with the fewest staff moved: only offices below what the
// optimum requires receive staff, taken from the offices left with the
// lowest occupancy, and transfers pair the nearest offices first.
// No office ends above its MaxStaff (premises): staff beyond every cap are
// Unplaced, never squeezed in. It stops when ctx is cancelled: its loops run once per staff member placed.
func rebalance(ctx context.Context, offices []StaffNeed, total int) (*Plan, error) {
	n := len(offices)
	if n == 0 {
		return &Plan{MeetsTarget: true}, nil
	}
	if total < n {
		return nil, fmt.Errorf("rebalance staff: %d staff cannot open %d offices; fix: give at least one staff member per office", total, n)
	}
	if total > MaxStaffPerOffice*n {
		return nil, fmt.Errorf("rebalance staff: %d staff for %d offices; fix: give at most %d staff per office on average", total, n, MaxStaffPerOffice)
	}
	// steps counts loop iterations between two looks at ctx.
	steps := 0
	cancelled := func() error {
		if steps++; steps%1024 != 0 {
			return nil
		}
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("rebalance staff: %w", err)
		}
		return nil
	}
	lo := make([]int, n)
	sumLo := 0
	countersShort := false
	for i, o := range offices {
		if o.Staff < 0 || o.Staff > MaxStaffPerOffice || o.Counters < 0 || o.Counters > MaxCountersPerOffice ||
			o.Load < 0 || math.IsNaN(o.Load) || math.IsInf(o.Load, 0) {
			return nil, fmt.Errorf("rebalance staff: office %q has staff %d, counters %d and load %v; fix: give finite values >= 0, staff and counters at most %d",
				o.ID, o.Staff, o.Counters, o.Load, MaxStaffPerOffice)
		}
		if o.MaxStaff < 0 || o.MaxStaff > MaxStaffPerOffice {
			return nil, fmt.Errorf("rebalance staff: office %q has a staff cap of %d; fix: give a cap in [0, %d] (0: none)", o.ID, o.MaxStaff, MaxStaffPerOffice)
		}
		lo[i] = max(1, o.Min)
		if o.Counters > 0 && lo[i] > o.Counters {
			lo[i] = o.Counters // more staff would not help
			countersShort = true
		}
		if o.MaxStaff > 0 && lo[i] > o.MaxStaff {
			lo[i] = o.MaxStaff // the premises hold no more
			countersShort = true
		}
		sumLo += lo[i]
	}
	plan := &Plan{MeetsTarget: sumLo <= total && !countersShort}
	if sumLo > total {
		// Not every office can meet the target: fall back to the pure
		// min-max occupancy allocation from one staff member each.
		for i := range lo {
			lo[i] = 1
		}
		sumLo = n
	}
	util := func(i, c int) float64 {
		if offices[i].Load == 0 {
			return 0
		}
		if k := offices[i].Counters; k > 0 && c > k {
			c = k
		}
		return offices[i].Load / float64(c)
	}
	// full: the premises take no more staff.
	full := func(i, c int) bool { return offices[i].MaxStaff > 0 && c >= offices[i].MaxStaff }
	// capped: another staff member would not lower the occupancy, or
	// cannot come in.
	capped := func(i, c int) bool { return offices[i].Counters > 0 && c >= offices[i].Counters || full(i, c) }

	// Marginal allocation gives the optimal highest occupancy uStar.
	c := append([]int(nil), lo...)
	h := &utilHeap{util: util, c: c}
	for i := range n {
		if !capped(i, c[i]) {
			h.idx = append(h.idx, i)
		}
	}
	heap.Init(h)
	// Staff left once every office is capped cannot change uStar; the
	// min-move step below places them.
	for left := total - sumLo; left > 0 && h.Len() > 0; left-- {
		if err := cancelled(); err != nil {
			return nil, err
		}
		i := h.idx[0]
		c[i]++
		if capped(i, c[i]) {
			heap.Pop(h)
		} else {
			heap.Fix(h, 0)
		}
	}
	uStar := 0.0
	for i := range n {
		uStar = max(uStar, util(i, c[i]))
	}

	// need is the fewest staff per office that keeps both its minimum and uStar.
	target := make([]int, n)
	sum := 0
	for i, o := range offices {
		need := lo[i]
		if uStar > 0 && o.Load > 0 {
			start := int(math.Ceil(o.Load/uStar)) - 1
			if o.Counters > 0 {
				start = min(start, o.Counters)
			}
			need = max(need, start)
			for util(i, need) > uStar {
				need++
			}
		}
		target[i] = max(need, o.Staff)
		if o.MaxStaff > 0 {
			// need <= the marginal allocation, itself within the cap;
			// staff held beyond it leave.
			target[i] = min(target[i], o.MaxStaff)
		}
		sum += target[i]
	}
	// Take the excess from offices above their need, lowest occupancy first;
	// or hand out new hires to the highest occupancy first.
	for sum > total {
		if err := cancelled(); err != nil {
			return nil, err
		}
		best := -1
		var bu float64
		for i, o := range offices {
			if target[i] <= lo[i] || (o.Load > 0 && util(i, target[i]-1) > uStar) {
				continue
			}
			if u := util(i, target[i]-1); best < 0 || u < bu {
				best, bu = i, u
			}
		}
		target[best]--
		sum--
	}
	for sum < total {
		if err := cancelled(); err != nil {
			return nil, err
		}
		best := -1
		for i := range offices {
			if !capped(i, target[i]) && (best < 0 || util(i, target[i]) > util(best, target[best])) {
				best = i
			}
		}
		if best < 0 {
			// Every office is at its counters or its cap: a staff
			// member changes no occupancy; the first office with room
			// holds them, and with none they stay unplaced.
			for i := range offices {
				if !full(i, target[i]) {
					best = i
					break
				}
			}
		}
		if best < 0 {
			plan.Unplaced = total - sum
			break
		}
		target[best]++
		sum++
	}
	plan.Staff = target
	for i := range n {
		plan.MaxOccupancy = max(plan.MaxOccupancy, util(i, target[i]))
	}
	plan.Moves, plan.Moved = moves(offices, target)
	return plan, nil
}

// moves pairs donors and receivers nearest first, so staff move to nearby offices.
func moves(offices []StaffNeed, target []int) ([]Move, int) {
	surplus := make([]int, len(offices))
	var from, to []int
	for i, o := range offices {
		surplus[i] = o.Staff - target[i]
		switch {
		case surplus[i] > 0:
			from = append(from, i)
		case surplus[i] < 0:
			to = append(to, i)
		}
	}
	type pair struct {
		f, t int
		d    float64
	}
	pairs := make([]pair, 0, len(from)*len(to))
	for _, f := range from {
		for _, t := range to {
			pairs = append(pairs, pair{f, t, earth.DistanceKm(offices[f].point(), offices[t].point())})
		}
	}
	// Distance ties fall back to office order, so the order is total and deterministic.
	slices.SortFunc(pairs, func(a, b pair) int {
		return cmp.Or(cmp.Compare(a.d, b.d), cmp.Compare(a.f, b.f), cmp.Compare(a.t, b.t))
	})
	var out []Move
	moved := 0
	for _, p := range pairs {
		k := min(surplus[p.f], -surplus[p.t])
		if k <= 0 {
			continue
		}
		out = append(out, Move{From: offices[p.f].ID, To: offices[p.t].ID, Count: k})
		surplus[p.f] -= k
		surplus[p.t] += k
		moved += k
	}
	for i, s := range surplus {
		switch {
		case s > 0:
			out = append(out, Move{From: offices[i].ID, Count: s})
		case s < 0:
			out = append(out, Move{To: offices[i].ID, Count: -s})
		}
	}
	return out, moved
}

func (s StaffNeed) point() orb.Point { return orb.Point{s.Lon, s.Lat} }

// utilHeap is a max-heap of offices by occupancy, ties to the lower index.
type utilHeap struct {
	idx  []int
	c    []int
	util func(i, c int) float64
}

func (h *utilHeap) Len() int { return len(h.idx) }
func (h *utilHeap) Less(a, b int) bool {
	ia, ib := h.idx[a], h.idx[b]
	ua, ub := h.util(ia, h.c[ia]), h.util(ib, h.c[ib])
	if ua != ub {
		return ua > ub
	}
	return ia < ib
}
func (h *utilHeap) Swap(a, b int) { h.idx[a], h.idx[b] = h.idx[b], h.idx[a] }
func (h *utilHeap) Push(x any)    { h.idx = append(h.idx, x.(int)) }
func (h *utilHeap) Pop() any {
	x := h.idx[len(h.idx)-1]
	h.idx = h.idx[:len(h.idx)-1]
	return x
}
