package setcover

import (
	"math"
	"slices"
)

// greedy completes st to a cover: first the columns with negative reduced
// cost (the Lagrangian solution), then the column meeting most open rows
// (ties: lower reduced cost, then index), then drops redundant columns.
// It returns the extra columns, or nil if some row cannot be met.
func (c *scpCore) greedy(st *scpState, red []float64, useLagr bool) []int32 {
	nr, nc := len(c.rows), len(c.cols)
	met := slices.Clone(st.met)
	var pick []int32
	add := func(j int) {
		pick = append(pick, int32(j))
		for _, i := range c.cols[j] {
			met[i]++
		}
	}
	taken := make([]bool, nc)
	if useLagr && red != nil {
		for j := 0; j < nc; j++ {
			if st.col[j] == 0 && red[j] < 0 {
				add(j)
				taken[j] = true
			}
		}
	}
	cnt := make([]int, nc)
	open := 0
	for i := 0; i < nr; i++ {
		if met[i] == 0 {
			open++
			for _, j := range c.rows[i] {
				cnt[j]++
			}
		}
	}
	for open > 0 {
		bj := -1
		for j := 0; j < nc; j++ {
			if st.col[j] != 0 || taken[j] || cnt[j] == 0 {
				continue
			}
			if bj < 0 || cnt[j] > cnt[bj] || (cnt[j] == cnt[bj] && red != nil && red[j] < red[bj]) {
				bj = j
			}
		}
		if bj < 0 {
			return nil
		}
		taken[bj] = true
		for _, i := range c.cols[bj] {
			if met[i] == 0 {
				open--
				for _, j := range c.rows[i] {
					cnt[j]--
				}
			}
		}
		add(bj)
	}
	// Redundancy: try to drop the most expensive-looking columns first.
	order := make([]int, len(pick))
	for k := range order {
		order[k] = k
	}
	if red != nil {
		sortInts(order, func(a, b int) bool { return red[pick[a]] > red[pick[b]] })
	}
	drop := make([]bool, len(pick))
	for _, k := range order {
		j := pick[k]
		need := false
		for _, i := range c.cols[j] {
			if met[i] <= 1 {
				need = true
				break
			}
		}
		if !need {
			drop[k] = true
			for _, i := range c.cols[j] {
				met[i]--
			}
		}
	}
	out := pick[:0]
	for k, j := range pick {
		if !drop[k] {
			out = append(out, j)
		}
	}
	return out
}

// greedyLagr is the Lagrangian greedy of Caprara, Fischetti and Toth: the
// score of a column is its Lagrangian cost over the rows it would newly
// meet, γ/μ when positive and γ·μ otherwise, so columns the multipliers
// favour and that meet many rows come first; redundant columns are dropped.
func (c *scpCore) greedyLagr(st *scpState, lam []float64) []int32 {
	nr, nc := len(c.rows), len(c.cols)
	met := slices.Clone(st.met)
	mu := make([]int, nc)
	gam := make([]float64, nc)
	open := 0
	for j := 0; j < nc; j++ {
		if st.col[j] != 0 {
			continue
		}
		gam[j] = 1
		for _, i := range c.cols[j] {
			if met[i] == 0 {
				mu[j]++
				gam[j] -= lam[i]
			}
		}
	}
	for i := 0; i < nr; i++ {
		if met[i] == 0 {
			open++
		}
	}
	score := func(j int) float64 {
		if gam[j] > 0 {
			return gam[j] / float64(mu[j])
		}
		return gam[j] * float64(mu[j])
	}
	var pick []int32
	for open > 0 {
		bj, bs := -1, math.Inf(1)
		for j := 0; j < nc; j++ {
			if st.col[j] != 0 || mu[j] == 0 {
				continue
			}
			if sc := score(j); sc < bs {
				bj, bs = j, sc
			}
		}
		if bj < 0 {
			return nil
		}
		pick = append(pick, int32(bj))
		for _, i := range c.cols[bj] {
			if met[i] == 0 {
				open--
				for _, k := range c.rows[i] {
					mu[k]--
					gam[k] += lam[i]
				}
			}
			met[i]++
		}
	}
	return c.dropRedundant(st, pick)
}

// dropRedundant removes columns whose rows are all met by others, those
// meeting the fewest rows alone first.
func (c *scpCore) dropRedundant(st *scpState, pick []int32) []int32 {
	met := slices.Clone(st.met)
	for _, j := range pick {
		for _, i := range c.cols[j] {
			met[i]++
		}
	}
	for {
		drop := -1
		for k, j := range pick {
			need := false
			for _, i := range c.cols[j] {
				if met[i] == 1 {
					need = true
					break
				}
			}
			if !need {
				drop = k
				break
			}
		}
		if drop < 0 {
			return pick
		}
		for _, i := range c.cols[pick[drop]] {
			met[i]--
		}
		pick = slices.Delete(pick, drop, drop+1)
	}
}

// localSearch improves a cover by "two out, one in" moves: drop two columns
// when a single free column meets every row only they met. It returns the
// improved extra columns (nil stays nil).
func (c *scpCore) localSearch(pick []int32) []int32 {
	if len(pick) < 2 {
		return pick
	}
	nr, nc := len(c.rows), len(c.cols)
	in := make([]bool, nc)
	met := make([]int32, nr)
	mark := make([]int32, nr)
	inA := make([]int32, nr)
	inB := make([]int32, nr)
	stamp := int32(0)
	cmark := make([]int32, nc)
	cstamp := int32(0)
	var cand []int32
	for improved := true; improved; {
		improved = false
		clear(in)
		clear(met)
		for _, j := range pick {
			in[j] = true
			for _, i := range c.cols[j] {
				met[i]++
			}
		}
	pairs:
		for a := 0; a < len(pick); a++ {
			for b := a + 1; b < len(pick); b++ {
				ja, jb := pick[a], pick[b]
				stamp++
				for _, i := range c.cols[ja] {
					inA[i] = stamp
				}
				for _, i := range c.cols[jb] {
					inB[i] = stamp
				}
				var rows []int32
				for _, j := range [2]int32{ja, jb} {
					for _, i := range c.cols[j] {
						if mark[i] == stamp {
							continue
						}
						mark[i] = stamp
						own := int32(0)
						if inA[i] == stamp {
							own++
						}
						if inB[i] == stamp {
							own++
						}
						if met[i] == own {
							rows = append(rows, i)
						}
					}
				}
				if len(rows) == 0 {
					pick = slices.Delete(pick, b, b+1)
					improved = true
					break pairs
				}
				// A replacement meets every row in rows: the first column (by
				// index) of their intersection that is not in the cover.
				cand = c.meetAll(rows, in, cmark, &cstamp, cand[:0])
				if len(cand) > 0 {
					pick[a] = cand[0]
					pick = slices.Delete(pick, b, b+1)
					improved = true
					break pairs
				}
			}
		}
	}
	slices.Sort(pick)
	return pick
}

// meetAll appends to out, in increasing index, the columns not in `in`
// that meet every row of rows (rows non-empty). It intersects the rows,
// shortest first, with a stamped mark per column, and stops as soon as the
// intersection is empty.
func (c *scpCore) meetAll(rows []int32, in []bool, mark []int32, stamp *int32, out []int32) []int32 {
	short := rows[0]
	for _, i := range rows[1:] {
		if len(c.rows[i]) < len(c.rows[short]) {
			short = i
		}
	}
	for _, k := range c.rows[short] {
		if !in[k] {
			out = append(out, k)
		}
	}
	for _, i := range rows {
		if len(out) == 0 {
			break
		}
		if i == short {
			continue
		}
		*stamp++
		if *stamp == 0 {
			clear(mark)
			*stamp = 1
		}
		for _, k := range c.rows[i] {
			mark[k] = *stamp
		}
		n := 0
		for _, k := range out {
			if mark[k] == *stamp {
				out[n] = k
				n++
			}
		}
		out = out[:n]
	}
	return out
}
