package serve

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"math"
	"net/http"
	"regexp"
	"slices"

	"github.com/onestop/onestop/data"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
)

// Edits are the page's changes to the start network, the body of
// /api/evaluate, /api/optimize and /api/save: base offices closed, offices
// closed at the start reopened, and new points.
type Edits struct {
	Closed []string `json:"closed"`
	Open   []string `json:"open"`
	Add    []Point  `json:"add"`
	// Locked lists open offices the optimizer must keep (only read by
	// /api/optimize and /api/save).
	Locked []string `json:"locked,omitempty"`
}

// Point is a point added on the page.
type Point struct {
	ID   string  `json:"id"`
	Lon  float64 `json:"lon"`
	Lat  float64 `json:"lat"`
	Kind string  `json:"kind"`
}

// Limits of a request: a province has hundreds of offices, not thousands.
const (
	maxBody   = 1 << 20 // bytes of a request body
	maxPoints = 2000    // added points
	maxIDLen  = 64
)

// idPattern is what an added point's id may be: it ends up in a CSV cell
// and a YAML list, so no separators, quotes or control characters.
var idPattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]*$`)

// addKinds are the kinds a point added on the page may have.
var addKinds = []data.OfficeKind{data.InterWard, data.Reception, data.OneStop, data.CommuneCenter, data.Branch}

// decode reads a JSON body strictly: size-limited, unknown keys and
// trailing data refused.
func decode(w http.ResponseWriter, r *http.Request, v any) error {
	r.Body = http.MaxBytesReader(w, r.Body, maxBody)
	b, err := io.ReadAll(r.Body)
	if err != nil {
		var mb *http.MaxBytesError
		if errors.As(err, &mb) {
			return fmt.Errorf("request body over %d bytes", maxBody)
		}
		return fmt.Errorf("read request body: %w", err)
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("request body: %w (fix: send {\"closed\":[ids],\"open\":[ids],\"add\":[{\"id\",\"lon\",\"lat\",\"kind\"}]})", err)
	}
	if dec.More() {
		return fmt.Errorf("request body: data after the JSON object")
	}
	return nil
}

// wanted is one office the edits keep open, with its key in the
// incremental coverage (its place in the network's office order).
type wanted struct {
	office data.Office
	key    int64
}

func (w wanted) same(o data.Office, key int64) bool {
	return key == w.key && o.ID == w.office.ID && o.Location == w.office.Location && o.Kind == w.office.Kind
}

// check validates edits against the session: every id names an office of
// the base network (closed: open at the start; open: closed at the start),
// added points have fresh, well-formed ids, a known kind and a finite
// position inside the province's bound.
func (s *Server) check(e Edits) error {
	seen := map[string]string{}
	once := func(id, list string) error {
		if prev, ok := seen[id]; ok {
			return fmt.Errorf("%q is listed in %s and %s; list every office once", id, prev, list)
		}
		seen[id] = list
		return nil
	}
	for _, id := range e.Closed {
		if _, ok := s.lookup[id]; !ok {
			return fmt.Errorf("closed: %q is not an office of the %s network (see /api/state)", clip(id), s.base.Name)
		}
		if err := once(id, "closed"); err != nil {
			return err
		}
	}
	for _, id := range e.Open {
		if !s.startClosed[id] {
			return fmt.Errorf("open: %q is not an office closed at the start (see /api/state)", clip(id))
		}
		if err := once(id, "open"); err != nil {
			return err
		}
	}
	if len(e.Add) > maxPoints {
		return fmt.Errorf("add: %d points; at most %d", len(e.Add), maxPoints)
	}
	for _, p := range e.Add {
		if len(p.ID) > maxIDLen || !idPattern.MatchString(p.ID) {
			return fmt.Errorf("add: id %q: use 1 to %d letters, digits, '.', '_' or '-', starting with a letter or digit", clip(p.ID), maxIDLen)
		}
		if _, ok := s.lookup[p.ID]; ok {
			return fmt.Errorf("add: id %q is already an office of the dataset; pick another", p.ID)
		}
		if err := once(p.ID, "add"); err != nil {
			return err
		}
		if p.Kind != "" && !slices.Contains(addKinds, data.OfficeKind(p.Kind)) {
			return fmt.Errorf("add: point %q: kind %q is not one of %v", p.ID, clip(p.Kind), addKinds)
		}
		pt := orb.Point{p.Lon, p.Lat}
		if math.IsNaN(p.Lon) || math.IsNaN(p.Lat) || math.IsInf(p.Lon, 0) || math.IsInf(p.Lat, 0) || !s.bbox.Contains(pt) {
			return fmt.Errorf("add: point %q at %v,%v is outside the province (lon %.4f…%.4f, lat %.4f…%.4f)", p.ID, p.Lon, p.Lat,
				s.bbox.Min[0], s.bbox.Max[0], s.bbox.Min[1], s.bbox.Max[1])
		}
		// The optimizer (and so a saved scenario) refuses a point in no
		// commune: refuse it here already.
		if s.communeAt(pt) == "" {
			return fmt.Errorf("add: point %q at %v,%v lies in no commune of the province; put it inside a commune", p.ID, p.Lon, p.Lat)
		}
	}
	for _, id := range e.Locked {
		if _, ok := s.lookup[id]; !ok && seen[id] != "add" {
			return fmt.Errorf("locked: %q is neither an office nor an added point", clip(id))
		}
	}
	return nil
}

// clip shortens a hostile id before it is echoed in an error.
func clip(s string) string {
	if len(s) > maxIDLen {
		return s[:maxIDLen] + "…"
	}
	return s
}

// openSet is the offices the edits keep open, keyed "o:"+id (base office)
// or "a:"+id (added point). Keys follow the network's office order: base
// offices in base order, then added points in request order.
func (s *Server) openSet(e Edits) (map[string]wanted, error) {
	if err := s.check(e); err != nil {
		return nil, err
	}
	closed := maps.Clone(s.startClosed)
	for _, id := range e.Open {
		delete(closed, id)
	}
	for _, id := range e.Closed {
		closed[id] = true
	}
	out := make(map[string]wanted, len(s.base.Offices)+len(e.Add))
	for i, o := range s.base.Offices {
		if !closed[o.ID] {
			out["o:"+o.ID] = wanted{office: o, key: int64(i)}
		}
	}
	for k, p := range e.Add {
		out["a:"+p.ID] = wanted{office: s.newPoint(p), key: int64(len(s.base.Offices) + k)}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("every office is closed; keep at least one open")
	}
	return out, nil
}

// newPoint is the office of a point added on the page.
func (s *Server) newPoint(p Point) data.Office {
	kind := data.OfficeKind(p.Kind)
	if kind == "" {
		kind = data.InterWard
	}
	pt := orb.Point{p.Lon, p.Lat}
	return data.Office{ID: p.ID, Name: p.ID, Kind: kind, Location: pt, Commune: s.communeAt(pt),
		Staff: NewPointStaff, Counters: NewPointStaff}
}

// communeAt is the code of the first commune (dataset order) containing
// pt, "" for none.
func (s *Server) communeAt(pt orb.Point) string {
	for _, c := range s.ds.Communes {
		if c.Bound.Contains(pt) && planar.MultiPolygonContains(c.Geometry, pt) {
			return c.Code
		}
	}
	return ""
}

// pointID makes an id from elsewhere (a plan's new point) acceptable as
// the id of an added point.
func pointID(id string) string {
	id = badIDChars.ReplaceAllString(id, "-")
	if len(id) > maxIDLen {
		id = id[:maxIDLen]
	}
	if id == "" || !idPattern.MatchString(id) {
		id = "p" + id
	}
	return id
}
