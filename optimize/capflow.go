package optimize

import (
	"math"
	"math/bits"
	"slices"

	"github.com/onestop/onestop/optimize/flow"
)

// capFlow decides whether an open set can serve every dossier that must be
// served within the points' capacities, exactly: a transportation problem
// (cells may split) solved as a maximum flow. Cells are grouped by the set
// of open points that can serve them, so the flow network has a node per
// group, not per cell, and stays small however fine the grid is.
type capFlow struct {
	deficit float64 // dossiers no assignment can place (0: feasible)
	// cut is the worst Hall violator when deficit > 0: the form rows whose
	// every reachable open point is saturated, their dossiers and the
	// capacity of those points (demand − capacity = deficit).
	cut       []int32
	cutDemand float64
	cutCap    float64
	// Per group: its rows and the flow it sends to each open point.
	groups [][]int32
	flows  [][]flowPair // cand, dossiers
}

// capacityFlow solves the transportation problem of open. Rows that may
// stay unserved or have no dossiers take no capacity.
func (f *form) capacityFlow(open []bool) capFlow {
	var pts []int32
	slot := make([]int32, len(open))
	for j, o := range open {
		slot[j] = -1
		if o {
			slot[j] = int32(len(pts))
			pts = append(pts, int32(j))
		}
	}
	words := max(1, (len(pts)+63)/64)
	// Mark each row's reachable open points from the open points' side:
	// a few thousand rows per point instead of every row's whole list.
	key := make([]uint64, len(f.rows)*words)
	for s, j := range pts {
		for _, r := range f.rowsOf(j) {
			key[int(r)*words+s>>6] |= 1 << (uint(s) & 63)
		}
	}
	keyOf := func(r int32) []uint64 { return key[int(r)*words : (int(r)+1)*words] }
	var rows []int32
	var lost float64 // required dossiers with no open point at all
	var lostRows []int32
	for r := range f.rows {
		if f.d[r] <= 0 || f.allowU[r] {
			continue
		}
		if !slices.ContainsFunc(keyOf(int32(r)), func(w uint64) bool { return w != 0 }) {
			lost += f.d[r]
			lostRows = append(lostRows, int32(r))
			continue
		}
		rows = append(rows, int32(r))
	}
	// Rows by key, then index: equal keys are one group.
	slices.SortFunc(rows, func(a, b int32) int {
		if c := slices.Compare(keyOf(a), keyOf(b)); c != 0 {
			return c
		}
		return int(a - b)
	})
	var out capFlow
	var gKey [][]uint64
	var gDem []float64
	for n, r := range rows {
		if n == 0 || !slices.Equal(keyOf(r), keyOf(rows[n-1])) {
			out.groups = append(out.groups, nil)
			gKey = append(gKey, keyOf(r))
			gDem = append(gDem, 0)
		}
		g := len(out.groups) - 1
		out.groups[g] = append(out.groups[g], r)
		gDem[g] += f.d[r]
	}
	// Network: source 0, groups 1..G, points G+1..G+P, sink G+P+1.
	G, P := len(gKey), len(pts)
	net := flow.NewNetwork(G + P + 2)
	// One arc per group, per point and per (group, reachable point): sized
	// once, as a province's check holds millions of them.
	arcs := G + P
	for _, k := range gKey {
		for _, w := range k {
			arcs += bits.OnesCount64(w)
		}
	}
	net.Reserve(arcs)
	src, snk := 0, G+P+1
	total := 0.0
	for g := range gKey {
		net.Add(src, 1+g, gDem[g])
		total += gDem[g]
		for s := 0; s < P; s++ {
			if gKey[g][s>>6]&(1<<(uint(s)&63)) != 0 {
				net.Add(1+g, 1+G+s, math.Inf(1))
			}
		}
	}
	for s, j := range pts {
		net.Add(1+G+s, snk, f.cap[j])
	}
	sent := net.MaxFlow(src, snk)
	f.steps += net.Visited() + int64(len(key))
	out.deficit = lost
	if d := total - sent; d > 1e-9*max(1, total) {
		out.deficit += d
	}
	out.flows = make([][]flowPair, G)
	for g := range gKey {
		net.Arcs(1+g, func(to int, fl float64) {
			if to > G && to <= G+P && fl > 0 {
				out.flows[g] = append(out.flows[g], flowPair{pts[to-1-G], fl})
			}
		})
	}
	if out.deficit > 0 {
		// The source side of the minimum cut: groups and points still
		// reachable in the residual network.
		seen := net.Reachable(src)
		for g := range gKey {
			if seen[1+g] {
				out.cut = append(out.cut, out.groups[g]...)
				out.cutDemand += gDem[g]
			}
		}
		for s, j := range pts {
			if seen[1+G+s] {
				out.cutCap += f.cap[j]
			}
		}
		out.cut = append(out.cut, lostRows...)
		out.cutDemand += lost
		slices.Sort(out.cut)
	}
	return out
}

// greedyFits reports whether a greedy placement puts every dossier that
// must be served within the capacities of the points open marks: rows with
// the fewest open points first, each filling its points in order. True is
// a proof (the placement is a feasible transportation plan); false proves
// nothing, and the exact flow must decide. With every allowed point open
// the flow network has an arc per pair (8.8 M on Binh Duong, 320 MB);
// where capacity is ample the greedy answers with no network at all.
func (f *form) greedyFits(open []bool) bool {
	f.steps += f.pairWork()
	nOpen := make([]int32, len(f.rows))
	var order []int32
	for r, ps := range f.pairs {
		if f.d[r] <= 0 || f.allowU[r] {
			continue
		}
		for _, q := range ps {
			if open[q.cand] {
				nOpen[r]++
			}
		}
		if nOpen[r] == 0 {
			return false
		}
		order = append(order, int32(r))
	}
	slices.SortStableFunc(order, func(a, b int32) int { return int(nOpen[a] - nOpen[b]) })
	left := slices.Clone(f.cap)
	for _, r := range order {
		rem := f.d[r]
		for _, q := range f.pairs[r] {
			if rem <= 0 {
				break
			}
			if open[q.cand] && left[q.cand] > 0 {
				take := min(rem, left[q.cand])
				left[q.cand] -= take
				rem -= take
			}
		}
		if rem > 1e-9*max(1, f.d[r]) {
			return false
		}
	}
	return true
}

// rowsOf lists the rows candidate j can serve (j's column of the
// assignment pairs), ascending. Columns are derived from the instance's
// candidate rows on first use and kept: a capacity search opens a few
// hundred of a province's thousands of candidates, so a full transpose of
// the pairs (37 MB on Binh Duong) would mostly hold columns never read.
// The derivation follows buildPairs: a row the plan must cover under
// consolidate (or any mclp row) takes j when j's rule covers its cell, any
// other row when j's Times list it; only allowed candidates have pairs.
func (f *form) rowsOf(j int32) []int32 {
	if f.byCand == nil {
		f.byCand = make([][]int32, len(f.fixed))
	}
	if f.byCand[j] != nil || !f.allow[j] {
		return f.byCand[j]
	}
	rowOf, viaCover := f.rowIndex(), f.pairsViaCover
	var out []int32
	cov := f.inst.Cover
	for _, c := range cov.Cell[cov.Start[j]:cov.Start[j+1]] {
		if r := rowOf[c]; r >= 0 && viaCover(r) {
			out = append(out, r)
		}
	}
	if f.model != MCLP {
		t := f.inst.Times
		n := len(out)
		for _, c := range t.Cell[t.Start[j]:t.Start[j+1]] {
			if r := rowOf[c]; r >= 0 && !viaCover(r) {
				out = append(out, r)
			}
		}
		if n > 0 && len(out) > n {
			slices.Sort(out) // rows ascend by cell; the two lists interleave
		}
	}
	if out == nil {
		out = []int32{}
	}
	f.byCand[j] = slices.Clip(out)
	return f.byCand[j]
}

// flowAssign turns a feasible flow into shares per form row: the rows of a
// group split in the proportions the group sends to each point, which
// keeps every point within its capacity.
func (f *form) flowAssign(cf capFlow, out [][]Share) {
	for g, rows := range cf.groups {
		tot := 0.0
		for _, q := range cf.flows[g] {
			tot += q.amt
		}
		if tot <= 0 {
			continue
		}
		var sh []Share
		for _, q := range cf.flows[g] {
			if s := q.amt / tot; s > 1e-12 {
				sh = append(sh, Share{Cand: q.cand, Share: s})
			}
		}
		for _, r := range rows {
			out[r] = slices.Clone(sh)
		}
	}
}
