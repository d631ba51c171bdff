package demo

import (
	"fmt"
	"sort"
)

// mergeEps is the distance (km) under which two cell vertices are the same
// point. Clipping leaves shared corners a few 1e-13 km apart; 1 m is far
// above that noise and far below any real edge, and above the 1 cm rounding
// of the output, so rounding never splits or folds an edge.
const mergeEps = 1e-3

// conform turns independently clipped cells into a topologically clean
// partition: shared corners get one identical coordinate, and a corner of
// one cell that lies on another cell's edge (where a district border meets
// communes on both sides) is inserted into that edge. Afterwards neighbours
// share exactly the same boundary vertices, so they neither overlap nor
// leave slivers, whatever precision a reader uses.
func conform(cells []ring) ([]ring, error) {
	var all []pt
	for _, r := range cells {
		all = append(all, r...)
	}
	// union-find over vertices closer than mergeEps, via a sweep along X
	parent := make([]int, len(all))
	for i := range parent {
		parent[i] = i
	}
	var find func(int) int
	find = func(i int) int {
		for parent[i] != i {
			parent[i] = parent[parent[i]]
			i = parent[i]
		}
		return i
	}
	order := make([]int, len(all))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return all[order[a]].X < all[order[b]].X })
	for a := 0; a < len(order); a++ {
		i := order[a]
		for b := a + 1; b < len(order) && all[order[b]].X-all[i].X < mergeEps; b++ {
			j := order[b]
			if all[i].dist(all[j]) < mergeEps {
				ri, rj := find(i), find(j)
				// the lowest index represents the cluster, so the result does
				// not depend on the sweep order
				if ri < rj {
					parent[rj] = ri
				} else if rj < ri {
					parent[ri] = rj
				}
			}
		}
	}
	// unique vertices
	uid := map[int]int{}
	var verts []pt
	for i := range all {
		r := find(i)
		if _, ok := uid[r]; !ok {
			uid[r] = len(verts)
			verts = append(verts, all[r])
		}
	}
	idsOf := make([][]int, len(cells))
	k := 0
	for c, r := range cells {
		ids := make([]int, 0, len(r))
		for range r {
			id := uid[find(k)]
			k++
			if len(ids) > 0 && ids[len(ids)-1] == id {
				continue
			}
			ids = append(ids, id)
		}
		for len(ids) > 1 && ids[0] == ids[len(ids)-1] {
			ids = ids[:len(ids)-1]
		}
		if len(ids) < 3 {
			return nil, fmt.Errorf("cell %d collapsed to %d vertices", c, len(ids))
		}
		idsOf[c] = ids
	}
	// insert T-junction vertices into the edges they lie on
	out := make([]ring, len(cells))
	for c, ids := range idsOf {
		var r ring
		for i, a := range ids {
			b := ids[(i+1)%len(ids)]
			r = append(r, verts[a])
			type hit struct {
				t  float64
				id int
			}
			var hits []hit
			for v, p := range verts {
				if v == a || v == b {
					continue
				}
				d, t := distToSegment(p, verts[a], verts[b])
				if d < mergeEps && t > 0 && t < 1 {
					hits = append(hits, hit{t, v})
				}
			}
			sort.Slice(hits, func(x, y int) bool { return hits[x].t < hits[y].t })
			for _, h := range hits {
				r = append(r, verts[h.id])
			}
		}
		out[c] = r
	}
	return out, nil
}
