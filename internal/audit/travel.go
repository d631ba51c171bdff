package audit

import (
	"container/heap"
	"context"
	"fmt"
	"math"

	"github.com/onestop/onestop/coverage"
	"github.com/onestop/onestop/data/earth"
	"github.com/onestop/onestop/data/roads"
	"github.com/paulmach/orb"
)

// km is the great-circle distance by the haversine formula on a sphere of
// earth.Radius, the one sphere docs/coverage.md says every onestop distance
// uses. Written out here so the audit does not call the code it checks.
func km(a, b orb.Point) float64 {
	const rad = math.Pi / 180
	s1 := math.Sin((b[1] - a[1]) * rad / 2)
	s2 := math.Sin((b[0] - a[0]) * rad / 2)
	h := s1*s1 + math.Cos(a[1]*rad)*math.Cos(b[1]*rad)*s2*s2
	return 2 * earth.Radius / 1000 * math.Asin(math.Sqrt(math.Min(1, h)))
}

// lowerKm is a lower bound of km(a, b) (cosA: cos of a's latitude) that
// needs no trigonometry per pair: the latitude gap alone is a meridian arc,
// and within 10° of a the longitude gap is at least cos(|lat a| + 10°)
// of the parallel's degree. It only skips pairs that cannot be nearest.
func lowerKm(a, b orb.Point, cosA float64) float64 {
	const kmPerDeg = earth.Radius / 1000 * math.Pi / 180
	dy := math.Abs(b[1] - a[1])
	if dy > 10 {
		return dy * kmPerDeg * 0.999
	}
	dx := math.Abs(b[0] - a[0])
	if dx > 180 {
		dx = 360 - dx
	}
	// cos(lat) over the band [lat a − 10°, lat a + 10°] is at least
	// cosA × 0.98 − 0.18 (cos(x ± 10°) ≥ cos x · cos10° − sin10°), and ≥ 0.
	c := math.Max(0, cosA*0.98-0.18)
	return 0.999 * kmPerDeg * math.Max(dy, dx*c*2/math.Pi)
}

// millis rounds an arc's or access leg's seconds to whole milliseconds, the
// routing weight docs/roads.md documents ("Weights are whole
// milliseconds"), so the audit's times match to the millisecond.
func millis(s float64) uint64 {
	if !(s > 0) {
		return 0
	}
	return uint64(math.Round(s * 1000))
}

// roadGraph is the road network reversed (arcs entering each node), so
// one search from an office gives every node its time TO that office.
type roadGraph struct {
	pts   []orb.Point
	start []int32  // arcs entering v: tail[start[v]:start[v+1]]
	tail  []int32  // the arc's tail (where the resident comes from)
	ms    []uint64 // the arc's weight
	// bucket grid for the nearest node
	minLon, minLat, size float64
	nx, ny               int
	bucket               [][]int32
	perDeg               float64 // lower bound of metres per degree on both axes
	q                    queue   // Dijkstra's queue, reused
}

// bucketDeg is the bucket size of the nearest-node grid (about 1.1 km).
const bucketDeg = 0.01

func newRoadGraph(net *roads.Network) *roadGraph {
	n := len(net.Nodes)
	g := &roadGraph{pts: net.Nodes, start: make([]int32, n+1)}
	for _, a := range net.Arcs {
		g.start[a.To+1]++
	}
	for v := 0; v < n; v++ {
		g.start[v+1] += g.start[v]
	}
	g.tail = make([]int32, len(net.Arcs))
	g.ms = make([]uint64, len(net.Arcs))
	pos := append([]int32(nil), g.start[:n]...)
	for _, a := range net.Arcs {
		k := pos[a.To]
		pos[a.To]++
		g.tail[k], g.ms[k] = a.From, millis(float64(a.Seconds))
	}
	b := orb.MultiPoint(net.Nodes).Bound()
	g.minLon, g.minLat, g.size = b.Min[0], b.Min[1], bucketDeg
	g.nx = int((b.Max[0]-b.Min[0])/bucketDeg) + 1
	g.ny = int((b.Max[1]-b.Min[1])/bucketDeg) + 1
	g.bucket = make([][]int32, g.nx*g.ny)
	for v, p := range net.Nodes {
		x, y := g.coords(p)
		g.bucket[y*g.nx+x] = append(g.bucket[y*g.nx+x], int32(v))
	}
	maxLat := math.Max(math.Abs(b.Min[1]), math.Abs(b.Max[1]))
	g.perDeg = 0.99 * earth.Radius * math.Pi / 180 * math.Cos(math.Min(89, maxLat+1)*math.Pi/180)
	return g
}

func (g *roadGraph) coords(p orb.Point) (int, int) {
	x := int(math.Floor((p[0] - g.minLon) / g.size))
	y := int(math.Floor((p[1] - g.minLat) / g.size))
	return x, y
}

// nearest is the node closest to p by great-circle distance within
// maxMeters, ties to the lower node id (docs/roads.md, "Nearest").
func (g *roadGraph) nearest(p orb.Point, maxMeters float64) (int32, float64, bool) {
	cx, cy := g.coords(p)
	best, bestD := int32(-1), math.Inf(1)
	for r := 0; ; r++ {
		// Nodes in ring r are at least r-1 buckets away along one axis.
		if lb := float64(r-1) * g.size * g.perDeg; r > 0 && (lb > bestD || lb > maxMeters) {
			break
		}
		if r > g.nx+g.ny+abs(cx)+abs(cy) {
			break
		}
		for y := cy - r; y <= cy+r; y++ {
			for x := cx - r; x <= cx+r; x++ {
				if max(abs(x-cx), abs(y-cy)) != r || x < 0 || y < 0 || x >= g.nx || y >= g.ny {
					continue
				}
				for _, v := range g.bucket[y*g.nx+x] {
					d := km(p, g.pts[v]) * 1000
					if d < bestD || d == bestD && v < best {
						best, bestD = v, d
					}
				}
			}
		}
	}
	if best < 0 || bestD > maxMeters {
		return -1, 0, false
	}
	return best, bestD, true
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// item is a node in the Dijkstra queue.
type item struct {
	d uint64
	v int32
}

type queue []item

func (q queue) Len() int { return len(q) }
func (q queue) Less(i, j int) bool {
	return q[i].d < q[j].d || q[i].d == q[j].d && q[i].v < q[j].v
}
func (q queue) Swap(i, j int) { q[i], q[j] = q[j], q[i] }
func (q *queue) Push(x any)   { *q = append(*q, x.(item)) }
func (q *queue) Pop() any {
	old := *q
	it := old[len(old)-1]
	*q = old[:len(old)-1]
	return it
}

// unreached marks a node no path leads from.
const unreached = math.MaxUint64

// toOffice fills dist with every node's milliseconds to the office at node
// s (startMs: the office's own access leg): Dijkstra on the reversed arcs.
func (g *roadGraph) toOffice(s int32, startMs uint64, dist []uint64) {
	for v := range dist {
		dist[v] = unreached
	}
	dist[s] = startMs
	q := &g.q
	*q = append((*q)[:0], item{startMs, s})
	for len(*q) > 0 {
		// Pop and push through heap.Fix: heap.Pop and heap.Push pass
		// items as interface values, one allocation each.
		it := (*q)[0]
		last := len(*q) - 1
		q.Swap(0, last)
		*q = (*q)[:last]
		if last > 0 {
			heap.Fix(q, 0)
		}
		if it.d != dist[it.v] {
			continue // a stale entry
		}
		for k := g.start[it.v]; k < g.start[it.v+1]; k++ {
			u := g.tail[k]
			if nd := it.d + g.ms[k]; nd < dist[u] {
				dist[u] = nd
				*q = append(*q, item{nd, u})
				heap.Fix(q, len(*q)-1)
			}
		}
	}
}

// office is an open point as the audit sees it.
type office struct {
	ID       string
	Name     string
	Loc      orb.Point
	Staff    int
	Counters int
}

// reach is one network's answer for every cell: the quickest and the
// nearest open point, with every point tied with them.
type reach struct {
	minutes []float64 // NaN: no open point reachable
	byTime  [][]int32 // office indices at the quickest time (ascending); nil when unreachable
	km      []float64
	byDist  [][]int32
	// kmOfTime is the distance to byTime[0], the point a resident is
	// assigned to when the plan states no assignment.
	kmOfTime []float64
	// near lists the points within nearTie of the quickest time: the
	// solver times cells in float32 (and, on straight lines, with a
	// Taylor-series haversine), so it may pick any of them.
	near [][]int32
}

// nearTie is the relative difference of travel times under which two
// points count as equally quick for the solver's float32 times.
const nearTie = 1e-6

// traveller times cells to a set of open offices, by road or straight line.
type traveller struct {
	t     coverage.Travel
	road  *roadGraph
	cells []cell
	// road model: each cell's node (-1: farther than SnapMeters from every
	// road) and access leg in seconds
	node   []int32
	access []float64
	minKm  []float64 // straight line: minutes per km of each cell
}

func newTraveller(ctx context.Context, cells []cell, classes func(int) float64, net *roads.Network, t coverage.Travel) (*traveller, error) {
	tr := &traveller{t: t, cells: cells}
	if net == nil || len(net.Arcs) == 0 {
		tr.minKm = make([]float64, len(cells))
		for i, c := range cells {
			tr.minKm[i] = 60 * t.Circuity / classes(c.commune)
		}
		return tr, nil
	}
	tr.road = newRoadGraph(net)
	tr.node = make([]int32, len(cells))
	tr.access = make([]float64, len(cells))
	for i, c := range cells {
		if i%4096 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, fmt.Errorf("audit: snap cells: %w", err)
			}
		}
		v, m, ok := tr.road.nearest(orb.Point{c.lon, c.lat}, t.SnapMeters)
		if !ok {
			tr.node[i] = -1
			continue
		}
		tr.node[i], tr.access[i] = v, tr.accessSeconds(m)
	}
	return tr, nil
}

// accessSeconds is the off-road leg: straight metres × circuity at AccessKmh.
func (tr *traveller) accessSeconds(m float64) float64 {
	return m / 1000 * tr.t.Circuity / tr.t.AccessKmh * 3600
}

// evaluate times every cell to the open offices.
func (tr *traveller) evaluate(ctx context.Context, offs []office) (*reach, error) {
	n := len(tr.cells)
	r := &reach{minutes: make([]float64, n), byTime: make([][]int32, n), km: make([]float64, n),
		byDist: make([][]int32, n), kmOfTime: make([]float64, n), near: make([][]int32, n)}
	for i, c := range tr.cells {
		p := orb.Point{c.lon, c.lat}
		r.km[i] = math.Inf(1)
		cosLat := math.Cos(c.lat * math.Pi / 180)
		for j, o := range offs {
			if lowerKm(p, o.Loc, cosLat) > r.km[i]*(1+nearTie) {
				continue // cannot be the nearest nor tie with it
			}
			d := km(p, o.Loc)
			switch {
			case d < r.km[i]:
				r.km[i], r.byDist[i] = d, []int32{int32(j)}
			case d == r.km[i]:
				r.byDist[i] = append(r.byDist[i], int32(j))
			}
		}
		r.minutes[i] = math.NaN()
	}
	if tr.road == nil {
		for i, c := range tr.cells {
			if len(offs) > 0 {
				// The speed does not depend on the office: quickest = nearest.
				r.minutes[i], r.byTime[i] = r.km[i]*tr.minKm[i], r.byDist[i]
				p := orb.Point{c.lon, c.lat}
				for j, o := range offs {
					// New points sit up to coordSlackKm from where the
					// solver measured them: a cell that close to equidistant
					// may have gone to either.
					if km(p, o.Loc) <= r.km[i]*(1+nearTie)+2*coordSlackKm {
						r.near[i] = append(r.near[i], int32(j))
					}
				}
			}
		}
	} else {
		nearT := make([][]float64, n)
		dist := make([]uint64, len(tr.road.pts))
		for j, o := range offs {
			if err := ctx.Err(); err != nil {
				return nil, fmt.Errorf("audit: road times: %w", err)
			}
			v, m, ok := tr.road.nearest(o.Loc, tr.t.SnapMeters)
			if !ok {
				return nil, fmt.Errorf("audit: office %s is farther than %.0f m from every road node (fix: move it onto the road network)", o.ID, tr.t.SnapMeters)
			}
			tr.road.toOffice(v, millis(tr.accessSeconds(m)), dist)
			for i, u := range tr.node {
				if u < 0 || dist[u] == unreached {
					continue
				}
				t := (float64(dist[u])/1000 + tr.access[i]) / 60
				if math.IsNaN(r.minutes[i]) || t <= r.minutes[i]*(1+nearTie) {
					r.near[i] = append(r.near[i], int32(j))
					nearT[i] = append(nearT[i], t)
				}
				switch {
				case math.IsNaN(r.minutes[i]) || t < r.minutes[i]:
					r.minutes[i], r.byTime[i] = t, []int32{int32(j)}
				case t == r.minutes[i]:
					r.byTime[i] = append(r.byTime[i], int32(j))
				}
			}
		}
		for i := range r.near {
			// Drop the points a later, quicker one pushed out of the tie.
			k := 0
			for x, j := range r.near[i] {
				if nearT[i][x] <= r.minutes[i]*(1+nearTie) {
					r.near[i][k] = j
					k++
				}
			}
			r.near[i] = r.near[i][:k]
		}
	}
	for i, c := range tr.cells {
		if len(r.byTime[i]) > 0 {
			r.kmOfTime[i] = km(orb.Point{c.lon, c.lat}, offs[r.byTime[i][0]].Loc)
		}
	}
	return r, nil
}
