// Package setcover solves unit-cost set covering exactly: choose the fewest
// columns so that every row has one, some columns fixed in advance.
//
// Solve reduces the rows and columns (Reduce), bounds the optimum from
// below (row packings, a Lagrangian subgradient, and on wide gaps the LP by
// primal-dual steps polished by the volume algorithm), improves the cover
// (greedy, row-weighting local search) and closes the gap by branch and
// bound. It stops when the work budget runs out and returns the best cover
// with its proven lower bound. For a given input and budget the result is
// the same on any machine and for any number of CPUs.
//
// docs/optimize.md describes the method and its measurements.
package setcover

import "sort"

// sortInts sorts idx stably with less, so equal keys keep index order.
func sortInts(idx []int, less func(a, b int) bool) {
	sort.SliceStable(idx, func(x, y int) bool { return less(idx[x], idx[y]) })
}

// Meets reports whether row has a column marked in set: whether a set of
// open columns covers the row.
func Meets(row []int32, set []bool) bool {
	for _, j := range row {
		if set[j] {
			return true
		}
	}
	return false
}
