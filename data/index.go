package data

import (
	"github.com/paulmach/orb"
	"github.com/tidwall/rtree"
)

// communeIndex finds the commune containing a point: an R-tree on the
// bounds narrows the candidates before the exact point-in-polygon test.
type communeIndex struct {
	tree     rtree.RTreeG[int]
	communes []Commune
	// edges are built on first use: only communes something is tested
	// against need one.
	edges []*edgeIndex
}

func newCommuneIndex(cs []Commune) *communeIndex {
	ix := &communeIndex{communes: cs, edges: make([]*edgeIndex, len(cs))}
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
		if (found < 0 || i < found) && ix.contains(i, p) {
			found = i
		}
		return true
	})
	return found
}

// contains tells whether commune i contains p, as
// planar.MultiPolygonContains would, through the commune's edge index.
func (ix *communeIndex) contains(i int, p orb.Point) bool {
	return ix.edgesOf(i).contains(p)
}

func (ix *communeIndex) edgesOf(i int) *edgeIndex {
	if ix.edges[i] == nil {
		ix.edges[i] = newEdgeIndex(ix.communes[i].Geometry, ix.communes[i].Bound)
	}
	return ix.edges[i]
}

func (l *loader) index() *communeIndex {
	if l.communeIdx == nil {
		l.communeIdx = newCommuneIndex(l.ds.Communes)
	}
	return l.communeIdx
}
