package coverage

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/onestop/onestop/data"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
	"github.com/tidwall/rtree"
	"github.com/uber/h3-go/v4"
)

// DefaultResolution is the H3 resolution of the index when none is given:
// res-9 cells average 0.105 km², fine enough that a cell centre stands for
// its residents within a few hundred metres, coarse enough that a province
// is tens of thousands of cells.
const DefaultResolution = 9

// IndexOptions configures NewIndex.
type IndexOptions struct {
	// Resolution is the H3 resolution, 1..15; 0 means DefaultResolution.
	Resolution int
}

// Cell is one populated place: an H3 cell owned by exactly one commune.
type Cell struct {
	H3         h3.Cell
	Lon, Lat   float64 // centre, degrees
	Commune    int32   // index into Index.Communes
	Population int64
}

// IndexStats counts the places where the input's geometry was imperfect,
// so a planner can see how much of the index rests on a tie-break.
type IndexStats struct {
	// OrphanCells are cells H3 placed in a commune whose centre lies in no
	// commune polygon by the planar test (slivers along shared borders);
	// they stay with the commune whose polygon produced them.
	OrphanCells int
	// OverlapCells are cells whose centre lies in two or more commune
	// polygons; the commune with the smallest code gets them.
	OverlapCells int
	// InteriorCells are cells given to communes too small to hold any cell
	// centre: the cell of an interior point of the commune.
	InteriorCells int
	// GriddedRecords is the number of gridded population records read and
	// GriddedUnmatched those whose cell or point fell outside every commune
	// cell; their counts only shape the spread, never the commune totals.
	GriddedRecords   int
	GriddedUnmatched int
}

// Index is the cells of a dataset's communes with their residents.
type Index struct {
	Resolution int
	Communes   []data.Commune  // the dataset's communes, in dataset order
	Districts  []data.District // the dataset's districts, for aggregates
	Cells      []Cell          // sorted by H3 id
	// CommuneCells lists the cells of each commune (indices into Cells,
	// ascending).
	CommuneCells [][]int32
	Stats        IndexStats

	// gridCells buckets the cell centres for radius searches (candidate sets,
	// the straight-line reacher). It is built on first use: a coverage run
	// never needs it, and for a national index it is 77 MB.
	gridOnce  sync.Once
	gridCells cellGrid
}

// grid returns the cell grid, building it on first use; safe for
// concurrent use.
func (x *Index) grid() *cellGrid {
	x.gridOnce.Do(func() { x.gridCells = newCellGrid(x.Cells) })
	return &x.gridCells
}

// Lookup returns the position in Cells of an H3 cell: a binary search of
// the sorted cells, which saves a national index the ~100 MB of a map.
func (x *Index) Lookup(c h3.Cell) (int32, bool) {
	i, ok := slices.BinarySearchFunc(x.Cells, c, func(a Cell, c h3.Cell) int { return cmp.Compare(a.H3, c) })
	return int32(i), ok
}

// Population is the total number of residents over all cells.
func (x *Index) Population() int64 {
	var s int64
	for _, c := range x.Cells {
		s += c.Population
	}
	return s
}

// NewIndex fills every commune of ds with H3 cells and spreads its
// population over them. ds.Population, when present, weights the spread.
func NewIndex(ctx context.Context, ds *data.Dataset, opt IndexOptions) (*Index, error) {
	if ds == nil {
		return nil, fmt.Errorf("coverage: no dataset")
	}
	res := opt.Resolution
	if res == 0 {
		res = DefaultResolution
	}
	if res < 1 || res > h3.MaxResolution {
		return nil, fmt.Errorf("coverage: H3 resolution %d out of range; use 1..%d (default %d)", res, h3.MaxResolution, DefaultResolution)
	}
	if len(ds.Communes) == 0 {
		return nil, fmt.Errorf("coverage: dataset %q has no communes; the communes file must hold at least one (Multi)Polygon", ds.Source)
	}
	if err := checkCommunes(ds); err != nil {
		return nil, err
	}

	x := &Index{
		Resolution: res,
		Communes:   ds.Communes,
		Districts:  ds.Districts,
	}
	cells, err := x.assignCells(ctx, ds)
	if err != nil {
		return nil, err
	}
	x.build(cells)
	if err := x.spreadPopulation(ctx, ds.Population); err != nil {
		return nil, err
	}
	return x, nil
}

func checkCommunes(ds *data.Dataset) error {
	seen := make(map[string]int, len(ds.Communes))
	for i, c := range ds.Communes {
		where := fmt.Sprintf("%s: commune %d (code %q, %s)", ds.Source, i+1, c.Code, c.Name)
		if prev, dup := seen[c.Code]; dup {
			return fmt.Errorf("coverage: %s: code already used by commune %d; give every commune a unique code", where, prev+1)
		}
		seen[c.Code] = i
		if c.Population < 0 {
			return fmt.Errorf("coverage: %s: population %d is negative; fix the population field", where, c.Population)
		}
		if len(c.Geometry) == 0 {
			return fmt.Errorf("coverage: %s: no boundary polygon; the commune needs a (Multi)Polygon geometry", where)
		}
		for _, p := range c.Geometry {
			if len(p) == 0 || len(p[0]) < 4 {
				return fmt.Errorf("coverage: %s: a polygon ring has fewer than 4 points; fix or drop the degenerate polygon", where)
			}
			for _, r := range p {
				for _, pt := range r {
					if math.IsNaN(pt[0]) || math.IsNaN(pt[1]) || pt[0] < -180 || pt[0] > 180 || pt[1] < -90 || pt[1] > 90 {
						return fmt.Errorf("coverage: %s: vertex %v is not a lon/lat in degrees; reproject the file to EPSG:4326", where, pt)
					}
				}
			}
		}
	}
	return nil
}

// assignCells decides the owning commune of every cell and returns the
// cells sorted by H3 id with their centre and commune. H3 places a cell in
// a polygon when its centre is inside, so neighbouring communes claim the
// same cell where their polygons overlap and nobody claims it where they
// leave a gap. The planar centre test breaks ties: the containing commune
// with the smallest code wins; when no polygon contains the centre (H3 and
// the planar test disagree on a border) the smallest-code claimant keeps
// it, so no populated cell is dropped.
//
// The work is spread over GOMAXPROCS goroutines (filling polygons, then
// deciding owners) and merged in a fixed order, so the result does not
// depend on the number of workers. Claims are a sorted slice rather than a
// map of slices: a national index has 2.85 M cells (docs/performance.md).
func (x *Index) assignCells(ctx context.Context, ds *data.Dataset) ([]Cell, error) {
	workers := runtime.GOMAXPROCS(0)
	filled := make([][]h3.Cell, len(ds.Communes))
	fillErr := make([]error, len(ds.Communes))
	parallelFor(ctx, len(ds.Communes), workers, 1, func(lo, hi int) {
		for i := lo; i < hi; i++ {
			c := &ds.Communes[i]
			for _, p := range c.Geometry {
				cells, err := polygonCells(p, x.Resolution)
				if err != nil {
					fillErr[i] = fmt.Errorf("coverage: %s: commune %q (%s): %w", ds.Source, c.Code, c.Name, err)
					break
				}
				filled[i] = append(filled[i], cells...)
			}
		}
	})
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("coverage: index: %w", err)
	}
	total := 0
	for i := range filled {
		if fillErr[i] != nil {
			return nil, fillErr[i] // the first commune in file order
		}
		total += len(filled[i])
	}
	claims := make([]cellClaim, 0, total)
	for i := range filled {
		for _, h := range filled[i] {
			claims = append(claims, cellClaim{h, int32(i)})
		}
		filled[i] = nil
	}
	// Sorted by cell, then commune: a commune claims a cell once however
	// many of its polygons produced it.
	slices.SortFunc(claims, func(a, b cellClaim) int {
		return cmp.Or(cmp.Compare(a.h, b.h), cmp.Compare(a.commune, b.commune))
	})
	claims = slices.Compact(claims)
	groups := make([]int32, 0, len(claims)/2+1) // start of each cell's claims
	for k := range claims {
		if k == 0 || claims[k].h != claims[k-1].h {
			groups = append(groups, int32(k))
		}
	}
	groups = append(groups, int32(len(claims)))

	var tr rtree.RTreeG[int32]
	prepared := make([]preparedMultiPolygon, len(ds.Communes))
	for i := range ds.Communes {
		b := ds.Communes[i].Geometry.Bound()
		tr.Insert(b.Min, b.Max, int32(i))
		prepared[i] = prepareMultiPolygon(ds.Communes[i].Geometry)
	}
	cells := make([]Cell, len(groups)-1)
	type chunkStats struct{ orphan, overlap int }
	const chunk = 4096
	stats := make([]chunkStats, (len(cells)+chunk-1)/chunk)
	parallelFor(ctx, len(cells), workers, chunk, func(lo, hi int) {
		var containing, claimants []int32
		st := &stats[lo/chunk]
		for g := lo; g < hi; g++ {
			cl := claims[groups[g]:groups[g+1]]
			h := cl[0].h
			ll := h.LatLng()
			pt := orb.Point{ll.Lng, ll.Lat}
			containing = containing[:0]
			tr.Search(pt, pt, func(_, _ [2]float64, ci int32) bool {
				if prepared[ci].contains(pt) {
					containing = append(containing, ci)
				}
				return true
			})
			claimants = claimants[:0]
			for _, c := range cl {
				claimants = append(claimants, c.commune)
			}
			o, orphan, overlap := pickOwner(claimants, containing, ds.Communes)
			if orphan {
				st.orphan++
			}
			if overlap {
				st.overlap++
			}
			cells[g] = Cell{H3: h, Lon: ll.Lng, Lat: ll.Lat, Commune: o}
		}
	})
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("coverage: index: %w", err)
	}
	for _, st := range stats {
		x.Stats.OrphanCells += st.orphan
		x.Stats.OverlapCells += st.overlap
	}
	claims, groups = nil, nil

	// Communes left without a cell get the cell of an interior point. They
	// are visited in code order so the outcome does not depend on file order.
	count := make([]int, len(ds.Communes))
	for _, c := range cells {
		count[c.Commune]++
	}
	order := make([]int32, len(ds.Communes))
	for i := range order {
		order[i] = int32(i)
	}
	slices.SortFunc(order, func(a, b int32) int { return cmp.Compare(ds.Communes[a].Code, ds.Communes[b].Code) })
	own := cellOwners{cells: cells}
	for _, ci := range order {
		if count[ci] > 0 {
			continue
		}
		c := &ds.Communes[ci]
		ip := interiorPoint(c.Geometry)
		h := h3.LatLngToCell(h3.NewLatLng(ip[1], ip[0]), x.Resolution)
		got, err := freeCell(h, own.get, count)
		if err != nil {
			return nil, fmt.Errorf("coverage: %s: commune %q (%s): %w; use a finer H3 resolution", ds.Source, c.Code, c.Name, err)
		}
		if prev, ok := own.get(got); ok {
			count[prev]--
		}
		own.set(got, ci)
		count[ci]++
		x.Stats.InteriorCells++
	}
	return own.sorted(), nil
}

// cellClaim is one commune's claim on a cell (H3 filled its polygon with it).
type cellClaim struct {
	h       h3.Cell
	commune int32
}

// cellOwners is the owner of every cell during the interior-point pass:
// the sorted cells, plus the few cells that pass adds.
type cellOwners struct {
	cells []Cell // sorted by H3
	added map[h3.Cell]int32
}

func (o *cellOwners) find(h h3.Cell) (int, bool) {
	return slices.BinarySearchFunc(o.cells, h, func(c Cell, h h3.Cell) int { return cmp.Compare(c.H3, h) })
}

func (o *cellOwners) get(h h3.Cell) (int32, bool) {
	if ci, ok := o.added[h]; ok {
		return ci, true
	}
	if i, ok := o.find(h); ok {
		return o.cells[i].Commune, true
	}
	return 0, false
}

func (o *cellOwners) set(h h3.Cell, ci int32) {
	if i, ok := o.find(h); ok {
		o.cells[i].Commune = ci
		return
	}
	if o.added == nil {
		o.added = make(map[h3.Cell]int32)
	}
	o.added[h] = ci
}

// sorted returns every cell, the added ones merged in H3 order.
func (o *cellOwners) sorted() []Cell {
	if len(o.added) == 0 {
		return o.cells
	}
	for h, ci := range o.added {
		ll := h.LatLng()
		o.cells = append(o.cells, Cell{H3: h, Lon: ll.Lng, Lat: ll.Lat, Commune: ci})
	}
	slices.SortFunc(o.cells, func(a, b Cell) int { return cmp.Compare(a.H3, b.H3) })
	return o.cells
}

// parallelFor calls do on [lo, hi) ranges of at most chunk items covering
// [0, n), from up to workers goroutines, and returns when all are done or
// ctx is cancelled. Callers write results by position, so the outcome does
// not depend on the number of workers or the scheduling.
func parallelFor(ctx context.Context, n, workers, chunk int, do func(lo, hi int)) {
	var next atomic.Int64
	var wg sync.WaitGroup
	for range max(1, min(workers, (n+chunk-1)/chunk)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				lo := int(next.Add(int64(chunk)) - int64(chunk))
				if lo >= n {
					return
				}
				do(lo, min(lo+chunk, n))
			}
		}()
	}
	wg.Wait()
}

// pickOwner decides the commune of one cell from the communes whose polygons
// H3 filled with it (claimants) and those whose polygons contain its centre
// by the planar test: the containing commune with the smallest code, else
// (an orphan: centre on no polygon by the planar test) the claimant with
// the smallest code. Codes, unlike file positions, make the choice
// independent of the order of the communes file.
func pickOwner(claimants, containing []int32, communes []data.Commune) (owner int32, orphan, overlap bool) {
	from := containing
	if len(containing) == 0 {
		from, orphan = claimants, true
	}
	owner = from[0]
	for _, ci := range from[1:] {
		if communes[ci].Code < communes[owner].Code {
			owner = ci
		}
	}
	return owner, orphan, len(containing) > 1
}

// freeCell finds, nearest first, a cell that no commune owns or whose owner
// keeps at least one other cell, so taking it leaves nobody empty.
func freeCell(h h3.Cell, owner func(h3.Cell) (int32, bool), count []int) (h3.Cell, error) {
	const maxRing = 3
	rings := h.GridDiskDistances(maxRing)
	for _, ring := range rings {
		ring = slices.Clone(ring)
		slices.Sort(ring)
		for _, c := range ring {
			if c == 0 {
				continue
			}
			if prev, ok := owner(c); !ok || count[prev] > 1 {
				return c, nil
			}
		}
	}
	return 0, fmt.Errorf("every cell within %d rings of its interior point is the only cell of another commune", maxRing)
}

// polygonCells wraps h3.PolygonToCells, whose cgo binding indexes an empty
// buffer (and panics) on polygons the C library rejects.
func polygonCells(p orb.Polygon, res int) (cells []h3.Cell, err error) {
	gp := h3.GeoPolygon{GeoLoop: geoLoop(p[0])}
	for _, hole := range p[1:] {
		if len(hole) >= 4 {
			gp.Holes = append(gp.Holes, geoLoop(hole))
		}
	}
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("H3 cannot fill the polygon (%v); check for self-intersections or degenerate rings", r)
		}
	}()
	return h3.PolygonToCells(gp, res), nil
}

func geoLoop(r orb.Ring) h3.GeoLoop {
	n := len(r)
	if n > 1 && r[0] == r[n-1] {
		n-- // H3 loops are implicitly closed
	}
	out := make(h3.GeoLoop, n)
	for i := 0; i < n; i++ {
		out[i] = h3.NewLatLng(r[i][1], r[i][0])
	}
	return out
}

// interiorPoint returns a point strictly inside the largest polygon of mp:
// the middle of the widest inside-run of a horizontal line through the
// middle of its bound. Centroids can fall outside crescent-shaped communes.
func interiorPoint(mp orb.MultiPolygon) orb.Point {
	var best orb.Polygon
	bestArea := -1.0
	for _, p := range mp {
		if a := math.Abs(planar.Area(p)); a > bestArea {
			best, bestArea = p, a
		}
	}
	b := best.Bound()
	y := (b.Min[1] + b.Max[1]) / 2
	var xs []float64
	for _, r := range best {
		for i := 0; i+1 < len(r); i++ {
			a, c := r[i], r[i+1]
			if (a[1] > y) != (c[1] > y) {
				xs = append(xs, a[0]+(y-a[1])*(c[0]-a[0])/(c[1]-a[1]))
			}
		}
	}
	slices.Sort(xs)
	pt := best[0][0]
	width := -1.0
	for i := 0; i+1 < len(xs); i += 2 {
		if w := xs[i+1] - xs[i]; w > width {
			width = w
			pt = orb.Point{(xs[i] + xs[i+1]) / 2, y}
		}
	}
	return pt
}

// build lists the cells of each commune.
func (x *Index) build(cells []Cell) {
	x.Cells = cells
	count := make([]int32, len(x.Communes))
	for _, c := range cells {
		count[c.Commune]++
	}
	x.CommuneCells = make([][]int32, len(x.Communes))
	for ci := range x.CommuneCells {
		x.CommuneCells[ci] = make([]int32, 0, count[ci])
	}
	for i, c := range cells {
		x.CommuneCells[c.Commune] = append(x.CommuneCells[c.Commune], int32(i))
	}
}
