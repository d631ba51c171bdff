package pipeline

import (
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"

	"github.com/onestop/onestop/coverage"
	"github.com/onestop/onestop/data"
	"github.com/onestop/onestop/dossier"
	"github.com/onestop/onestop/optimize"
)

// LoadParams are the dossier parameters of a run.
type LoadParams struct {
	BoundaryFree  float64                    // share of dossiers accepted regardless of boundaries; <0 keeps the default
	Norms         map[data.AreaClass]float64 // productivity norm overrides
	WaitTargetMin float64                    // 0 keeps 15
	Rates         map[data.AreaClass]float64 // dossiers per resident per year overrides
	Log           string                     // dossier log CSV overriding the dataset's ("" keeps it)
	LogSample     float64                    // fraction of dossiers in Log (0: 1)
	Growth        float64                    // demand multiplier, population-growth what-if (0: 1)
	Year          int                        // calendar year simulated (0: 2024)
	Seed          int64
	SkipSim       bool
	// MaxStaffPerPoint and MaxCountersPerPoint are the scenario's premises
	// caps (optimize.max_staff_per_point, max_counters_per_point; 0: none):
	// the load check's staff rebalancing keeps every office within them.
	MaxStaffPerPoint, MaxCountersPerPoint int
	// CountersFixed (optimize.counters_fixed): offices' premises cannot be
	// extended, so the rebalancing respects each office's counters
	// (dossier.Options.FixedCounters).
	CountersFixed bool
}

// Demand is the yearly dossier demand of every cell of an index.
type Demand struct {
	Points   []dossier.Point // parallel to the index cells
	Cells    *dossier.Demand
	Log      *dossier.Log // nil without a log
	Problems data.Problems
	rates    dossier.Rates
}

// PerCell is each cell's dossiers per year (the optimizer's capacity input).
func (d *Demand) PerCell() []float64 {
	out := make([]float64, len(d.Cells.Cells))
	for i, c := range d.Cells.Cells {
		out[i] = float64(c.Total)
	}
	return out
}

// ComputeDemand spreads dossier demand over the cells of idx, real counts
// first: a commune whose offices record yearly counts (offices.dossiers)
// gets their sum; the dossier log, when there is one, fills the other
// communes it measured; per-capita rates by area class fill the rest.
func ComputeDemand(ds *data.Dataset, idx *coverage.Index, p LoadParams) (*Demand, error) {
	rates := dossier.DefaultRates()
	if p.BoundaryFree >= 0 {
		rates.BoundaryFree = p.BoundaryFree
	}
	for c, v := range p.Rates {
		if err := rates.PerResident.Set(c, v); err != nil {
			return nil, fmt.Errorf("dossier rates: %w", err)
		}
	}
	growth := p.growth()
	grow(&rates, growth)
	if err := rates.Validate(); err != nil {
		return nil, fmt.Errorf("dossier rates (demand growth ×%g included): %w", growth, err)
	}
	d := &Demand{rates: rates, Points: make([]dossier.Point, len(idx.Cells))}
	for i, c := range idx.Cells {
		cm := idx.Communes[c.Commune]
		d.Points[i] = dossier.Point{Commune: cm.Code, Class: cm.Class, Population: c.Population, NearestOffice: -1}
	}
	var err error
	sample := ds.DossierSample
	if p.Log != "" {
		abs, aerr := filepath.Abs(p.Log)
		if aerr != nil {
			return nil, aerr
		}
		d.Log, d.Problems, err = dossier.LoadLogFor(ds, os.DirFS(filepath.Dir(abs)), filepath.Base(abs))
		sample = p.LogSample
	} else {
		d.Log, d.Problems, err = dossier.LoadDatasetLog(ds)
	}
	if err != nil {
		return nil, fmt.Errorf("dossier log: %w", err)
	}
	if sample <= 0 {
		sample = 1
	}
	var measured map[string]dossier.CommuneRate
	if d.Log != nil {
		if measured, err = d.Log.CommuneRates(sample); err != nil {
			return nil, fmt.Errorf("dossier log %s: %w", d.Log.File, err)
		}
		growMeasured(measured, growth)
	}
	recorded, err := dossier.RecordedCounts(ds.Offices)
	if err != nil {
		return nil, fmt.Errorf("offices' dossier counts: %w", err)
	}
	for i := range recorded {
		recorded[i].PerYear *= growth
	}
	if d.Cells, err = dossier.ComputeDemand(d.Points, rates, measured, recorded); err != nil {
		return nil, err
	}
	for _, u := range d.Cells.Unplaced {
		d.Problems = append(d.Problems, data.Problem{Severity: data.Warning, ID: u.Office, Field: "dossiers",
			Msg: fmt.Sprintf("office %s records %s dossiers a year, but its commune %s has no populated cell at this resolution: the count is left out of the demand", u.Office, data.Thousands(int64(u.PerYear)), u.Commune),
			Fix: "check the commune's population, or use a finer H3 resolution"})
	}
	return d, nil
}

// growth is the demand multiplier, 1 when unset.
func (p LoadParams) growth() float64 {
	if p.Growth <= 0 {
		return 1
	}
	return p.Growth
}

// grow scales the per-resident rates by g. The expected volumes, not the
// rounded cell totals, are scaled, so the grown total is the grown volume
// rounded once, not the sum of per-cell roundings.
func grow(r *dossier.Rates, g float64) {
	if g == 1 {
		return // keep today's values bit for bit
	}
	r.PerResident.Urban *= g
	r.PerResident.Rural *= g
	r.PerResident.Remote *= g
}

// growMeasured scales the measured yearly volumes of a dossier log by g;
// the counter shares stay.
func growMeasured(m map[string]dossier.CommuneRate, g float64) {
	if g == 1 {
		return
	}
	for code, r := range m {
		r.PerYear *= g
		m[code] = r
	}
}

// CheckLoad assigns the demand to the open offices of net (boundary-free
// dossiers to the nearest office by travel time in res, the others to the
// office serving the applicant's commune) and runs the load check.
func CheckLoad(ctx context.Context, ds *data.Dataset, d *Demand, res *coverage.Result, net optimize.Network, p LoadParams) (*dossier.Result, error) {
	if len(res.Offices) != len(net.Offices) {
		return nil, fmt.Errorf("load check: coverage has %d offices, network %s has %d", len(res.Offices), net.Name, len(net.Offices))
	}
	od, err := routeDemand(ds, d, res, net)
	if err != nil {
		return nil, err
	}
	return checkLoadOf(ctx, ds, d, net, od, p)
}

// CheckLoadAssigned is the load check of the optimizer's network: every
// cell's dossiers go where the plan assigns its residents (assignedDemand),
// the loads plan.json states and the premises bound.
// net is o.Network, possibly renamed.
func CheckLoadAssigned(ctx context.Context, ds *data.Dataset, d *Demand, o *Optimized, net optimize.Network, p LoadParams) (*dossier.Result, error) {
	od, err := assignedDemand(ds, d, o, net)
	if err != nil {
		return nil, err
	}
	return checkLoadOf(ctx, ds, d, net, od, p)
}

func checkLoadOf(ctx context.Context, ds *data.Dataset, d *Demand, net optimize.Network, od []dossier.OfficeDemand, p LoadParams) (*dossier.Result, error) {
	opt, err := dossierOptions(d, p)
	if err != nil {
		return nil, err
	}
	return dossier.CheckLoad(ctx, ds, net, od, opt)
}

// dossierOptions are the load check's options for a run: the optimizer
// sizes premises and staff with the same queue model (pipeline/optimize.go).
func dossierOptions(d *Demand, p LoadParams) (dossier.Options, error) {
	year := p.Year
	if year == 0 {
		year = 2024
	}
	opt := dossier.DefaultOptions(year)
	if d != nil && d.Log != nil {
		if err := opt.UseLog(d.Log); err != nil {
			return dossier.Options{}, err
		}
	}
	if p.WaitTargetMin > 0 {
		opt.WaitTargetMin = p.WaitTargetMin
	}
	opt.Norms = p.Norms
	opt.Queue.Seed = p.Seed
	opt.SkipSimulation = p.SkipSim
	// The premises bound the rebalancing as they bound the optimizer:
	// staff arranged "flexibly between offices" still fit the offices.
	opt.MaxStaffPerPoint, opt.MaxCountersPerPoint = p.MaxStaffPerPoint, p.MaxCountersPerPoint
	opt.FixedCounters = p.CountersFixed
	return opt, nil
}

// PerCellCounter is each cell's dossiers per year filed at a counter: the
// load that queues and that premises' capacities limit.
func (d *Demand) PerCellCounter() []float64 {
	out := make([]float64, len(d.Cells.Cells))
	for i, c := range d.Cells.Cells {
		out[i] = float64(c.Counter)
	}
	return out
}

// routeDemand gives every cell's dossiers to the open offices of net by the
// load check's rule (dossier.Assign: recorded counts stay with their
// commune's office, boundary-free dossiers go to the cell's quickest office
// in res, the rest to the office serving the commune). The optimizer's plan
// states these same loads (Optimize, optimize.Plan.UseLoads).
func routeDemand(ds *data.Dataset, d *Demand, res *coverage.Result, net optimize.Network) ([]dossier.OfficeDemand, error) {
	pts := make([]dossier.Point, len(d.Points))
	copy(pts, d.Points)
	for i := range pts {
		pts[i].NearestOffice = int(res.OfficeByTime[i])
		if pts[i].NearestOffice < 0 {
			pts[i].NearestOffice = int(res.OfficeByDistance[i])
		}
	}
	return dossier.Assign(ds, net, pts, d.Cells)
}

// assignedDemand gives every cell's dossiers to the points of the
// optimizer's network in the shares the plan assigns its residents
// (optimize.Result.Assign): the assignment the premises' capacities bound,
// so the loads the plan and load.json state are the ones the solver kept
// within them (docs/dossiers.md, "Phase 3: the plan's assignment"). A share
// the plan leaves unassigned (residents excluded as uncoverable) goes to
// the office serving the cell's commune. Each point's sums are rounded to
// whole dossiers once.
func assignedDemand(ds *data.Dataset, d *Demand, o *Optimized, net optimize.Network) ([]dossier.OfficeDemand, error) {
	serves, err := net.Serves(ds)
	if err != nil {
		return nil, fmt.Errorf("assign dossiers: %w", err)
	}
	index := make(map[string]int, len(net.Offices))
	for j, off := range net.Offices {
		index[off.ID] = j
	}
	if len(o.Result.Assign) != len(d.Cells.Cells) {
		return nil, fmt.Errorf("assign dossiers: the plan assigns %d cells, the demand has %d; fix: plan and check the same index", len(o.Result.Assign), len(d.Cells.Cells))
	}
	type acc struct{ total, counter, bf float64 }
	sum := make([]acc, len(net.Offices))
	out := make([]dossier.OfficeDemand, len(net.Offices))
	add := func(j int, c dossier.CellDemand, sh float64) {
		sum[j].total += sh * float64(c.Total)
		sum[j].counter += sh * float64(c.Counter)
		sum[j].bf += sh * float64(c.BoundaryFree)
		out[j].Source |= c.Source
	}
	for i, c := range d.Cells.Cells {
		if c.Total == 0 {
			continue
		}
		rest := 1.0
		for _, s := range o.Result.Assign[i] {
			if s.Cand < 0 || s.Share <= 0 {
				continue
			}
			j, ok := index[o.Instance.Candidates[s.Cand].ID]
			if !ok {
				return nil, fmt.Errorf("assign dossiers: the plan assigns cell %d to %s, which is not a point of %s", i, o.Instance.Candidates[s.Cand].ID, net.Name)
			}
			add(j, c, s.Share)
			rest -= s.Share
		}
		if rest > 1e-9 {
			home, ok := serves[d.Points[i].Commune]
			if !ok {
				return nil, fmt.Errorf("assign dossiers: commune %q is served by no office of %s", d.Points[i].Commune, net.Name)
			}
			add(home, c, rest)
		}
	}
	for j, a := range sum {
		out[j].Total = int64(math.Round(a.total))
		out[j].Counter = min(int64(math.Round(a.counter)), out[j].Total)
		out[j].BoundaryFree = min(int64(math.Round(a.bf)), out[j].Total)
	}
	return out, nil
}
