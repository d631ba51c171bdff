package pipeline

import (
	"context"
	"fmt"
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
