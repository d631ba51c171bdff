package serve

import (
	"encoding/json"
	"net/http"

	"github.com/onestop/onestop/coverage"
	"github.com/paulmach/orb/geojson"
)

// writeJSON answers v with status code.
func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(code)
	enc := json.NewEncoder(w)
	enc.Encode(v)
}

// fail answers an error as {"error": "..."}.
func fail(w http.ResponseWriter, code int, err error) {
	writeJSON(w, code, map[string]string{"error": err.Error()})
}

// State is the answer to GET /api/state.
type State struct {
	Dataset       string        `json:"dataset"`
	Scenario      string        `json:"scenario"`
	Network       string        `json:"network"`
	Rule          coverage.Rule `json:"rule"`
	WaitTargetMin float64       `json:"wait_target_min"`
	Lang          string        `json:"lang"`
	Version       string        `json:"version"`
	// BBox is [min lon, min lat, max lon, max lat] of the communes: added
	// points must lie inside it.
	BBox    [4]float64    `json:"bbox"`
	Offices []OfficeState `json:"offices"`
	// Start are the edits the page starts from (a run's closures and new
	// points); Summary is the start network's evaluation.
	Start   Edits       `json:"start"`
	Summary *Evaluation `json:"summary"`
}

// OfficeState is one office of the network the page edits.
type OfficeState struct {
	ID      string  `json:"id"`
	Name    string  `json:"name"`
	Kind    string  `json:"kind"`
	Lon     float64 `json:"lon"`
	Lat     float64 `json:"lat"`
	Status  string  `json:"status"` // open or closed, at the start
	Locked  bool    `json:"locked"` // the dataset's locked column: the optimizer never closes it
	Staff   int     `json:"staff"`
	Commune string  `json:"commune"`
}

func (s *Server) handleState(w http.ResponseWriter, r *http.Request) {
	st := State{Dataset: s.ds.Name, Scenario: s.sc.Name, Network: s.base.Name, Rule: s.rule,
		WaitTargetMin: s.lp.WaitTargetMin, Lang: s.sc.Report.Lang, Version: s.version,
		BBox:  [4]float64{s.bbox.Min[0], s.bbox.Min[1], s.bbox.Max[0], s.bbox.Max[1]},
		Start: s.start}
	if st.WaitTargetMin == 0 {
		st.WaitTargetMin = 15
	}
	for _, o := range s.base.Offices {
		status := "open"
		if s.startClosed[o.ID] {
			status = "closed"
		}
		st.Offices = append(st.Offices, OfficeState{ID: o.ID, Name: o.Name, Kind: string(o.Kind), Lon: o.Location[0], Lat: o.Location[1],
			Status: status, Locked: o.Locked, Staff: o.Staff, Commune: o.Commune})
	}
	s.mu.Lock()
	st.Summary = s.startSum
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, st)
}

// handleCommunes answers the commune polygons as GeoJSON, "name" the
// commune code (the key the map joins values on) and "label" its name.
func (s *Server) handleCommunes(w http.ResponseWriter, r *http.Request) {
	fc := geojson.NewFeatureCollection()
	for _, c := range s.ds.Communes {
		f := geojson.NewFeature(c.Geometry)
		f.Properties = geojson.Properties{"name": c.Code, "label": c.Name, "class": string(c.Class)}
		fc.Append(f)
	}
	writeJSON(w, http.StatusOK, fc)
}

func (s *Server) handleEvaluate(w http.ResponseWriter, r *http.Request) {
	var e Edits
	if err := decode(w, r, &e); err != nil {
		fail(w, http.StatusBadRequest, err)
		return
	}
	s.mu.Lock()
	ev, err := s.evaluate(r.Context(), e)
	s.mu.Unlock()
	if err != nil {
		fail(w, http.StatusUnprocessableEntity, err)
		return
	}
	writeJSON(w, http.StatusOK, ev)
}
