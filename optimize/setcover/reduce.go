package setcover

import (
	"runtime"
	"slices"
	"sync"
)

// Reduction is what the exact set-covering reductions left to solve.
type Reduction struct {
	Rows   [][]int32 // remaining rows, each a sorted list of candidate indices
	Forced []int32   // candidates every optimal cover contains
	// Counts before/after, for the report.
	RowsIn, ColsIn, RowsOut, ColsOut int
}

// Reduce applies the classic exact reductions for unit-cost set
// covering until nothing changes:
//   - a row with a single column forces that column (its rows are then met);
//   - duplicate rows are dropped, and a row whose columns are a superset of
//     another row's columns is implied by it and dropped;
//   - a column whose rows are a subset of another column's rows is never
//     needed with unit costs (swap it for the larger one) and is dropped;
//     equal columns keep the lower index so the result is deterministic.
//
// rows must be sorted and deduplicated; they are not modified.
func Reduce(rows [][]int32, m int) Reduction {
	red := Reduction{RowsIn: len(rows)}
	colSeen := make([]bool, m)
	for _, r := range rows {
		for _, c := range r {
			colSeen[c] = true
		}
	}
	// Duplicate rows first, by sorting (the earliest copy survives), so the
	// dominance scans below see each distinct row once.
	uniq := uniqueRows(rows)
	cur := make([][]int32, 0, len(uniq))
	for _, i := range uniq {
		cur = append(cur, slices.Clone(rows[i]))
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
				if !Meets(r, met) {
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

// uniqueRows returns, in increasing order, the index of the first copy of
// every distinct row.
func uniqueRows(rows [][]int32) []int {
	idx := make([]int, len(rows))
	for i := range idx {
		idx[i] = i
	}
	slices.SortFunc(idx, func(a, b int) int {
		ra, rb := rows[a], rows[b]
		if len(ra) != len(rb) {
			return len(ra) - len(rb)
		}
		if c := slices.Compare(ra, rb); c != 0 {
			return c
		}
		return a - b
	})
	keep := idx[:0]
	for k, i := range idx {
		if k == 0 || !slices.Equal(rows[i], rows[idx[k-1]]) {
			keep = append(keep, i)
		}
	}
	slices.Sort(keep)
	return keep
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

// bitRows packs sorted lists over [0, width) into bitsets of words uint64
// each (list i at words [i*words, (i+1)*words)): a subset test is then a
// few word operations instead of a merge of two lists hundreds long.
func bitRows(lists [][]int32, width int) ([]uint64, int) {
	words := (width + 63) / 64
	bits := make([]uint64, len(lists)*words)
	for i, l := range lists {
		b := bits[i*words : (i+1)*words]
		for _, v := range l {
			b[v>>6] |= 1 << (uint(v) & 63)
		}
	}
	return bits, words
}

// subsetBits reports whether the sorted list a, packed as bitset ab, is
// contained in the bitset bb; only the words a spans are compared.
func subsetBits(a []int32, ab, bb []uint64) bool {
	for w := a[0] >> 6; w <= a[len(a)-1]>>6; w++ {
		if ab[w]&^bb[w] != 0 {
			return false
		}
	}
	return true
}

// dominated runs find(k, dead) for every k in [0, n), spread over the
// CPUs; each worker marks into its own slice, and the union is returned
// (nil when nothing is dead). find may skip work for a k its own worker
// already marked, which keeps the union independent of the split as long
// as domination is transitive — it is for both rows and columns.
func dominated(n int, find func(k int, dead []bool)) []bool {
	workers := min(runtime.GOMAXPROCS(0), max(1, n/512))
	deads := make([][]bool, workers)
	var wg sync.WaitGroup
	for w := range workers {
		deads[w] = make([]bool, n)
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := w; k < n; k += workers {
				find(k, deads[w])
			}
		}()
	}
	wg.Wait()
	var dead []bool
	for _, d := range deads {
		for k, x := range d {
			if x {
				if dead == nil {
					dead = make([]bool, n)
				}
				dead[k] = true
			}
		}
	}
	return dead
}

// DropSupersets compacts rows (lists of columns below m, sorted) in place,
// removing every row that contains another row (for duplicates, every copy
// but the first): a cover meeting the others meets those too. The
// survivors keep their order.
func DropSupersets(rows [][]int32, m int) [][]int32 {
	return rows[:dropDominatedRows(rows, m)]
}

// dropDominatedRows is DropSupersets returning the new length.
func dropDominatedRows(rows [][]int32, m int) int {
	// Both views of the rows at once: on a province they are millions of
	// entries each.
	var bits []uint64
	var words int
	done := make(chan struct{})
	go func() {
		defer close(done)
		bits, words = bitRows(rows, m)
	}()
	cols := columnRows(rows, m)
	<-done
	dead := dominated(len(rows), func(s int, dead []bool) {
		rs := rows[s]
		if dead[s] || len(rs) == 0 {
			return
		}
		sb := bits[s*words : (s+1)*words]
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
				continue // the earlier duplicate survives; it removes s
			}
			if subsetBits(rs, sb, bits[int(r)*words:(int(r)+1)*words]) {
				dead[r] = true
			}
		}
	})
	if dead == nil {
		return len(rows)
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
	bits, words := bitRows(cols, len(rows))
	return dominated(m, func(j int, dead []bool) {
		rj := cols[j]
		if len(rj) == 0 || dead[j] {
			return
		}
		jb := bits[j*words : (j+1)*words]
		// A dominating column covers rj's row with the fewest columns.
		best := rj[0]
		for _, r := range rj[1:] {
			if len(rows[r]) < len(rows[best]) {
				best = r
			}
		}
		for _, k := range rows[best] {
			if int(k) == j || len(cols[k]) < len(rj) {
				continue
			}
			if len(cols[k]) == len(rj) && int(k) > j {
				continue // equal columns: the lower index survives
			}
			if subsetBits(rj, jb, bits[int(k)*words:(int(k)+1)*words]) {
				dead[j] = true
				return
			}
		}
	})
}
