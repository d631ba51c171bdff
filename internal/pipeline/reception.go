package pipeline

// The reception-point scenario (`phase: reception`, docs/reception.md):
// every commune centre stays open, and per province the fewest extra
// reception points are proposed so that every resident is within the rule.
// Provinces are independent problems, so they are solved one per worker,
// in parallel, each holding only its own index; the outputs are written in
// province-code order, so the bytes do not depend on the number of workers.

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"math"
	"runtime"
	"slices"
	"strings"
	"sync"

	"github.com/onestop/onestop/coverage"
	"github.com/onestop/onestop/data"
	"github.com/onestop/onestop/dossier"
	"github.com/onestop/onestop/internal/scenario"
	"github.com/onestop/onestop/optimize"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
	h3 "github.com/uber/h3-go/v4"
)

// Candidate sources of a reception point, as reception.csv names them.
const (
	SourceBorder = "border"         // inter-ward point near a shared border
	SourceGrid   = "grid"           // centre of an H3 res-8 cell with residents beyond the rule
	SourceSeat   = "former-seat"    // a pre-merger commune seat (dataset population point)
	SourceFile   = "candidate-file" // optimize.candidates
)

// ReceptionPoint is one proposed reception point with what it serves.
type ReceptionPoint struct {
	ID      string  `json:"id"`
	Name    string  `json:"name"`
	Source  string  `json:"source"`
	Lon     float64 `json:"lon"`
	Lat     float64 `json:"lat"`
	Commune string  `json:"commune"` // the unit it stands in
	Class   string  `json:"class"`
	// Residents are the catchment: residents whose quickest open point it
	// is (by straight-line distance when no time is known).
	Residents int64 `json:"residents"`
	// Dossiers the catchment files a year (all channels) and, of them, at
	// the counter (these queue).
	Dossiers        int64 `json:"dossiers"`
	CounterDossiers int64 `json:"counter_dossiers"`
	// QueueMin is the fewest staff on counter duty that keep the mean wait
	// within the target at the peak hour (Erlang C, dossier package);
	// StaffStandard is the productivity standard floor(dossiers / norm);
	// Staff is the larger of the two (docs/reception.md).
	QueueMin      int     `json:"queue_min"`
	StaffStandard int     `json:"staff_standard"`
	Staff         int     `json:"staff"`
	Norm          float64 `json:"norm"`
	// Communes lists the codes of the units whose residents it serves.
	Communes []string `json:"communes"`
}

// ProvinceReception is one row of the national table with its points.
type ProvinceReception struct {
	Code       string `json:"code"`
	Name       string `json:"name"`
	Units      int    `json:"units"`
	Centres    int    `json:"centres"`
	Cells      int    `json:"cells"`
	Population int64  `json:"population"`
	// BeyondBefore/After are residents beyond the rule of every open point
	// with the centres only and with the reception points added.
	BeyondBefore int64 `json:"beyond_before"`
	BeyondAfter  int64 `json:"beyond_after"`
	PointsAdded  int   `json:"points_added"`
	// PointsLower is the proven fewest points (centres included) and GapPct
	// the optimizer's gap on its objective (0: proven optimal).
	PointsLower int     `json:"points_lower_bound"`
	GapPct      float64 `json:"gap_pct"`
	Optimal     bool    `json:"optimal"`
	StoppedBy   string  `json:"stopped_by"`
	Candidates  int     `json:"candidates"`
	// Uncoverable are residents no candidate reaches within the rule (left
	// beyond it, listed in the warnings).
	Uncoverable   int64            `json:"uncoverable"`
	QueueMin      int              `json:"queue_min"`
	StaffStandard int              `json:"staff_standard"`
	Staff         int              `json:"staff"`
	Points        []ReceptionPoint `json:"-"`
	// Map holds what the province's small map draws.
	Map      ReceptionMap `json:"-"`
	Warnings []string     `json:"-"`
	// cells are the per-cell claims, kept only for tests that check them
	// independently (receptionSettings.keepCells).
	cells []cellClaim
}

// cellClaim is what the plan says of one populated cell.
type cellClaim struct {
	H3                     h3.Cell
	Class                  data.AreaClass
	Population             int64
	CoveredBefore, Covered bool
}

// ReceptionMap is a province map reduced to what a small map needs:
// residents beyond the rule aggregated to H3 res-7 cells (about 5 km²).
type ReceptionMap struct {
	Bound                   orb.Bound
	Centres                 []orb.Point
	BeyondBefore, BeyondAft []WeightedPoint
}

// WeightedPoint is a map dot: a place and its residents.
type WeightedPoint struct {
	P         orb.Point
	Residents int64
}

// receptionPart is one province's share of a dataset: its communes,
// offices and population points, and the candidate sites inside it.
type receptionPart struct {
	Code, Name string
	ds         *data.Dataset
	sites      []candSite
}

type candSite struct {
	pt     optimize.UserPoint
	source string
}

// splitProvinces cuts ds into its provinces (the dataset's groups when
// they are provinces; otherwise the whole dataset is one part: a
// pre-2025 district is not an independent planning area). user and the
// former seats (ds.Population points) go to the province whose commune
// holds them; the ids of those in no commune are returned.
func splitProvinces(ds *data.Dataset, user []optimize.UserPoint) ([]*receptionPart, []string) {
	var parts []*receptionPart
	partOf := make([]int, len(ds.Communes))
	if ds.GroupLevel != data.GroupProvince || len(ds.Districts) < 2 {
		code, name := "", ds.Name
		if len(ds.Districts) == 1 && ds.GroupLevel == data.GroupProvince {
			code, name = ds.Districts[0].Code, ds.Districts[0].Name
		}
		parts = append(parts, &receptionPart{Code: code, Name: name})
	} else {
		at := map[string]int{}
		for _, g := range ds.Districts {
			at[g.Code] = len(parts)
			parts = append(parts, &receptionPart{Code: g.Code, Name: g.Name})
		}
		for k, c := range ds.Communes {
			i, ok := at[c.Group()]
			if !ok { // a group only communes name: its own part
				i = len(parts)
				at[c.Group()] = i
				parts = append(parts, &receptionPart{Code: c.Group(), Name: c.Group()})
			}
			partOf[k] = i
		}
	}
	for _, p := range parts {
		sub := *ds
		sub.Communes, sub.Offices, sub.Population, sub.Warnings = nil, nil, nil, nil
		if p.Code != "" {
			sub.Districts = []data.District{{Code: p.Code, Name: p.Name}}
		}
		p.ds = &sub
	}
	commune := map[string]int{}
	for k, c := range ds.Communes {
		commune[c.Code] = partOf[k]
		parts[partOf[k]].ds.Communes = append(parts[partOf[k]].ds.Communes, c)
	}
	for _, o := range ds.Offices {
		if i, ok := commune[o.Commune]; ok {
			parts[i].ds.Offices = append(parts[i].ds.Offices, o)
		}
	}
	loc := newPointLocator(ds.Communes)
	for k, g := range ds.Population {
		if g.H3 != "" {
			// H3 records only weight the spread; the index ignores those
			// outside its cells, so every province gets them all.
			for _, p := range parts {
				p.ds.Population = append(p.ds.Population, g)
			}
			continue
		}
		c := loc.find(g.Point)
		if c < 0 {
			continue
		}
		p := parts[partOf[c]]
		p.ds.Population = append(p.ds.Population, g)
		p.sites = append(p.sites, candSite{source: SourceSeat, pt: optimize.UserPoint{
			ID: fmt.Sprintf("seat-%d", k+1), Name: fmt.Sprintf("former commune seat %d (2009 point)", k+1), Location: g.Point}})
	}
	var outside []string
	for _, u := range user {
		c := loc.find(u.Location)
		if c < 0 {
			outside = append(outside, u.ID)
			continue
		}
		p := parts[partOf[c]]
		p.sites = append(p.sites, candSite{source: SourceFile, pt: u})
	}
	// The planner's own sites first: BuildCandidates keeps the first of two
	// sites with one id, so a file site is never shadowed by a seat.
	for _, p := range parts {
		slices.SortStableFunc(p.sites, func(a, b candSite) int {
			return cmp.Compare(sourceRank(a.source), sourceRank(b.source))
		})
	}
	return parts, outside
}

func sourceRank(s string) int {
	if s == SourceFile {
		return 0
	}
	return 1
}

// pointLocator finds the commune holding a point (bounds first, then the
// polygon); ties go to the lowest dataset position.
type pointLocator struct{ communes []data.Commune }

func newPointLocator(c []data.Commune) *pointLocator { return &pointLocator{c} }

func (l *pointLocator) find(p orb.Point) int {
	for k, c := range l.communes {
		if c.Bound.Contains(p) && planar.MultiPolygonContains(c.Geometry, p) {
			return k
		}
	}
	return -1
}

// receptionSettings are what every province's solve shares.
type receptionSettings struct {
	res    int
	rule   coverage.Rule
	model  coverage.TravelModel
	load   LoadParams
	opt    optimize.Options
	search float64
	// keepCells keeps every row's per-cell claims (tests only: a
	// national run would hold millions).
	keepCells bool
}

// solveProvince plans one province: coverage of its centres, candidates
// near the residents beyond the rule, the covering model with every centre
// fixed open, coverage again, and each new point's catchment and staff.
func solveProvince(ctx context.Context, p *receptionPart, st receptionSettings) (*ProvinceReception, error) {
	ds := p.ds
	row := &ProvinceReception{Code: p.Code, Name: p.Name, Units: len(ds.Communes), Centres: len(ds.Offices)}
	fail := func(err error) (*ProvinceReception, error) {
		return nil, fmt.Errorf("province %s %s: %w", p.Code, p.Name, err)
	}
	idx, err := coverage.NewIndex(ctx, ds, coverage.IndexOptions{Resolution: st.res})
	if err != nil {
		return fail(err)
	}
	row.Cells = len(idx.Cells)
	row.Population = idx.Population()
	before := make([]bool, len(idx.Cells)) // covered by the centres
	if len(ds.Offices) > 0 {
		cov, err := coverage.Evaluate(ctx, idx, ds.Offices, st.model, st.rule)
		if err != nil {
			return fail(fmt.Errorf("coverage of the commune centres: %w", err))
		}
		copy(before, cov.Covered)
	}
	var beyond []h3.Cell
	for i, c := range idx.Cells {
		if c.Population > 0 && !before[i] {
			row.BeyondBefore += c.Population
			beyond = append(beyond, c.H3)
		}
	}
	row.BeyondAfter = row.BeyondBefore
	// With nobody beyond the rule the centres alone are the proven fewest.
	row.Optimal, row.StoppedBy, row.PointsLower = true, "nothing to cover", len(ds.Offices)
	demand, err := ComputeDemand(ds, idx, st.load)
	if err != nil {
		return fail(err)
	}
	after := slices.Clone(ds.Offices)
	source := map[string]string{}
	if len(beyond) > 0 {
		opened, err := openReception(ctx, idx, p, st, beyond, demand.PerCell(), row)
		if err != nil {
			return fail(err)
		}
		for _, c := range opened {
			after = append(after, data.Office{ID: c.ID, Name: c.Name, Kind: data.Reception, Location: c.Location, Commune: c.Commune})
			source[c.ID] = candidateSource(c, p.sites)
		}
	}
	row.PointsAdded = len(after) - len(ds.Offices)
	if len(after) == 0 {
		row.Map = receptionMap(idx, ds.Offices, before, before)
		return row, nil
	}
	cov, err := coverage.Evaluate(ctx, idx, after, st.model, st.rule)
	if err != nil {
		return fail(fmt.Errorf("coverage with the reception points: %w", err))
	}
	row.BeyondAfter = cov.Province.Population - cov.Province.Covered
	row.Map = receptionMap(idx, ds.Offices, before, cov.Covered)
	if st.keepCells {
		for i, c := range idx.Cells {
			if c.Population > 0 {
				row.cells = append(row.cells, cellClaim{H3: c.H3, Class: idx.Communes[c.Commune].Class, Population: c.Population,
					CoveredBefore: before[i], Covered: cov.Covered[i]})
			}
		}
	}
	if row.PointsAdded == 0 {
		return row, nil
	}
	if err := staffPoints(ctx, ds, idx, demand, cov, after, len(ds.Offices), source, st, row); err != nil {
		return fail(err)
	}
	return row, nil
}

// openReception solves the covering model and returns the new points it
// opens, in candidate order.
func openReception(ctx context.Context, idx *coverage.Index, p *receptionPart, st receptionSettings,
	beyond []h3.Cell, dossiers []float64, row *ProvinceReception) ([]optimize.Candidate, error) {
	users := make([]optimize.UserPoint, 0, len(p.sites))
	seen := map[string]bool{}
	for _, s := range p.sites {
		if !seen[s.pt.ID] {
			seen[s.pt.ID] = true
			users = append(users, s.pt)
		}
	}
	// Grid points only where residents are beyond the rule: elsewhere the
	// centres already cover everyone, and a point there cannot be needed
	// more than one nearer the gap. This keeps a province's candidates in
	// the thousands instead of one per populated res-8 cell.
	cands, err := optimize.BuildCandidates(p.ds, optimize.CandidateOptions{Border: true, Populated: beyond, User: users})
	if err != nil {
		return nil, err
	}
	row.Candidates = len(cands) - len(p.ds.Offices)
	sites := make([]coverage.Site, len(cands))
	for i, c := range cands {
		sites[i] = coverage.Site{Name: c.ID, Point: c.Location}
	}
	// Populated cells only, as in Optimize: empty ones weigh nothing.
	sets, err := coverage.NewCandidateSets(ctx, idx, sites, st.model, coverage.CandidateOptions{Rule: st.rule, MaxMinutes: st.search, PopulatedOnly: true})
	if err != nil {
		return nil, err
	}
	inst, err := optimize.FromCoverage(idx, sets, cands, dossiers)
	if err != nil {
		return nil, err
	}
	if cells := instanceUncoverable(inst); len(cells) > 0 {
		ex := excludeUncoverable(idx, inst, cells)
		for _, e := range ex {
			row.Uncoverable += int64(e.Residents)
		}
		row.Warnings = append(row.Warnings, fmt.Sprintf("province %s %s: no candidate reaches %s; they stay beyond the rule (fix: add sites near them with optimize.candidates)",
			p.Code, p.Name, describeExcluded(ex)))
	}
	res, err := optimize.Solve(ctx, inst, st.opt)
	if err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	row.GapPct, row.Optimal, row.StoppedBy, row.PointsLower = round(res.GapPct, 4), res.Optimal, res.StoppedBy, res.PointsLower
	row.Warnings = append(row.Warnings, prefixAll(fmt.Sprintf("province %s %s: ", p.Code, p.Name), res.Warnings)...)
	var out []optimize.Candidate
	for j, open := range res.Open {
		if open && !cands[j].Existing {
			out = append(out, cands[j])
		}
	}
	return out, nil
}

func prefixAll(prefix string, ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = prefix + s
	}
	return out
}

func candidateSource(c optimize.Candidate, sites []candSite) string {
	switch {
	case strings.HasPrefix(c.ID, "iw-") && !c.User:
		return SourceBorder
	case strings.HasPrefix(c.ID, "h3-") && !c.User:
		return SourceGrid
	}
	for _, s := range sites {
		if s.pt.ID == c.ID {
			return s.source
		}
	}
	return SourceFile
}

// staffPoints fills each new point's catchment, dossiers and staff. Every
// dossier of a cell goes to the cell's quickest open point: a reception
// point receives for its commune centre, so a resident files where it is
// nearest (docs/reception.md). The load check then gives the queue
// minimum at the peak hour; the standard is floor(dossiers / norm).
func staffPoints(ctx context.Context, ds *data.Dataset, idx *coverage.Index, d *Demand, cov *coverage.Result,
	offices []data.Office, firstNew int, source map[string]string, st receptionSettings, row *ProvinceReception) error {
	od := make([]dossier.OfficeDemand, len(offices))
	residents := make([]int64, len(offices))
	communes := make([]map[string]bool, len(offices))
	for i, c := range idx.Cells {
		j := cov.OfficeByTime[i]
		if j < 0 {
			j = cov.OfficeByDistance[i]
		}
		if j < 0 {
			continue
		}
		cd := d.Cells.Cells[i]
		od[j].Total += cd.Total
		od[j].Counter += cd.Counter
		residents[j] += c.Population
		if int(j) >= firstNew && c.Population > 0 {
			if communes[j] == nil {
				communes[j] = map[string]bool{}
			}
			communes[j][idx.Communes[c.Commune].Code] = true
		}
	}
	net := optimize.Network{Name: "reception", Offices: offices}
	// The run's load options (year, wait target, norms, seed) without the
	// dossier log's queue settings, as before; premises do not apply: a
	// reception point is sized by its own catchment.
	lopt, err := dossierOptions(nil, st.load)
	if err != nil {
		return err
	}
	lopt.MaxStaffPerPoint, lopt.MaxCountersPerPoint, lopt.FixedCounters = 0, 0, false
	// Erlang C at the peak hour is the queue minimum the scenario asks
	// for; the year's simulation would only refine waits nobody reads here.
	lopt.SkipSimulation = true
	load, err := dossier.CheckLoad(ctx, ds, net, od, lopt)
	if err != nil {
		return fmt.Errorf("load check of the reception points: %w", err)
	}
	for j := firstNew; j < len(offices); j++ {
		o, l := offices[j], load.Offices[j]
		std := 0
		if l.Norm > 0 {
			std = int(math.Floor(float64(l.Dossiers) / l.Norm))
		}
		pt := ReceptionPoint{ID: o.ID, Name: o.Name, Source: source[o.ID], Lon: o.Location[0], Lat: o.Location[1],
			Commune: o.Commune, Class: string(l.Class), Residents: residents[j], Dossiers: l.Dossiers, CounterDossiers: l.CounterDossiers,
			QueueMin: l.MinStaff, StaffStandard: std, Staff: max(l.MinStaff, std, 1), Norm: l.Norm}
		for c := range communes[j] {
			pt.Communes = append(pt.Communes, c)
		}
		slices.Sort(pt.Communes)
		row.QueueMin += pt.QueueMin
		row.StaffStandard += pt.StaffStandard
		row.Staff += pt.Staff
		row.Points = append(row.Points, pt)
	}
	return nil
}

// receptionMap reduces a province to its small map.
func receptionMap(idx *coverage.Index, centres []data.Office, before, after []bool) ReceptionMap {
	m := ReceptionMap{Bound: orb.Bound{Min: orb.Point{math.Inf(1), math.Inf(1)}, Max: orb.Point{math.Inf(-1), math.Inf(-1)}}}
	for _, c := range idx.Cells {
		m.Bound = m.Bound.Extend(orb.Point{c.Lon, c.Lat})
	}
	for _, o := range centres {
		m.Centres = append(m.Centres, o.Location)
	}
	agg := func(covered []bool) []WeightedPoint {
		sum := map[h3.Cell]int64{}
		for i, c := range idx.Cells {
			if c.Population > 0 && !covered[i] {
				sum[c.H3.Parent(min(7, idx.Resolution))] += c.Population
			}
		}
		keys := make([]h3.Cell, 0, len(sum))
		for k := range sum {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		out := make([]WeightedPoint, len(keys))
		for i, k := range keys {
			ll := k.LatLng()
			out[i] = WeightedPoint{P: orb.Point{ll.Lng, ll.Lat}, Residents: sum[k]}
		}
		return out
	}
	m.BeyondBefore, m.BeyondAft = agg(before), agg(after)
	return m
}

// solveProvinces runs solveProvince over parts with up to workers at once
// and returns the rows in parts' order. The first error (in parts' order)
// wins; the others' work is cancelled.
func solveProvinces(ctx context.Context, parts []*receptionPart, st receptionSettings, workers int, news func(done, total int, row *ProvinceReception)) ([]*ProvinceReception, error) {
	workers = max(1, min(workers, len(parts)))
	parent := ctx
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	rows := make([]*ProvinceReception, len(parts))
	errs := make([]error, len(parts))
	next := make(chan int)
	var wg sync.WaitGroup
	var mu sync.Mutex
	done := 0
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				rows[i], errs[i] = solveProvince(ctx, parts[i], st)
				if errs[i] != nil {
					cancel()
					continue
				}
				parts[i] = nil // the province's data can go once it is solved
				if news != nil {
					mu.Lock()
					done++
					news(done, len(rows), rows[i])
					mu.Unlock()
				}
			}
		}()
	}
	for i := range parts {
		if ctx.Err() != nil {
			break
		}
		next <- i
	}
	close(next)
	wg.Wait()
	if err := parent.Err(); err != nil {
		return nil, err
	}
	// A province's own failure, not the cancellation it caused in others.
	for _, err := range errs {
		if err != nil && !errors.Is(err, context.Canceled) {
			return nil, err
		}
	}
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return rows, nil
}

// receptionWorkers is how many provinces are solved at once.
func receptionWorkers() int { return runtime.GOMAXPROCS(0) }

// receptionSettingsOf reads the scenario's keys for the reception solve.
func receptionSettingsOf(sc *scenario.Scenario, model coverage.TravelModel) (receptionSettings, error) {
	rule := coverage.Rule{Minutes: sc.Rule.Minutes, Km: sc.Rule.Km, Mode: sc.Rule.Mode}
	m, err := optimize.ParseModel(sc.Optimize.Model)
	if err != nil {
		return receptionSettings{}, err
	}
	search := rule.Minutes
	if m == optimize.Consolidate {
		search += defaultSearchSlack // its minutes stage needs times beyond the rule
	}
	return receptionSettings{
		res: sc.H3Res, rule: rule, model: model, load: loadParamsOf(sc), search: search,
		// Premises (max_staff_per_point, max_counters_per_point) do not
		// apply: a reception point is sized by its own catchment below.
		opt: optimize.Options{Model: m, Work: sc.Optimize.Work, TimeLimit: sc.Optimize.TimeLimit.Duration,
			UnservedMinutes: unservedMinutes(search)},
	}, nil
}
