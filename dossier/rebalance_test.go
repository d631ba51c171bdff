package dossier

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
)

func TestRebalanceCases(t *testing.T) {
	tests := []struct {
		name      string
		offices   []StaffNeed
		total     int
		wantStaff []int
		wantMoves []Move
		wantMeets bool
		// wantUnplaced: staff no office takes within its MaxStaff.
		wantUnplaced int
	}{
		{
			name: "already optimal: no move",
			offices: []StaffNeed{
				{ID: "a", Staff: 2, Load: 1, Min: 2},
				{ID: "b", Staff: 2, Load: 1, Min: 2},
			},
			total: 4, wantStaff: []int{2, 2}, wantMeets: true,
		},
		{
			name: "idle office gives to the overloaded one",
			offices: []StaffNeed{
				{ID: "busy", Staff: 1, Load: 2.5, Min: 4},
				{ID: "idle", Staff: 5, Load: 0.2, Min: 1},
			},
			total: 6, wantStaff: []int{5, 1}, wantMoves: []Move{{From: "idle", To: "busy", Count: 4}}, wantMeets: true,
		},
		{
			name: "nearest donor first",
			offices: []StaffNeed{
				{ID: "far", Staff: 3, Load: 1.2, Min: 1, Lon: 107, Lat: 11.5},
				{ID: "near", Staff: 3, Load: 1.2, Min: 1, Lon: 106.66, Lat: 11.0},
				{ID: "busy", Staff: 1, Load: 2.5, Min: 3, Lon: 106.65, Lat: 11.0},
			},
			total: 7, wantStaff: []int{2, 2, 3},
			wantMoves: []Move{{From: "near", To: "busy", Count: 1}, {From: "far", To: "busy", Count: 1}},
			wantMeets: true,
		},
		{
			name: "new hires go to the highest occupancy",
			offices: []StaffNeed{
				{ID: "a", Staff: 2, Load: 1.8, Min: 3},
				{ID: "b", Staff: 2, Load: 0.5, Min: 1},
			},
			total: 6, wantStaff: []int{4, 2}, wantMoves: []Move{{To: "a", Count: 2}}, wantMeets: true,
		},
		{
			name: "staff beyond the counters serve better elsewhere",
			offices: []StaffNeed{
				{ID: "a", Staff: 5, Load: 1.6, Min: 3, Counters: 2},
				{ID: "b", Staff: 1, Load: 1.5, Min: 3},
			},
			total: 6, wantStaff: []int{3, 3}, wantMoves: []Move{{From: "a", To: "b", Count: 2}}, wantMeets: false,
		},
		{
			name: "too few staff for the target",
			offices: []StaffNeed{
				{ID: "a", Staff: 1, Load: 3, Min: 5},
				{ID: "b", Staff: 1, Load: 1, Min: 2},
			},
			total: 2, wantStaff: []int{1, 1}, wantMeets: false,
		},
		{
			// The demo's CN-718 took 96 staff under a cap of 40.
			name: "the busy office takes no more than its premises",
			offices: []StaffNeed{
				{ID: "busy", Staff: 1, Load: 5, Min: 8, MaxStaff: 4},
				{ID: "idle", Staff: 7, Load: 0.5, Min: 1, MaxStaff: 4},
			},
			total: 8, wantStaff: []int{4, 4}, wantMoves: []Move{{From: "idle", To: "busy", Count: 3}}, wantMeets: false,
		},
		{
			name: "staff beyond every cap stay unplaced, released",
			offices: []StaffNeed{
				{ID: "a", Staff: 6, Load: 1, Min: 2, MaxStaff: 4},
				{ID: "b", Staff: 5, Load: 1, Min: 2, MaxStaff: 4},
			},
			total: 11, wantStaff: []int{4, 4}, wantMoves: []Move{{From: "a", Count: 2}, {From: "b", Count: 1}}, wantMeets: true, wantUnplaced: 3,
		},
		{
			name: "hires go to the office with room",
			offices: []StaffNeed{
				{ID: "a", Staff: 3, Load: 2, Min: 3, MaxStaff: 3},
				{ID: "b", Staff: 1, Load: 0.5, Min: 1, MaxStaff: 5},
			},
			total: 6, wantStaff: []int{3, 3}, wantMoves: []Move{{To: "b", Count: 2}}, wantMeets: true,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p, err := rebalance(context.Background(), tc.offices, tc.total)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(p.Staff, tc.wantStaff) {
				t.Errorf("staff %v, want %v", p.Staff, tc.wantStaff)
			}
			if !reflect.DeepEqual(p.Moves, tc.wantMoves) {
				t.Errorf("moves %+v, want %+v", p.Moves, tc.wantMoves)
			}
			if p.MeetsTarget != tc.wantMeets {
				t.Errorf("meets target %v, want %v", p.MeetsTarget, tc.wantMeets)
			}
			if p.Unplaced != tc.wantUnplaced {
				t.Errorf("unplaced %d, want %d", p.Unplaced, tc.wantUnplaced)
			}
		})
	}
	if _, err := rebalance(context.Background(), []StaffNeed{{ID: "a"}, {ID: "b"}}, 1); err == nil || !strings.Contains(err.Error(), "cannot open 2 offices") {
		t.Errorf("too few staff: %v", err)
	}
}

// TestRebalanceCaps: on random networks with premises caps, no office ends
// above its cap, and the staff placed plus the unplaced are the total.
func TestRebalanceCaps(t *testing.T) {
	rng := rand.New(rand.NewPCG(12, 40))
	for k := range 300 {
		n := 1 + rng.IntN(6)
		offices := make([]StaffNeed, n)
		total, room := 0, 0
		for i := range offices {
			o := StaffNeed{ID: fmt.Sprint(i), Staff: 1 + rng.IntN(12), Load: rng.Float64() * 8, MaxStaff: 1 + rng.IntN(8)}
			if rng.IntN(3) == 0 {
				o.Counters = 1 + rng.IntN(6)
			}
			o.Min = MinServers(o.Load, 12, 15, 0.85)
			offices[i] = o
			total += o.Staff
			room += o.MaxStaff
		}
		p, err := rebalance(context.Background(), offices, total)
		if err != nil {
			t.Fatal(err)
		}
		placed := 0
		for i, s := range p.Staff {
			if s > offices[i].MaxStaff || s < 1 {
				t.Errorf("case %d: office %d has %d staff, cap %d", k, i, s, offices[i].MaxStaff)
			}
			placed += s
		}
		if placed+p.Unplaced != total {
			t.Errorf("case %d: %d placed + %d unplaced, total %d", k, placed, p.Unplaced, total)
		}
		// Staff stay unplaced only when every office is full.
		if want := max(0, total-room); p.Unplaced != want {
			t.Errorf("case %d: %d unplaced, want %d (total %d, room %d)", k, p.Unplaced, want, total, room)
		}
		released := 0
		for _, m := range p.Moves {
			if m.To == "" {
				released += m.Count
			}
		}
		if released != p.Unplaced {
			t.Errorf("case %d: %d released in the moves, %d unplaced", k, released, p.Unplaced)
		}
	}
}

// TestRebalanceOptimal compares with exhaustive search on small random
// networks: the plan reaches the lowest possible highest occupancy under the
// minimums, and moves the fewest staff among plans that do.
func TestRebalanceOptimal(t *testing.T) {
	rng := rand.New(rand.NewPCG(42, 42))
	for k := range 300 {
		n := 2 + rng.IntN(3)
		offices := make([]StaffNeed, n)
		cur := 0
		for i := range offices {
			load := math.Round(rng.Float64()*40) / 10
			offices[i] = StaffNeed{ID: fmt.Sprintf("o%d", i), Staff: rng.IntN(5), Load: load, Min: MinServers(load, 12, 15, 0.85)}
			if rng.IntN(3) == 0 {
				offices[i].Counters = 1 + rng.IntN(4)
			}
			cur += offices[i].Staff
		}
		total := max(n, cur+rng.IntN(5)-2)
		t.Run(fmt.Sprint(k), func(t *testing.T) {
			p, err := rebalance(context.Background(), offices, total)
			if err != nil {
				t.Fatal(err)
			}
			sum := 0
			for _, s := range p.Staff {
				sum += s
			}
			if sum != total {
				t.Fatalf("allocated %d staff, total %d", sum, total)
			}
			bestU, bestMoves, feasible := bruteForce(offices, total)
			if feasible != p.MeetsTarget {
				t.Fatalf("meets target %v, brute force %v", p.MeetsTarget, feasible)
			}
			if math.Abs(p.MaxOccupancy-bestU) > 1e-12 {
				t.Errorf("max occupancy %v, optimum %v (staff %v)", p.MaxOccupancy, bestU, p.Staff)
			}
			if p.Moved != bestMoves {
				t.Errorf("moved %d staff, fewest possible %d (offices %+v, total %d, plan %v)", p.Moved, bestMoves, offices, total, p.Staff)
			}
		})
	}
}

// bruteForce enumerates every allocation of total staff.
func bruteForce(offices []StaffNeed, total int) (bestU float64, bestMoves int, feasible bool) {
	n := len(offices)
	lo := make([]int, n)
	sumLo := 0
	short := false
	for i, o := range offices {
		lo[i] = max(1, o.Min)
		if o.Counters > 0 && lo[i] > o.Counters {
			lo[i], short = o.Counters, true
		}
		sumLo += lo[i]
	}
	feasible = sumLo <= total && !short
	if sumLo > total {
		for i := range lo {
			lo[i] = 1
		}
	}
	bestU, bestMoves = math.Inf(1), math.MaxInt
	c := make([]int, n)
	var rec func(i, left int)
	rec = func(i, left int) {
		if i == n-1 {
			if left < lo[i] {
				return
			}
			c[i] = left
			u, moved := 0.0, 0
			for j, o := range offices {
				if o.Load > 0 {
					servers := c[j]
					if o.Counters > 0 {
						servers = min(servers, o.Counters)
					}
					u = max(u, o.Load/float64(servers))
				}
				if d := c[j] - o.Staff; d > 0 {
					moved += d
				}
			}
			// Hires are not moves: count transfers only, i.e. min(received, given).
			given := 0
			for j, o := range offices {
				if d := o.Staff - c[j]; d > 0 {
					given += d
				}
			}
			moved = min(moved, given)
			if u < bestU-1e-12 {
				bestU, bestMoves = u, moved
			} else if math.Abs(u-bestU) <= 1e-12 && moved < bestMoves {
				bestMoves = moved
			}
			return
		}
		for v := lo[i]; v <= left; v++ {
			c[i] = v
			rec(i+1, left-v)
		}
	}
	rec(0, total)
	return bestU, bestMoves, feasible
}
