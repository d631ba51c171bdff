package data

import (
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
	"github.com/tidwall/rtree"
)

// communeIndex finds the commune containing a point: an R-tree on the
// bounds narrows the candidates before the exact point-in-polygon test.
type communeIndex struct {
	tree     rtree.RTreeG[int]
	communes []Commune
}

func newCommuneIndex(cs []Commune) *communeIndex {
	ix := &communeIndex{communes: cs}
	for i, c := range cs {
		ix.tree.Insert(c.Bound.Min, c.Bound.Max, i)
	}
	return ix
}

// locate returns the index of the commune containing p, or -1. A point on a
// shared border (or in an overlap) goes to the commune listed first, so the
// answer does not depend on the tree's layout.
func (ix *communeIndex) locate(p orb.Point) int {
	found := -1
	ix.tree.Search(p, p, func(_, _ [2]float64, i int) bool {
		if (found < 0 || i < found) && planar.MultiPolygonContains(ix.communes[i].Geometry, p) {
			found = i
		}
		return true
	})
	return found
}

func (l *loader) index() *communeIndex {
	if l.communeIdx == nil {
		l.communeIdx = newCommuneIndex(l.ds.Communes)
	}
	return l.communeIdx
}
