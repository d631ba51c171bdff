package coverage

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"slices"

	"github.com/onestop/onestop/data"
	"github.com/onestop/onestop/data/earth"
	"github.com/paulmach/orb"
)

// Incremental is the coverage of a set of open offices that changes one
// office at a time, for the planning server (`onestop serve`): opening an
// office compares it with every cell's current nearest office, closing one
// re-searches only the cells it was nearest to. Evaluate stays the
// reference: Result on the same open offices, given to Evaluate in Key
// order, is identical field for field (TestIncrementalMatchesEvaluate).
//
// Straight-line travel is ranked by distance (the quickest office is the
// nearest), so its minutes follow the distances cell by cell. Road travel
// has no such shortcut: Result re-runs the multi-source search over the
// open offices after a change, which is exact and costs one Dijkstra.
//
// An Incremental is not safe for concurrent use.
type Incremental struct {
	idx    *Index
	rule   Rule
	model  TravelModel
	bound  BoundModel
	ranked distanceRanked // nil: road model
	reach  Reacher        // road model: placement check of a new office

	slots []incSlot
	nOpen int

	km      []float64 // straight-line km to the nearest open office; +Inf with none
	hav     []float64 // earth.HaversineOf(km): Open's cheap pre-test
	byDist  []int32   // its slot; -1 with none
	minutes []float64 // straight-line model only, kept in step with km
	// roadDirty says the road model's times are stale.
	roadDirty bool
	roadMin   []float64
	roadSlot  []int32

	// Aggregates are kept per commune and district and recomputed only
	// where a cell changed: the sorts behind the percentiles are most of
	// an edit's time otherwise. The province is recomputed every time.
	dirty         []bool // per commune
	communeAgg    []Aggregate
	districtAgg   []Aggregate
	districtHead  []Aggregate // code and name of each district, in aggregate's order
	districtOf    []int       // per commune
	districtCells [][]int32   // ascending
	allCells      []int32
	aggregated    bool
}

// incSlot is one office ever opened; a closed one keeps its slot so slot
// numbers stay valid for the caller.
type incSlot struct {
	office data.Office
	key    int64
	open   bool
}

// NewIncremental prepares incremental coverage of idx under model and
// rule, with no office open yet.
func NewIncremental(ctx context.Context, idx *Index, model TravelModel, rule Rule) (*Incremental, error) {
	if idx == nil || model == nil {
		return nil, fmt.Errorf("coverage: NewIncremental needs an index and a travel model")
	}
	rule, err := rule.validate()
	if err != nil {
		return nil, err
	}
	bound, err := model.Bind(ctx, idx)
	if err != nil {
		return nil, err
	}
	n := len(idx.Cells)
	x := &Incremental{idx: idx, rule: rule, model: model, bound: bound,
		km: make([]float64, n), byDist: make([]int32, n), hav: make([]float64, n)}
	for i := range x.km {
		x.km[i], x.byDist[i], x.hav[i] = math.Inf(1), -1, math.Inf(1)
	}
	x.planAreas()
	if dr, ok := bound.(distanceRanked); ok {
		x.ranked = dr
		x.minutes = make([]float64, n)
		for i := range x.minutes {
			x.minutes[i] = math.NaN()
		}
	} else {
		x.reach = bound.NewReacher()
		x.roadDirty = true
	}
	return x, nil
}

// Open adds office o, open from now on, and returns its slot. key orders
// the open offices of Result (smaller first) and breaks ties between
// equally near offices, as the position in Evaluate's list does; keys must
// be distinct among open offices.
func (x *Incremental) Open(o data.Office, key int64) (int, error) {
	if _, err := officeSites([]data.Office{o}); err != nil {
		return -1, err
	}
	for _, s := range x.slots {
		if s.open && s.key == key {
			return -1, fmt.Errorf("coverage: office %q: key %d is already used by open office %q", o.ID, key, s.office.ID)
		}
		if s.open && s.office.ID == o.ID && o.ID != "" {
			return -1, fmt.Errorf("coverage: office %q is already open; give every office a unique id", o.ID)
		}
	}
	if x.reach != nil {
		site := Site{Name: o.ID, Point: o.Location}
		if !x.reach(site, 0, func(int32, float64) {}) {
			return -1, fmt.Errorf("coverage: office %q at %.6f,%.6f is too far from every road node to be reached; move it onto the road network", o.ID, o.Location[0], o.Location[1])
		}
	}
	slot := int32(len(x.slots))
	x.slots = append(x.slots, incSlot{office: o, key: key, open: true})
	x.nOpen++
	p := o.Location
	// The haversine term of the new office is compared with each cell's
	// current one first (cached cos(lat), small-angle sines: no asin, no
	// sqrt), so only cells the office may be nearer to pay the exact
	// distance. The slack is far above the pre-test's rounding (~1e-13
	// relative) and far below any distance that matters.
	const rad = math.Pi / 180
	g := x.idx.grid()
	cosQ := math.Cos(p[1] * rad)
	for i, c := range x.idx.Cells {
		s1 := smallSin((g.lat[i] - p[1]) * rad / 2)
		s2 := smallSin((g.lon[i] - p[0]) * rad / 2)
		if a := s1*s1 + cosQ*g.cosLat[i]*s2*s2; a > x.hav[i]*(1+1e-9)+1e-18 {
			continue
		}
		// The same call, argument order included, as the site index of
		// Evaluate, so the distances are equal to the last bit.
		d := earth.DistanceKm(orb.Point{c.Lon, c.Lat}, p)
		if b := x.byDist[i]; b < 0 || d < x.km[i] || (d == x.km[i] && key < x.slots[b].key) {
			x.km[i], x.byDist[i], x.hav[i] = d, slot, earth.HaversineOf(d)
			x.dirty[c.Commune] = true
			if x.ranked != nil {
				x.minutes[i] = x.ranked.minutesForKm(i, d)
			}
		}
	}
	x.roadDirty = x.ranked == nil
	return int(slot), nil
}

// Close closes the office of slot: only the cells it was nearest to look
// for their new nearest office.
func (x *Incremental) Close(ctx context.Context, slot int) error {
	if slot < 0 || slot >= len(x.slots) || !x.slots[slot].open {
		return fmt.Errorf("coverage: slot %d is not an open office", slot)
	}
	x.slots[slot].open = false
	x.nOpen--
	x.roadDirty = x.ranked == nil
	order := x.openSlots()
	sites := make([]Site, len(order))
	for k, s := range order {
		sites[k] = Site{Name: x.slots[s].office.ID, Point: x.slots[s].office.Location}
	}
	si := newSiteIndex(sites, x.idx.maxAbsLat())
	for i, c := range x.idx.Cells {
		if x.byDist[i] != int32(slot) {
			continue
		}
		if i%4096 == 0 {
			if err := ctx.Err(); err != nil {
				return fmt.Errorf("coverage: close office: %w", err)
			}
		}
		k, d := si.nearest(c.Lon, c.Lat)
		x.byDist[i], x.km[i], x.hav[i] = -1, d, earth.HaversineOf(d)
		x.dirty[c.Commune] = true
		if k >= 0 {
			x.byDist[i] = order[k]
		}
		if x.ranked != nil {
			x.minutes[i] = math.NaN()
			if k >= 0 {
				x.minutes[i] = x.ranked.minutesForKm(i, d)
			}
		}
	}
	return nil
}

// openSlots lists the open slots in key order (Result's office order).
func (x *Incremental) openSlots() []int32 {
	out := make([]int32, 0, x.nOpen)
	for s := range x.slots {
		if x.slots[s].open {
			out = append(out, int32(s))
		}
	}
	slices.SortFunc(out, func(a, b int32) int { return cmp.Compare(x.slots[a].key, x.slots[b].key) })
	return out
}

// Slots is the number of slots handed out so far (open or closed).
func (x *Incremental) Slots() int { return len(x.slots) }

// IsOpen reports whether slot is an open office.
func (x *Incremental) IsOpen(slot int) bool {
	return slot >= 0 && slot < len(x.slots) && x.slots[slot].open
}

// Office is the office of slot and its key.
func (x *Incremental) Office(slot int) (data.Office, int64) {
	return x.slots[slot].office, x.slots[slot].key
}

// Result is the coverage of the open offices, as Evaluate computes it for
// them in key order; Offices lists them in that order.
func (x *Incremental) Result(ctx context.Context) (*Result, error) {
	if x.nOpen == 0 {
		return nil, fmt.Errorf("coverage: no open offices to evaluate; keep at least one office open")
	}
	order := x.openSlots()
	pos := make([]int32, len(x.slots))
	offices := make([]data.Office, len(order))
	for k, s := range order {
		pos[s] = int32(k)
		offices[k] = x.slots[s].office
	}
	n := len(x.idx.Cells)
	res := &Result{
		Rule: x.rule, Model: x.model.Name(), Settings: x.model.Settings(), Offices: offices,
		Km: slices.Clone(x.km), OfficeByDistance: make([]int32, n),
		Met: make([]Met, n), Covered: make([]bool, n), UnplacedCells: x.bound.Unplaced(),
	}
	for i, s := range x.byDist {
		res.OfficeByDistance[i] = pos[s]
	}
	if x.ranked != nil {
		res.Minutes, res.OfficeByTime = slices.Clone(x.minutes), slices.Clone(res.OfficeByDistance)
	} else {
		if x.roadDirty {
			sites := make([]Site, len(offices))
			for k, o := range offices {
				sites[k] = Site{Name: fmt.Sprintf("office %d (id %q, %s)", k+1, o.ID, o.Name), Point: o.Location}
			}
			m, by, err := x.bound.NearestByTime(ctx, sites)
			if err != nil {
				return nil, err
			}
			// Kept by slot, so a later call after no change reuses them.
			for i, k := range by {
				if k >= 0 {
					by[i] = order[k]
				}
			}
			for i := range m {
				if x.roadMin == nil || !sameFloat(m[i], x.roadMin[i]) {
					x.dirty[x.idx.Cells[i].Commune] = true
				}
			}
			x.roadMin, x.roadSlot, x.roadDirty = m, by, false
		}
		res.Minutes, res.OfficeByTime = slices.Clone(x.roadMin), make([]int32, n)
		for i, s := range x.roadSlot {
			res.OfficeByTime[i] = -1
			if s >= 0 {
				res.OfficeByTime[i] = pos[s]
			}
		}
	}
	for i := range n {
		if math.IsNaN(res.Minutes[i]) {
			res.UnreachableCells++
		}
		res.Met[i] = x.rule.met(res.Minutes[i], res.Km[i])
		res.Covered[i] = x.rule.covers(res.Met[i])
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("coverage: incremental result: %w", err)
	}
	x.aggregate(res)
	return res, nil
}

func sameFloat(a, b float64) bool { return a == b || (math.IsNaN(a) && math.IsNaN(b)) }

// planAreas lists the districts as Result.aggregate orders them (the
// index's districts, then districts only named by communes, by code) and
// the cells of each, ascending, so an area's aggregate adds its cells in
// the order aggregate does and comes out identical.
func (x *Incremental) planAreas() {
	idx := x.idx
	pos := map[string]int{}
	for _, d := range idx.Districts {
		if _, ok := pos[d.Code]; ok {
			continue
		}
		pos[d.Code] = len(x.districtHead)
		x.districtHead = append(x.districtHead, Aggregate{Code: d.Code, Name: d.Name})
	}
	var extra []string
	for _, c := range idx.Communes {
		if _, ok := pos[c.District]; !ok && !slices.Contains(extra, c.District) {
			extra = append(extra, c.District)
		}
	}
	slices.Sort(extra)
	for _, code := range extra {
		pos[code] = len(x.districtHead)
		x.districtHead = append(x.districtHead, Aggregate{Code: code, Name: code})
	}
	x.districtOf = make([]int, len(idx.Communes))
	for ci, c := range idx.Communes {
		x.districtOf[ci] = pos[c.District]
	}
	x.districtCells = make([][]int32, len(x.districtHead))
	x.allCells = make([]int32, len(idx.Cells))
	for i, c := range idx.Cells {
		d := x.districtOf[c.Commune]
		x.districtCells[d] = append(x.districtCells[d], int32(i))
		x.allCells[i] = int32(i)
	}
	x.dirty = make([]bool, len(idx.Communes))
	x.communeAgg = make([]Aggregate, len(idx.Communes))
	x.districtAgg = make([]Aggregate, len(x.districtHead))
}

// areaAggregate is the aggregate of the given cells, added in that order.
func areaAggregate(r *Result, idx *Index, cells []int32, code, name string) Aggregate {
	var a accumulator
	a.agg.Code, a.agg.Name = code, name
	for _, c := range cells {
		a.add(r, c, idx.Cells[c].Population)
	}
	return a.finish()
}

// aggregate fills r's aggregates, recomputing only stale communes and the
// districts they lie in.
func (x *Incremental) aggregate(r *Result) {
	idx := x.idx
	stale := make([]bool, len(x.districtHead))
	for ci, c := range idx.Communes {
		if x.aggregated && !x.dirty[ci] {
			continue
		}
		x.communeAgg[ci] = areaAggregate(r, idx, idx.CommuneCells[ci], c.Code, c.Name)
		stale[x.districtOf[ci]] = true
		x.dirty[ci] = false
	}
	for d, h := range x.districtHead {
		if !x.aggregated || stale[d] {
			x.districtAgg[d] = areaAggregate(r, idx, x.districtCells[d], h.Code, h.Name)
		}
	}
	x.aggregated = true
	r.Communes = slices.Clone(x.communeAgg)
	r.Districts = slices.Clone(x.districtAgg)
	r.Province = areaAggregate(r, idx, x.allCells, "", "province")
}
