package reports

import (
	"context"
	"fmt"
	"math"
	"slices"
	"sort"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
	"github.com/uber/h3-go/v4"
)

// Catchment is the area an office serves in the scenario: the cells whose
// nearest office (OfficeAfter) it is.
type Catchment struct {
	Office     string
	Cells      int   // cells with a hexagon, drawn in Geometry
	Points     int   // point cells (no hexagon): counted, not drawn
	Population int64 // residents of all its cells
	// MeanMinutes is the population-weighted mean travel time after.
	MeanMinutes float64
	// Geometry is the union of the cells' hexagons: shared edges removed,
	// one polygon per connected patch, holes kept. When the union cannot be
	// formed exactly (mixed H3 resolutions, hexagons that overlap) it is the
	// plain collection of hexagons instead, and Dissolved is false.
	Geometry  orb.MultiPolygon
	Dissolved bool
}

// Catchments groups the cells by the office that serves them after, sorted
// by office ID. Cells without an OfficeAfter are left out.
func Catchments(ctx context.Context, cells []Cell) ([]Catchment, error) {
	type acc struct {
		c       Catchment
		hexes   []orb.Polygon
		minutes float64
	}
	by := map[string]*acc{}
	for i, c := range cells {
		if i%4096 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		if c.OfficeAfter == "" {
			continue
		}
		a := by[c.OfficeAfter]
		if a == nil {
			a = &acc{c: Catchment{Office: c.OfficeAfter}}
			by[c.OfficeAfter] = a
		}
		a.c.Population += c.Population
		a.minutes += float64(c.Population) * c.MinutesAfter
		if hex, ok := cellPolygon(c); ok {
			a.hexes = append(a.hexes, hex)
			a.c.Cells++
		} else {
			a.c.Points++
		}
	}
	ids := make([]string, 0, len(by))
	for id := range by {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	out := make([]Catchment, 0, len(ids))
	for _, id := range ids {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		a := by[id]
		if a.c.Population > 0 {
			a.c.MeanMinutes = a.minutes / float64(a.c.Population)
		}
		a.c.Geometry, a.c.Dissolved = dissolve(a.hexes)
		out = append(out, a.c)
	}
	return out, nil
}

// cellPolygon is the cell's hexagon: given, or computed from its H3 index.
func cellPolygon(c Cell) (orb.Polygon, bool) {
	if len(c.Hexagon) > 0 && len(c.Hexagon[0]) >= 4 {
		return c.Hexagon, true
	}
	if c.H3 == "" {
		return nil, false
	}
	cell := h3.Cell(h3.IndexFromString(c.H3))
	if !cell.IsValid() {
		return nil, false
	}
	b := cell.Boundary()
	ring := make(orb.Ring, 0, len(b)+1)
	for _, ll := range b {
		ring = append(ring, orb.Point{ll.Lng, ll.Lat})
	}
	ring = append(ring, ring[0])
	return orb.Polygon{ring}, true
}

// vkey snaps a vertex to 1e-9° (≈ 0.1 mm) so the shared corners of
// neighbouring hexagons, computed separately, compare equal.
type vkey [2]int64

func keyOf(p orb.Point) vkey {
	return vkey{int64(math.Round(p[0] * 1e9)), int64(math.Round(p[1] * 1e9))}
}

type edge struct{ a, b vkey }

// dissolve unions hexagons that tile without overlap: every edge shared by
// two hexagons appears once in each direction and cancels; the edges left
// are the boundary, traced into rings (counter-clockwise outer rings,
// clockwise holes). The result is checked by area; on any mismatch the
// hexagons are returned as they are.
func dissolve(hexes []orb.Polygon) (orb.MultiPolygon, bool) {
	if len(hexes) == 0 {
		return nil, true
	}
	fallback := func() (orb.MultiPolygon, bool) {
		mp := make(orb.MultiPolygon, len(hexes))
		copy(mp, hexes)
		return mp, false
	}
	hexes = dedupeRings(hexes)
	pts := map[vkey]orb.Point{}
	count := map[edge]int{}
	var order []edge // first-seen order keeps the output deterministic
	var area float64
	for _, h := range hexes {
		ring := h[0]
		if len(h) > 1 {
			return fallback() // cells with holes are not hexagons
		}
		if ring.Orientation() == orb.CW {
			ring = ring.Clone()
			ring.Reverse()
		}
		area += math.Abs(planar.Area(orb.Polygon{ring}))
		for i := 0; i+1 < len(ring); i++ {
			a, b := keyOf(ring[i]), keyOf(ring[i+1])
			if a == b {
				continue
			}
			pts[a], pts[b] = ring[i], ring[i+1]
			e := edge{a, b}
			if count[e] == 0 && count[edge{b, a}] == 0 {
				order = append(order, e)
			}
			count[e]++
		}
	}
	next := map[vkey][]vkey{}
	var starts []vkey
	remaining := 0
	for _, e := range order {
		for _, d := range []edge{e, {e.b, e.a}} {
			n := count[d] - count[edge{d.b, d.a}]
			for ; n > 0; n-- {
				if len(next[d.a]) == 0 {
					starts = append(starts, d.a)
				}
				next[d.a] = append(next[d.a], d.b)
				remaining++
			}
		}
	}
	var outers []orb.Polygon
	var holes []orb.Ring
	for _, s := range starts {
		for len(next[s]) > 0 {
			ring := orb.Ring{pts[s]}
			cur := s
			for {
				nx := next[cur]
				if len(nx) == 0 {
					return fallback() // an open chain: the hexagons do not tile
				}
				to := nx[0]
				next[cur] = nx[1:]
				remaining--
				ring = append(ring, pts[to])
				cur = to
				if cur == s {
					break
				}
			}
			if len(ring) < 4 {
				return fallback()
			}
			if ring.Orientation() == orb.CCW {
				outers = append(outers, orb.Polygon{ring})
			} else {
				holes = append(holes, ring)
			}
		}
	}
	if remaining != 0 {
		return fallback()
	}
	for _, h := range holes {
		best, bestArea := -1, math.Inf(1)
		for i, o := range outers {
			if planar.RingContains(o[0], h[0]) || planar.RingContains(o[0], midpoint(h[0], h[1])) {
				if a := math.Abs(planar.Area(o[0])); a < bestArea {
					best, bestArea = i, a
				}
			}
		}
		if best < 0 {
			return fallback()
		}
		outers[best] = append(outers[best], h)
	}
	if overlapping(outers) {
		return fallback() // e.g. a hexagon inside a coarser one
	}
	mp := orb.MultiPolygon(outers)
	got := 0.0
	for _, p := range mp {
		got += math.Abs(planar.Area(p[0]))
		for _, h := range p[1:] {
			got -= math.Abs(planar.Area(h))
		}
	}
	if math.Abs(got-area) > 1e-6*area {
		return fallback() // overlapping hexagons: the union is smaller than the sum
	}
	return mp, true
}

// dedupeRings drops polygons whose outer ring has the same vertices as an
// earlier one: a cell listed twice (say, split between two communes) is one
// area, and left in it would make the union overlap itself.
func dedupeRings(ps []orb.Polygon) []orb.Polygon {
	seen := map[string]bool{}
	out := ps[:0:0]
	for _, p := range ps {
		keys := make([]vkey, 0, len(p[0]))
		for _, pt := range p[0] {
			keys = append(keys, keyOf(pt))
		}
		sort.Slice(keys, func(i, j int) bool {
			if keys[i][0] != keys[j][0] {
				return keys[i][0] < keys[j][0]
			}
			return keys[i][1] < keys[j][1]
		})
		keys = slices.Compact(keys)
		sig := fmt.Sprint(keys)
		if seen[sig] {
			continue
		}
		seen[sig] = true
		out = append(out, p)
	}
	return out
}

// overlapping reports whether a vertex of one patch lies inside another
// patch. Patches of a same-resolution tiling only touch at shared vertices,
// which are skipped.
func overlapping(ps []orb.Polygon) bool {
	keys := make([]map[vkey]bool, len(ps))
	bounds := make([]orb.Bound, len(ps))
	for i, p := range ps {
		keys[i] = map[vkey]bool{}
		for _, r := range p {
			for _, pt := range r {
				keys[i][keyOf(pt)] = true
			}
		}
		bounds[i] = p.Bound()
	}
	for i := range ps {
		for j := range ps {
			if i == j || !bounds[i].Intersects(bounds[j]) {
				continue
			}
			for _, pt := range ps[j][0] {
				if !keys[i][keyOf(pt)] && planar.PolygonContains(ps[i], pt) {
					return true
				}
			}
		}
	}
	return false
}

func midpoint(a, b orb.Point) orb.Point { return orb.Point{(a[0] + b[0]) / 2, (a[1] + b[1]) / 2} }
