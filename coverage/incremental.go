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
	byDist  []int32   // its slot; -1 with none
	minutes []float64 // straight-line model only, kept in step with km
	// roadDirty says the road model's times are stale.
	roadDirty bool
	roadMin   []float64
	roadSlot  []int32
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
		km: make([]float64, n), byDist: make([]int32, n)}
	for i := range x.km {
		x.km[i], x.byDist[i] = math.Inf(1), -1
	}
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
	for i, c := range x.idx.Cells {
		// The same call, argument order included, as the site index of
		// Evaluate, so the distances are equal to the last bit.
		d := earth.DistanceKm(orb.Point{c.Lon, c.Lat}, p)
		if b := x.byDist[i]; b < 0 || d < x.km[i] || (d == x.km[i] && key < x.slots[b].key) {
			x.km[i], x.byDist[i] = d, slot
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
		x.byDist[i], x.km[i] = -1, d
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
	res.aggregate(x.idx)
	return res, nil
}
