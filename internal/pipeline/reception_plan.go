package pipeline

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/onestop/onestop/coverage"
	"github.com/onestop/onestop/data"
	"github.com/onestop/onestop/data/csvsafe"
	"github.com/onestop/onestop/internal/scenario"
	"github.com/onestop/onestop/optimize"
	"github.com/onestop/onestop/reports"
)

// ReceptionFile is the CSV of the proposed reception points.
const ReceptionFile = "reception.csv"

// ReceptionSummary is summary.json of a reception run: the national totals
// and one row per province.
type ReceptionSummary struct {
	Dataset  string        `json:"dataset"`
	Scenario string        `json:"scenario"`
	Phase    string        `json:"phase"` // "reception"
	Rule     coverage.Rule `json:"rule"`
	Model    string        `json:"model"`
	// GroupLevel is what a row is: "province" for a two-tier dataset;
	// "dataset" when the dataset is planned as one area.
	GroupLevel    string  `json:"group_level"`
	Population    int64   `json:"population"`
	BeyondBefore  int64   `json:"beyond_before"`
	BeyondAfter   int64   `json:"beyond_after"`
	PointsAdded   int     `json:"points_added"`
	Centres       int     `json:"centres"`
	QueueMin      int     `json:"queue_min"`
	StaffStandard int     `json:"staff_standard"`
	Staff         int     `json:"staff"`
	MaxGapPct     float64 `json:"max_gap_pct"`
	// Provinces are the rows, by code.
	Provinces []*ProvinceReception `json:"provinces"`
	Warnings  []string             `json:"warnings"`
}

// PlanReception runs `phase: reception` (docs/reception.md): it loads the
// dataset, splits it into provinces, solves them in parallel (up to
// GOMAXPROCS at once) and writes summary.json, reception.csv and
// national.html into dir.
func PlanReception(ctx context.Context, sc *scenario.Scenario, dir string, opt PlanOptions) (*Outcome, error) {
	return planReception(ctx, sc, dir, opt, receptionWorkers())
}

func planReception(ctx context.Context, sc *scenario.Scenario, dir string, opt PlanOptions, workers int) (*Outcome, error) {
	step := func(s string) {
		if opt.Progress != nil {
			opt.Progress.Step(s)
		}
	}
	step("validating dataset")
	ds, err := opt.LoadDataset(ctx, sc.DatasetPath())
	if err != nil {
		return nil, err
	}
	model, _, err := TravelModel(ds, travelOf(sc))
	if err != nil {
		return nil, err
	}
	st, err := receptionSettingsOf(sc, model)
	if err != nil {
		return nil, err
	}
	var user []optimize.UserPoint
	if sc.Optimize.Candidates != "" {
		path := sc.Resolve(sc.Optimize.Candidates)
		b, err := data.ReadInput(path, data.InputLimit(data.MaxDataBytes))
		if err != nil {
			return nil, fmt.Errorf("candidates: %w", err)
		}
		if user, err = optimize.ReadUserCandidates(path, bytes.NewReader(b)); err != nil {
			return nil, err
		}
	}
	parts, outside := splitProvinces(ds, user)
	sum := &ReceptionSummary{Dataset: ds.Name, Scenario: sc.Name, Phase: scenario.Reception.String(), Rule: st.rule,
		Model: sc.Optimize.Model, GroupLevel: "dataset"}
	if ds.GroupLevel == data.GroupProvince && parts[0].Code != "" {
		sum.GroupLevel = string(data.GroupProvince)
	}
	for _, w := range ds.Warnings {
		sum.Warnings = append(sum.Warnings, w.String())
	}
	if len(outside) > 0 {
		sum.Warnings = append(sum.Warnings, fmt.Sprintf("%d candidate sites of %s lie in no unit of the dataset and were not used: %s",
			len(outside), sc.Optimize.Candidates, strings.Join(outside[:min(10, len(outside))], ", ")))
	}
	step(fmt.Sprintf("solving %d provinces", len(parts)))
	rows, err := solveProvinces(ctx, parts, st, workers, func(done, total int, r *ProvinceReception) {
		if opt.Progress != nil {
			opt.Progress.Detail(fmt.Sprintf("%d/%d provinces (%s %s: %d points)", done, total, r.Code, r.Name, r.PointsAdded))
		}
	})
	if err != nil {
		return nil, err
	}
	sum.Provinces = rows
	for _, r := range rows {
		sum.Population += r.Population
		sum.BeyondBefore += r.BeyondBefore
		sum.BeyondAfter += r.BeyondAfter
		sum.PointsAdded += r.PointsAdded
		sum.Centres += r.Centres
		sum.QueueMin += r.QueueMin
		sum.StaffStandard += r.StaffStandard
		sum.Staff += r.Staff
		sum.MaxGapPct = max(sum.MaxGapPct, r.GapPct)
		sum.Warnings = append(sum.Warnings, r.Warnings...)
	}
	if sum.Warnings == nil {
		sum.Warnings = []string{}
	}
	step("writing report")
	lang := reports.Lang(sc.Report.Lang)
	if opt.Lang != "" {
		lang = reports.Lang(opt.Lang)
	}
	nat := nationalView(sum, lang, opt.Version)
	files := map[string]func(io.Writer) error{
		ReceptionFile:        func(w io.Writer) error { return writeReceptionCSV(w, rows) },
		reports.NationalFile: func(w io.Writer) error { return reports.WriteNational(w, nat) },
	}
	if err := WriteFiles(dir, files); err != nil {
		return nil, err
	}
	if err := WriteJSON(filepath.Join(dir, "summary.json"), sum); err != nil {
		return nil, err
	}
	out := &Outcome{Dataset: ds.Name, Phase: int(scenario.Reception), Population: sum.Population,
		OfficesBefore: sum.Centres, OfficesAfter: sum.Centres + sum.PointsAdded,
		GapPct: sum.MaxGapPct, Warnings: sum.Warnings}
	if sum.Population > 0 {
		out.CoveredBefore = 100 * float64(sum.Population-sum.BeyondBefore) / float64(sum.Population)
		out.CoveredAfter = 100 * float64(sum.Population-sum.BeyondAfter) / float64(sum.Population)
	}
	return out, nil
}

// ruleText is the rule as the report states it.
func ruleText(r coverage.Rule, lang reports.Lang) string {
	or := "or"
	if lang == reports.Vietnamese {
		or = "hoặc"
	}
	if r.Mode == "all" {
		or = "and"
		if lang == reports.Vietnamese {
			or = "và"
		}
	}
	switch {
	case r.Minutes > 0 && r.Km > 0:
		return fmt.Sprintf("%g min %s %g km", r.Minutes, or, r.Km)
	case r.Minutes > 0:
		return fmt.Sprintf("%g min", r.Minutes)
	}
	return fmt.Sprintf("%g km", r.Km)
}

func nationalView(s *ReceptionSummary, lang reports.Lang, version string) reports.National {
	n := reports.National{Lang: lang, Dataset: s.Dataset, Scenario: s.Scenario, Version: version,
		Rule: ruleText(s.Rule, lang), GroupLevel: s.GroupLevel, Warnings: s.Warnings}
	for _, r := range s.Provinces {
		n.Rows = append(n.Rows, reports.NationalRow{Code: r.Code, Name: r.Name, Population: r.Population,
			BeyondBefore: r.BeyondBefore, BeyondAfter: r.BeyondAfter, PointsAdded: r.PointsAdded,
			QueueMin: r.QueueMin, StaffStandard: r.StaffStandard, Staff: r.Staff, GapPct: r.GapPct, Optimal: r.Optimal})
		m := reports.NationalMap{Code: r.Code, Name: r.Name, MinLon: r.Map.Bound.Min[0], MinLat: r.Map.Bound.Min[1],
			MaxLon: r.Map.Bound.Max[0], MaxLat: r.Map.Bound.Max[1]}
		for _, p := range r.Map.Centres {
			m.Centres = append(m.Centres, [2]float64{p[0], p[1]})
		}
		for _, p := range r.Points {
			m.Points = append(m.Points, [2]float64{p.Lon, p.Lat})
		}
		for _, d := range r.Map.BeyondBefore {
			m.BeyondBefore = append(m.BeyondBefore, reports.MapDot{Lon: d.P[0], Lat: d.P[1], Residents: d.Residents})
		}
		for _, d := range r.Map.BeyondAft {
			m.BeyondAfter = append(m.BeyondAfter, reports.MapDot{Lon: d.P[0], Lat: d.P[1], Residents: d.Residents})
		}
		n.Maps = append(n.Maps, m)
	}
	n.Total = reports.NationalRow{Population: s.Population, BeyondBefore: s.BeyondBefore, BeyondAfter: s.BeyondAfter,
		PointsAdded: s.PointsAdded, QueueMin: s.QueueMin, StaffStandard: s.StaffStandard, Staff: s.Staff, GapPct: s.MaxGapPct}
	return n
}

// receptionHeader is reception.csv's header (docs/reception.md).
var receptionHeader = []string{"province", "province_name", "id", "name", "source", "lon", "lat", "commune", "class",
	"residents", "dossiers", "counter_dossiers", "queue_min", "staff_standard", "staff", "norm", "communes_served"}

func writeReceptionCSV(w io.Writer, rows []*ProvinceReception) error {
	cw := csvsafe.NewWriter(w)
	if err := cw.Write(receptionHeader); err != nil {
		return err
	}
	f := func(v float64) string { return strconv.FormatFloat(v, 'f', 6, 64) }
	i := func(v int64) string { return strconv.FormatInt(v, 10) }
	for _, r := range rows {
		for _, p := range r.Points {
			rec := []string{r.Code, r.Name, p.ID, p.Name, p.Source, f(p.Lon), f(p.Lat), p.Commune, p.Class,
				i(p.Residents), i(p.Dossiers), i(p.CounterDossiers), strconv.Itoa(p.QueueMin), strconv.Itoa(p.StaffStandard),
				strconv.Itoa(p.Staff), strconv.FormatFloat(p.Norm, 'f', -1, 64), strings.Join(p.Communes, ";")}
			if err := cw.Write(rec); err != nil {
				return err
			}
		}
	}
	cw.Flush()
	return cw.Error()
}
