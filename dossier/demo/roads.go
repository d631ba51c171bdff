// This file runs past 600 lines on purpose: it is one pipeline (street
// grids, arterials along shared borders, spurs, planarising, linking islands,
// chaining into ways) whose steps share private geometry types; split apart,
// each piece would need those types exported for the others.

package demo

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"sort"

	"github.com/onestop/onestop/data"
)

// Road class ranks, best first (OSM highway values in roadClass); the rank
// decides which class wins when two drawn roads share a stretch.
const (
	rTrunk = iota
	rPrimary
	rSecondary
	rTertiary
	rUnclassified
	rResidential
)

// maxspeed (km/h) written on the arterials; local roads take the loader's
// class defaults.
func maxspeed(rank int) int {
	switch rank {
	case rTrunk:
		return 80
	case rPrimary:
		return 60
	case rSecondary:
		return 50
	}
	return 0
}

// road is one output LineString: a chain of segments of one class whose
// inner vertices are not junctions, so a loader joining lines only at their
// endpoints still sees every junction.
type road struct {
	rank int
	line []pt
}

type seg struct {
	a, b pt
	rank int
}

// buildRoads draws the network: a jittered street grid inside every commune
// (dense in wards, sparse in remote communes), links across commune borders,
// a road from every office to the grid, and arterials between seats —
// trunk along the south–north corridor, primary between neighbouring
// district seats, secondary/tertiary from commune seats. Crossings become
// junctions, leftover islands are linked to the main component.
func (pv *province) buildRoads(rng *rand.Rand) ([]road, error) {
	uni := func(a, b float64) float64 { return a + rng.Float64()*(b-a) }
	var segs []seg
	grids := make([][]pt, len(pv.communes))
	for i := range pv.communes {
		c := &pv.communes[i]
		var s, drop float64
		rank := rUnclassified
		switch {
		case c.kind == kindWard:
			s, drop, rank = 0.45, 0.08, rResidential
		case c.kind == kindTown:
			s, drop, rank = 0.55, 0.1, rResidential
		case c.class == data.Remote:
			s, drop = 1.5, 0.15
		default:
			s, drop = 1.0, 0.15
		}
		nodes, edges := streetGrid(rng, c.convex, s)
		grids[i] = nodes
		for _, e := range edges {
			if rng.Float64() < drop {
				continue
			}
			segs = append(segs, seg{nodes[e[0]], nodes[e[1]], rank})
		}
	}
	// offices reach the street grid of their commune
	for _, o := range pv.offices {
		c := &pv.communes[o.commune]
		rank := rUnclassified
		if c.class == data.Urban {
			rank = rResidential
		}
		for _, k := range nearestK(grids[o.commune], o.at, 2) {
			segs = append(segs, seg{o.at, grids[o.commune][k], rank})
		}
	}
	// links across commune borders, one per 1.5 km of shared border
	for _, sh := range pv.sharedBorders() {
		n := max(1, int(sh.length/1.5))
		for k := 0; k < n; k++ {
			p := sh.at((float64(k) + 0.5) / float64(n))
			ga, gb := grids[sh.a], grids[sh.b]
			ka, kb := nearestK(ga, p, 1), nearestK(gb, p, 1)
			if len(ka) == 0 || len(kb) == 0 {
				continue
			}
			if ga[ka[0]].dist(p) > 3 || gb[kb[0]].dist(p) > 3 {
				continue
			}
			rank := rUnclassified
			if pv.communes[sh.a].class == data.Urban && pv.communes[sh.b].class == data.Urban {
				rank = rResidential
			}
			segs = append(segs, seg{ga[ka[0]], gb[kb[0]], rank})
		}
	}
	segs = append(segs, pv.arterials(rng, uni)...)
	segs = append(segs, pv.spurs(segs)...)

	for round := 0; ; round++ {
		segs = planarize(segs)
		links := linkIslands(segs)
		if len(links) == 0 {
			break
		}
		if round == 5 {
			return nil, errors.New("road network stays disconnected after linking islands")
		}
		segs = append(segs, links...)
	}
	return chainRoads(segs), nil
}

// streetGrid lays a rotated, jittered square grid of spacing s over the
// convex cell, keeping nodes a margin inside so neighbouring grids do not
// touch; edges join horizontal and vertical neighbours.
func streetGrid(rng *rand.Rand, cell ring, s float64) ([]pt, [][2]int) {
	th := (rng.Float64() - 0.5) * 0.7
	cos, sin := math.Cos(th), math.Sin(th)
	ctr := cell.centroid()
	// rotate the cell into grid coordinates to find the index range
	lo := pt{math.Inf(1), math.Inf(1)}
	hi := pt{math.Inf(-1), math.Inf(-1)}
	for _, p := range cell {
		d := p.sub(ctr)
		q := pt{d.X*cos + d.Y*sin, -d.X*sin + d.Y*cos}
		lo.X, lo.Y = math.Min(lo.X, q.X), math.Min(lo.Y, q.Y)
		hi.X, hi.Y = math.Max(hi.X, q.X), math.Max(hi.Y, q.Y)
	}
	ox, oy := rng.Float64()*s, rng.Float64()*s
	i0, i1 := int(math.Floor((lo.X-ox)/s)), int(math.Ceil((hi.X-ox)/s))
	j0, j1 := int(math.Floor((lo.Y-oy)/s)), int(math.Ceil((hi.Y-oy)/s))
	w := i1 - i0 + 1
	index := map[int]int{}
	var nodes []pt
	for j := j0; j <= j1; j++ {
		for i := i0; i <= i1; i++ {
			gx := ox + (float64(i)+(rng.Float64()-0.5)*0.3)*s
			gy := oy + (float64(j)+(rng.Float64()-0.5)*0.3)*s
			p := ctr.add(pt{gx*cos - gy*sin, gx*sin + gy*cos})
			if cell.containsConvex(p, 0.2*s) {
				index[(j-j0)*w+(i-i0)] = len(nodes)
				nodes = append(nodes, p)
			}
		}
	}
	var edges [][2]int
	for j := j0; j <= j1; j++ {
		for i := i0; i <= i1; i++ {
			a, ok := index[(j-j0)*w+(i-i0)]
			if !ok {
				continue
			}
			if b, ok := index[(j-j0)*w+(i+1-i0)]; ok && i < i1 {
				edges = append(edges, [2]int{a, b})
			}
			if b, ok := index[(j+1-j0)*w+(i-i0)]; ok {
				edges = append(edges, [2]int{a, b})
			}
		}
	}
	return nodes, edges
}

// nearestK returns the indices of the k nodes closest to p, nearest first
// (ties to the lower index); k is tiny, so a selection pass beats sorting.
func nearestK(nodes []pt, p pt, k int) []int {
	out := make([]int, 0, k+1)
	for i, q := range nodes {
		d := q.dist(p)
		pos := len(out)
		for pos > 0 && nodes[out[pos-1]].dist(p) > d {
			pos--
		}
		if pos >= k {
			continue
		}
		out = append(out, 0)
		copy(out[pos+1:], out[pos:])
		out[pos] = i
		if len(out) > k {
			out = out[:k]
		}
	}
	return out
}

// border is the common boundary of two neighbouring communes, as the
// ordered edges of commune a that commune b also has.
type border struct {
	a, b   int
	edges  [][2]pt
	length float64
}

// at returns the point a fraction f along the border's total length.
func (s border) at(f float64) pt {
	want := f * s.length
	for _, e := range s.edges {
		l := e[0].dist(e[1])
		if want <= l {
			return lerp(e[0], e[1], want/l)
		}
		want -= l
	}
	last := s.edges[len(s.edges)-1]
	return last[1]
}

// sharedBorders finds every pair of communes with a common edge. After
// conform, neighbours carry identical edge coordinates, so exact matching works.
func (pv *province) sharedBorders() []border {
	type key struct{ p, q pt }
	owner := map[key]int{}
	for i, c := range pv.communes {
		for k := range c.cell {
			owner[key{c.cell[k], c.cell[(k+1)%len(c.cell)]}] = i
		}
	}
	pair := map[[2]int]int{}
	var out []border
	for i, c := range pv.communes {
		for k := range c.cell {
			p, q := c.cell[k], c.cell[(k+1)%len(c.cell)]
			j, ok := owner[key{q, p}]
			if !ok || j <= i {
				continue
			}
			id, seen := pair[[2]int{i, j}]
			if !seen {
				id = len(out)
				pair[[2]int{i, j}] = id
				out = append(out, border{a: i, b: j})
			}
			out[id].edges = append(out[id].edges, [2]pt{p, q})
			out[id].length += p.dist(q)
		}
	}
	return out
}

// arterials draws the main roads between office seats as gently curving
// polylines cut into pieces of about a kilometre.
func (pv *province) arterials(rng *rand.Rand, uni func(a, b float64) float64) []seg {
	var out []seg
	add := func(a, b pt, rank int) {
		l := a.dist(b)
		if l < 1e-6 {
			return
		}
		n := max(1, int(math.Ceil(l/1.0)))
		amp := uni(-0.06, 0.06) * l
		nrm := pt{-(b.Y - a.Y) / l, (b.X - a.X) / l}
		pts := make([]pt, n+1)
		for k := 0; k <= n; k++ {
			t := float64(k) / float64(n)
			pts[k] = lerp(a, b, t).add(nrm.scale(amp * math.Sin(math.Pi*t)))
		}
		for _, p := range pts {
			if !pv.outline.containsConvex(p, 0.05) {
				// a bend would leave the province: a straight road between
				// two inside points of a convex outline stays inside
				pts = []pt{a, b}
				break
			}
		}
		for k := 1; k < len(pts); k++ {
			out = append(out, seg{pts[k-1], pts[k], rank})
		}
	}
	seat := map[int]pt{} // commune -> its one-stop office
	branch := map[string]pt{}
	for _, o := range pv.offices {
		switch o.kind {
		case data.OneStop:
			seat[o.commune] = o.at
		case data.Branch:
			branch[pv.districts[pv.communes[o.commune].district].code] = o.at
		}
	}
	// the south–north corridor (national road 13 in the real province)
	edgePoint := func(lon, lat float64) pt {
		p := fromLonLat(lon, lat)
		best, bd := p, math.Inf(1)
		for k := range pv.outline {
			a, b := pv.outline[k], pv.outline[(k+1)%len(pv.outline)]
			if d, t := distToSegment(p, a, b); d < bd {
				best, bd = lerp(a, b, t), d
			}
		}
		ctr := pv.outline.centroid()
		return best.add(ctr.sub(best).scale(0.1 / best.dist(ctr)))
	}
	corridor := []pt{edgePoint(106.72, 10.88), branch["725"], branch["718"], branch["721"], branch["719"], edgePoint(106.62, 11.50)}
	linked := map[[2]string]bool{}
	for k := 1; k < len(corridor); k++ {
		add(corridor[k-1], corridor[k], rTrunk)
	}
	for _, p := range [][2]string{{"725", "718"}, {"718", "721"}, {"721", "719"}} {
		linked[p] = true
	}
	// primary roads between the seats of neighbouring districts
	borders := pv.sharedBorders()
	for _, b := range borders {
		da := pv.districts[pv.communes[b.a].district].code
		db := pv.districts[pv.communes[b.b].district].code
		if da == db {
			continue
		}
		if da > db {
			da, db = db, da
		}
		if linked[[2]string{da, db}] || linked[[2]string{db, da}] {
			continue
		}
		linked[[2]string{da, db}] = true
		add(branch[da], branch[db], rPrimary)
	}
	// every commune seat to its district seat
	for i, c := range pv.communes {
		if i == pv.districts[c.district].central {
			continue
		}
		rank := rSecondary
		if c.class == data.Urban {
			rank = rTertiary
		}
		add(seat[i], branch[pv.districts[c.district].code], rank)
	}
	// tertiary roads between the seats of neighbouring rural communes
	for _, b := range borders {
		if pv.communes[b.a].class == data.Urban && pv.communes[b.b].class == data.Urban {
			continue
		}
		add(seat[b.a], seat[b.b], rTertiary)
	}
	return out
}

// spurMaxGap is how far (km) a point of the province may be from the road
// network before a spur road is drawn to it: routing engines snap homes to
// the nearest road node within a couple of kilometres (coverage's default
// is 2 km), and nobody in the demo should fall off the network.
const spurMaxGap = 1.2

// spurs adds dead-end roads into the gaps the street grids leave: along
// thin commune corners and the province border, wherever a point of a
// 0.5 km lattice lies farther than spurMaxGap from every road node.
func (pv *province) spurs(segs []seg) []seg {
	const cell = 1.0
	type bkey struct{ x, y int }
	buckets := map[bkey][]pt{}
	addNode := func(p pt) {
		k := bkey{int(math.Floor(p.X / cell)), int(math.Floor(p.Y / cell))}
		buckets[k] = append(buckets[k], p)
	}
	for _, s := range segs {
		addNode(s.a)
		addNode(s.b)
	}
	nearest := func(p pt) (pt, float64) {
		best, bd := p, math.Inf(1)
		kx, ky := int(math.Floor(p.X/cell)), int(math.Floor(p.Y/cell))
		for x := kx - 2; x <= kx+2; x++ {
			for y := ky - 2; y <= ky+2; y++ {
				for _, q := range buckets[bkey{x, y}] {
					if d := q.dist(p); d < bd {
						best, bd = q, d
					}
				}
			}
		}
		return best, bd
	}
	var out []seg
	lo, hi := pv.outline.bbox()
	for y := lo.Y + 0.25; y < hi.Y; y += 0.5 {
		for x := lo.X + 0.25; x < hi.X; x += 0.5 {
			p := pt{x, y}
			if !pv.outline.containsConvex(p, 0.05) {
				continue
			}
			// searching two buckets around finds anything within 2 km
			if q, d := nearest(p); d > spurMaxGap {
				if math.IsInf(d, 1) {
					// nothing in the buckets around: look everywhere
					for _, b := range buckets {
						for _, c := range b {
							if dc := c.dist(p); dc < d {
								q, d = c, dc
							}
						}
					}
				}
				out = append(out, seg{p, q, rUnclassified})
				addNode(p)
			}
		}
	}
	return out
}

// planarize splits segments at every crossing, so crossings become shared
// junction nodes. A uniform 1 km bucket grid keeps it near linear; a
// crossing is computed only in the bucket that contains it, hence once.
func planarize(segs []seg) []seg {
	const cell = 1.0
	type bkey struct{ x, y int }
	buckets := map[bkey][]int{}
	var keys []bkey
	for i, s := range segs {
		x0, x1 := int(math.Floor(math.Min(s.a.X, s.b.X)/cell)), int(math.Floor(math.Max(s.a.X, s.b.X)/cell))
		y0, y1 := int(math.Floor(math.Min(s.a.Y, s.b.Y)/cell)), int(math.Floor(math.Max(s.a.Y, s.b.Y)/cell))
		for x := x0; x <= x1; x++ {
			for y := y0; y <= y1; y++ {
				k := bkey{x, y}
				if _, ok := buckets[k]; !ok {
					keys = append(keys, k)
				}
				buckets[k] = append(buckets[k], i)
			}
		}
	}
	type cut struct {
		t float64
		p pt
	}
	cuts := make([][]cut, len(segs))
	for _, k := range keys {
		ids := buckets[k]
		for x := 0; x < len(ids); x++ {
			for y := x + 1; y < len(ids); y++ {
				i, j := ids[x], ids[y]
				t, u, ok := segmentIntersection(segs[i].a, segs[i].b, segs[j].a, segs[j].b)
				if !ok {
					continue
				}
				p := lerp(segs[i].a, segs[i].b, t)
				if int(math.Floor(p.X/cell)) != k.x || int(math.Floor(p.Y/cell)) != k.y {
					continue
				}
				cuts[i] = append(cuts[i], cut{t, p})
				cuts[j] = append(cuts[j], cut{u, p})
			}
		}
	}
	out := make([]seg, 0, len(segs)+len(segs)/4)
	for i, s := range segs {
		if len(cuts[i]) == 0 {
			out = append(out, s)
			continue
		}
		cs := cuts[i]
		sort.Slice(cs, func(a, b int) bool { return cs[a].t < cs[b].t })
		prev := s.a
		for _, c := range cs {
			out = append(out, seg{prev, c.p, s.rank})
			prev = c.p
		}
		out = append(out, seg{prev, s.b, s.rank})
	}
	return out
}

// graph numbers the distinct endpoints of segs in order of appearance.
func graph(segs []seg) (nodes []pt, ends [][2]int) {
	id := map[pt]int{}
	node := func(p pt) int {
		if k, ok := id[p]; ok {
			return k
		}
		id[p] = len(nodes)
		nodes = append(nodes, p)
		return len(nodes) - 1
	}
	ends = make([][2]int, len(segs))
	for i, s := range segs {
		ends[i] = [2]int{node(s.a), node(s.b)}
	}
	return nodes, ends
}

// linkIslands returns one unclassified link from every component but the
// largest to its nearest node of the largest.
func linkIslands(segs []seg) []seg {
	nodes, ends := graph(segs)
	parent := make([]int, len(nodes))
	for i := range parent {
		parent[i] = i
	}
	find := func(i int) int {
		for parent[i] != i {
			parent[i] = parent[parent[i]]
			i = parent[i]
		}
		return i
	}
	for _, e := range ends {
		a, b := find(e[0]), find(e[1])
		if a != b {
			parent[max(a, b)] = min(a, b)
		}
	}
	size := map[int]int{}
	for i := range nodes {
		size[find(i)]++
	}
	main := -1
	for i := range nodes {
		r := find(i)
		if main < 0 || size[r] > size[main] || (size[r] == size[main] && r < main) {
			main = r
		}
	}
	var mainNodes []int
	members := map[int][]int{}
	var roots []int
	for i := range nodes {
		r := find(i)
		if r == main {
			mainNodes = append(mainNodes, i)
			continue
		}
		if _, ok := members[r]; !ok {
			roots = append(roots, r)
		}
		members[r] = append(members[r], i)
	}
	var links []seg
	for _, r := range roots {
		bi, bj, bd := -1, -1, math.Inf(1)
		for _, i := range members[r] {
			for _, j := range mainNodes {
				if d := nodes[i].dist(nodes[j]); d < bd {
					bi, bj, bd = i, j, d
				}
			}
		}
		links = append(links, seg{nodes[bi], nodes[bj], rUnclassified})
	}
	return links
}

// chainRoads snaps nodes to the output precision (1e-7°), drops the
// segments that collapse, keeps the best class where two roads overlap, and
// joins segments through nodes of degree two into LineStrings.
func chainRoads(segs []seg) []road {
	type key struct{ x, y int64 }
	snap := func(p pt) (key, pt) {
		lon, lat := toLonLat(p)
		return key{int64(math.Round(lon * 1e7)), int64(math.Round(lat * 1e7))}, p
	}
	id := map[key]int{}
	var nodes []pt
	node := func(p pt) int {
		k, q := snap(p)
		if i, ok := id[k]; ok {
			return i
		}
		id[k] = len(nodes)
		nodes = append(nodes, q)
		return len(nodes) - 1
	}
	type edge struct{ a, b, rank int }
	best := map[[2]int]int{}
	var order [][2]int
	for _, s := range segs {
		a, b := node(s.a), node(s.b)
		if a == b {
			continue
		}
		k := [2]int{min(a, b), max(a, b)}
		if r, ok := best[k]; ok {
			best[k] = min(r, s.rank)
			continue
		}
		best[k] = s.rank
		order = append(order, k)
	}
	adj := make([][]int, len(nodes)) // node -> edge indices
	edges := make([]edge, len(order))
	for i, k := range order {
		edges[i] = edge{k[0], k[1], best[k]}
		adj[k[0]] = append(adj[k[0]], i)
		adj[k[1]] = append(adj[k[1]], i)
	}
	used := make([]bool, len(edges))
	other := func(e, n int) int {
		if edges[e].a == n {
			return edges[e].b
		}
		return edges[e].a
	}
	// a node passes a chain through when exactly two edges of one class meet
	through := func(n int) bool {
		return len(adj[n]) == 2 && edges[adj[n][0]].rank == edges[adj[n][1]].rank
	}
	var out []road
	walk := func(start, e int) {
		line := []pt{nodes[start]}
		n := start
		for {
			used[e] = true
			n = other(e, n)
			line = append(line, nodes[n])
			if n == start || !through(n) {
				break
			}
			next := adj[n][0]
			if next == e {
				next = adj[n][1]
			}
			if used[next] {
				break
			}
			e = next
		}
		out = append(out, road{rank: edges[e].rank, line: line})
	}
	for n := range nodes {
		if through(n) {
			continue
		}
		for _, e := range adj[n] {
			if !used[e] {
				walk(n, e)
			}
		}
	}
	for e := range edges { // rings made only of pass-through nodes
		if !used[e] {
			walk(edges[e].a, e)
		}
	}
	return out
}

// roadStats summarises a network for error messages and tests.
func roadStats(rs []road) string {
	n := 0
	for _, r := range rs {
		n += len(r.line) - 1
	}
	return fmt.Sprintf("%d roads, %d segments", len(rs), n)
}
