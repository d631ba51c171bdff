package data

import (
	"fmt"
	"math"
	"strings"

	"github.com/paulmach/orb"
)

// Sliver thresholds: a part smaller than a hectare, or so thin that its area
// is a tiny fraction of a disc of the same perimeter, is almost always a
// digitising leftover rather than real territory.
const (
	sliverKm2       = 0.01
	sliverRoundness = 0.005
	// overlapSlightKm separates border artefacts from real overlaps.
	overlapSlightKm = 0.5
)

// checkCommuneGeometryRelations warns about slivers and about neighbouring
// communes that overlap; both are typical of independently simplified
// boundaries and do not stop the load.
func (l *loader) checkCommuneGeometryRelations() {
	cs := l.ds.Communes
	var tiny tinyParts
	for i, c := range cs {
		for pi, p := range c.Geometry {
			a := polygonAreaKm2(p)
			per := ringPerimeterKm(p[0])
			round := 0.0
			if per > 0 {
				round = 4 * math.Pi * a / (per * per)
			}
			switch {
			case round < sliverRoundness:
				l.add(Problem{Severity: Warning, File: l.communeFile, Record: l.communeRecords[i], ID: c.Code, Field: "geometry",
					Msg: fmt.Sprintf("polygon %d is a sliver (%.4f km², roundness %.4f)", pi+1, a, round),
					Fix: "delete the sliver or merge it into its neighbour"})
			case a < sliverKm2:
				tiny.add(c.Code, pi+1, a)
			}
		}
	}
	if tiny.parts > 0 {
		l.add(Problem{Severity: Warning, File: l.communeFile, Field: "geometry",
			Msg: fmt.Sprintf("%d polygon part(s) of %d commune(s) are smaller than %.2f km² (islets, or slivers left by digitising): %s",
				tiny.parts, tiny.communes, sliverKm2, tiny.examples()),
			Fix: "delete slivers or merge them into their neighbour; real islets are harmless"})
	}
	if len(cs) < 2 {
		return
	}
	// Independently simplified borders overlap by tens of metres almost
	// everywhere; one summary says so, and only deeper overlaps are listed.
	ix := l.index()
	slight, worst := 0, 0.0
	worstPair := ""
	for i := range cs {
		ix.tree.Search(cs[i].Bound.Min, cs[i].Bound.Max, func(_, _ [2]float64, j int) bool {
			if j <= i {
				return true
			}
			n, depth := penetration(cs[i].Geometry, ix.edgesOf(j))
			m, d2 := penetration(cs[j].Geometry, ix.edgesOf(i))
			depth = math.Max(depth, d2)
			if n+m == 0 {
				return true
			}
			if depth <= overlapSlightKm {
				slight++
				if depth > worst {
					worst, worstPair = depth, cs[i].Code+"/"+cs[j].Code
				}
				return true
			}
			l.add(Problem{Severity: Warning, File: l.communeFile, Record: l.communeRecords[i], ID: cs[i].Code, Field: "geometry",
				Msg: fmt.Sprintf("overlaps commune %s (%s, record %d) by up to %.0f m (%d boundary point(s) inside each other)",
					cs[j].Code, cs[j].Name, l.communeRecords[j], depth*1000, n+m),
				Fix: "check both boundaries: an overlap this deep is more than a simplification artefact"})
			return true
		})
	}
	if slight > 0 {
		l.add(Problem{Severity: Warning, File: l.communeFile, Field: "geometry",
			Msg: fmt.Sprintf("%d pair(s) of neighbouring communes overlap slightly (up to %.0f m, communes %s)", slight, worst*1000, worstPair),
			Fix: "harmless for planning; snap the shared borders (QGIS: Snap geometries to layer) if exact tiling matters"})
	}
}

// tinyParts collects the small but compact polygon parts: on a coast they
// are mostly islets, so they are summarised in one warning rather than
// listed one by one (a national file has dozens).
type tinyParts struct {
	parts, communes int
	last            string
	list            []string
}

func (t *tinyParts) add(code string, part int, km2 float64) {
	t.parts++
	if code != t.last {
		t.communes++
		t.last = code
	}
	if len(t.list) < 5 {
		t.list = append(t.list, fmt.Sprintf("%s polygon %d (%.4f km²)", code, part, km2))
	}
}

func (t *tinyParts) examples() string {
	s := strings.Join(t.list, ", ")
	if n := t.parts - len(t.list); n > 0 {
		s += fmt.Sprintf(" and %d more", n)
	}
	return s
}

// maxOverlapProbes bounds the vertices of one commune tested against a
// neighbour: each test costs a pass over the neighbour's edges, and for
// high-resolution national boundaries testing every vertex of every pair
// would dominate the load. A stride over the candidates keeps the warning
// (it needs only one vertex inside) at a bounded cost.
const maxOverlapProbes = 256

// penetration counts the probed vertices of a strictly inside b and the
// largest distance (km) of such a vertex from b's boundary.
func penetration(a orb.MultiPolygon, b *edgeIndex) (int, float64) {
	bb := b.bound
	var cand []orb.Point
	for _, p := range a {
		for _, r := range p {
			for k, v := range r {
				if k < len(r)-1 && bb.Contains(v) {
					cand = append(cand, v)
				}
			}
		}
	}
	stride := 1 + len(cand)/maxOverlapProbes
	n, depth := 0, 0.0
	for k := 0; k < len(cand); k += stride {
		v := cand[k]
		if !b.contains(v) {
			continue
		}
		d := b.distanceKm(v)
		if d <= 0 {
			continue
		}
		n++
		depth = math.Max(depth, d)
	}
	return n, depth
}

func distanceToBoundaryKm(p orb.Point, mp orb.MultiPolygon) float64 {
	kx := kmPerDegLon * math.Cos(p[1]*math.Pi/180)
	lp := orb.Point{p[0] * kx, p[1] * kmPerDegLat}
	best := math.Inf(1)
	for _, poly := range mp {
		for _, r := range poly {
			for i := 0; i+1 < len(r); i++ {
				a := orb.Point{r[i][0] * kx, r[i][1] * kmPerDegLat}
				b := orb.Point{r[i+1][0] * kx, r[i+1][1] * kmPerDegLat}
				best = math.Min(best, segDistSq(lp, a, b))
			}
		}
	}
	return math.Sqrt(best)
}
