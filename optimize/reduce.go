package optimize

import (
	"slices"
)

// reduction is what the exact set-covering reductions left to solve.
type reduction struct {
	Rows   [][]int32 // remaining rows, each a sorted list of candidate indices
	Forced []int32   // candidates every optimal cover contains
	// Counts before/after, for the report.
	RowsIn, ColsIn, RowsOut, ColsOut int
}

// reduceCover applies the classic exact reductions for unit-cost set
// covering until nothing changes:
//   - a row with a single column forces that column (its rows are then met);
//   - duplicate rows are dropped, and a row whose columns are a superset of
//     another row's columns is implied by it and dropped;
//   - a column whose rows are a subset of another column's rows is never
//     needed with unit costs (swap it for the larger one) and is dropped;
//     equal columns keep the lower index so the result is deterministic.
//
// rows must be sorted and deduplicated; they are not modified.
func reduceCover(rows [][]int32, m int) reduction {
	red := reduction{RowsIn: len(rows)}
	cur := make([][]int32, 0, len(rows))
	colSeen := make([]bool, m)
	for _, r := range rows {
		cur = append(cur, slices.Clone(r))
		for _, c := range r {
			colSeen[c] = true
		}
	}
	for _, s := range colSeen {
		if s {
			red.ColsIn++
		}
	}
	forced := make([]bool, m)
	for changed := true; changed; {
		changed = false
		// Forced columns.
		met := make([]bool, m)
		any := false
		for _, r := range cur {
			if len(r) == 1 && !forced[r[0]] {
				forced[r[0]] = true
				met[r[0]] = true
				any = true
			}
		}
		if any {
			changed = true
			keep := cur[:0]
			for _, r := range cur {
				hit := false
				for _, c := range r {
					if met[c] {
						hit = true
						break
					}
				}
				if !hit {
					keep = append(keep, r)
				}
			}
			cur = keep
		}
		// Dominated and duplicate rows.
		if n := dropDominatedRows(cur, m); n < len(cur) {
			changed = true
			cur = cur[:n]
		}
		// Dominated columns.
		if dead := dominatedColumns(cur, m); dead != nil {
			changed = true
			for i, r := range cur {
				k := r[:0]
				for _, c := range r {
					if !dead[c] {
						k = append(k, c)
					}
				}
				cur[i] = k
			}
		}
	}
	for c := 0; c < m; c++ {
		if forced[c] {
			red.Forced = append(red.Forced, int32(c))
		}
	}
	red.Rows = cur
	red.RowsOut = len(cur)
	clear(colSeen)
	for _, r := range cur {
		for _, c := range r {
			colSeen[c] = true
		}
	}
	for _, s := range colSeen {
		if s {
			red.ColsOut++
		}
	}
	return red
}

// columnRows builds the column -> row incidence of rows.
func columnRows(rows [][]int32, m int) [][]int32 {
	cnt := make([]int32, m)
	for _, r := range rows {
		for _, c := range r {
			cnt[c]++
		}
	}
	cols := make([][]int32, m)
	for c := range cols {
		cols[c] = make([]int32, 0, cnt[c])
	}
	for i, r := range rows {
		for _, c := range r {
			cols[c] = append(cols[c], int32(i))
		}
	}
	return cols
}

// subset reports whether sorted a is contained in sorted b.
func subset(a, b []int32) bool {
	if len(a) > len(b) {
		return false
	}
	j := 0
	for _, x := range a {
		for j < len(b) && b[j] < x {
			j++
		}
		if j == len(b) || b[j] != x {
			return false
		}
		j++
	}
	return true
}

// dropDominatedRows compacts rows in place, removing every row that is a
// superset of another (of an identical earlier one for duplicates), and
// returns the new length. Order of the survivors is preserved.
func dropDominatedRows(rows [][]int32, m int) int {
	cols := columnRows(rows, m)
	dead := make([]bool, len(rows))
	for s, rs := range rows {
		if dead[s] || len(rs) == 0 {
			continue
		}
		// Any superset of rs contains rs's rarest column.
		best := rs[0]
		for _, c := range rs[1:] {
			if len(cols[c]) < len(cols[best]) {
				best = c
			}
		}
		for _, r := range cols[best] {
			if int(r) == s || dead[r] || len(rows[r]) < len(rs) {
				continue
			}
			if len(rows[r]) == len(rs) && int(r) < s {
				continue // the earlier duplicate survives; it removes s when visited
			}
			if subset(rs, rows[r]) {
				dead[r] = true
			}
		}
	}
	n := 0
	for i, r := range rows {
		if !dead[i] {
			rows[n] = r
			n++
		}
	}
	return n
}

// dominatedColumns returns the columns to drop, or nil when none.
func dominatedColumns(rows [][]int32, m int) []bool {
	cols := columnRows(rows, m)
	var dead []bool
	for j := 0; j < m; j++ {
		rj := cols[j]
		if len(rj) == 0 {
			continue
		}
		// A dominating column covers rj's row with the fewest columns.
		best := rj[0]
		for _, r := range rj[1:] {
			if len(rows[r]) < len(rows[best]) {
				best = r
			}
		}
		for _, k := range rows[best] {
			if int(k) == j || (dead != nil && dead[k]) || len(cols[k]) < len(rj) {
				continue
			}
			if len(cols[k]) == len(rj) && int(k) > j {
				continue // equal columns: the lower index survives
			}
			if subset(rj, cols[k]) {
				if dead == nil {
					dead = make([]bool, m)
				}
				dead[j] = true
				break
			}
		}
	}
	return dead
}
