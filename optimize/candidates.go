package optimize

import (
	"cmp"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/onestop/onestop/data"
	"github.com/onestop/onestop/data/earth"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
	"github.com/paulmach/orb/planar"
	"github.com/uber/h3-go/v4"
)

// CandidateOptions select which candidate points to generate.
type CandidateOptions struct {
	Border bool // points near the shared borders of adjacent communes
	// Populated lists populated H3 cells (any resolution at or finer than
	// H3Resolution); the centre of each distinct parent cell is a candidate.
	Populated     []h3.Cell
	H3Resolution  int                   // 0: 8
	InsetMeters   float64               // how far border points move into a commune; 0: 150
	SpacingMeters float64               // generated points closer than this to an earlier candidate are dropped; 0: 250
	User          []UserPoint           // planners' own candidate sites
	Norms         data.ByClass[float64] // dossiers per staff and year; zero: data.DefaultNorms
}

// UserPoint is a candidate site given by the planner.
type UserPoint struct {
	ID, Name string
	Location orb.Point
}

// Defaults of CandidateOptions.
const (
	DefaultCandidateResolution = 8
	DefaultCandidateSpacingM   = 250.0
)

const metersPerDegree = 1000 * earth.KmPerDegree

// BuildCandidates lists the candidates of a dataset in a deterministic order:
// existing offices (kept whatever their spacing), the user's points, border
// points, then H3 centres. Generated points outside every commune polygon
// or too close to an earlier candidate are dropped.
func BuildCandidates(ds *data.Dataset, opt CandidateOptions) ([]Candidate, error) {
	if ds == nil || len(ds.Communes) == 0 {
		return nil, fmt.Errorf("optimize: candidates need a dataset with communes")
	}
	if opt.Norms == (data.ByClass[float64]{}) {
		opt.Norms = data.DefaultNorms()
	}
	if opt.H3Resolution == 0 {
		opt.H3Resolution = DefaultCandidateResolution
	}
	if opt.InsetMeters <= 0 {
		opt.InsetMeters = 150
	}
	if opt.SpacingMeters <= 0 {
		opt.SpacingMeters = DefaultCandidateSpacingM
	}
	byCode := make(map[string]int, len(ds.Communes))
	for k, c := range ds.Communes {
		byCode[c.Code] = k
	}
	loc := newLocator(ds.Communes)
	var out []Candidate
	ids := map[string]bool{}
	sp := newSpacing(opt.SpacingMeters)
	for _, o := range ds.Offices {
		cl := data.Rural
		if k, ok := byCode[o.Commune]; ok {
			cl = ds.Communes[k].Class
		}
		out = append(out, Candidate{ID: o.ID, Name: o.Name, Kind: o.Kind, Location: o.Location, Commune: o.Commune,
			Existing: true, Locked: o.Locked, Staff: o.Staff, Norm: opt.Norms.For(cl), Class: cl})
		ids[o.ID] = true
		sp.add(o.Location)
	}
	add := func(id, name string, kind data.OfficeKind, p orb.Point, user bool) error {
		k := loc.find(p)
		if k < 0 {
			if user {
				return fmt.Errorf("optimize: user candidate %q at %.6f,%.6f lies outside every commune; fix: correct its lon/lat", id, p[0], p[1])
			}
			return nil
		}
		if ids[id] {
			if user {
				return fmt.Errorf("optimize: user candidate id %q is already used; fix: give it a unique id", id)
			}
			return nil
		}
		if !user && sp.near(p) {
			return nil
		}
		c := ds.Communes[k]
		out = append(out, Candidate{ID: id, Name: name, Kind: kind, Location: p, Commune: c.Code,
			Norm: opt.Norms.For(c.Class), Class: c.Class, User: user})
		ids[id] = true
		sp.add(p)
		return nil
	}
	for _, u := range opt.User {
		if err := add(u.ID, u.Name, data.InterWard, u.Location, true); err != nil {
			return nil, err
		}
	}
	if opt.Border {
		for _, b := range borderPoints(ds.Communes, opt.InsetMeters, loc) {
			a, c := ds.Communes[b.a], ds.Communes[b.b]
			if err := add("iw-"+a.Code+"-"+c.Code, "inter-ward point "+a.Name+" / "+c.Name, data.InterWard, b.p, false); err != nil {
				return nil, err
			}
		}
	}
	if len(opt.Populated) > 0 {
		seen := map[h3.Cell]bool{}
		var parents []h3.Cell
		for _, c := range opt.Populated {
			if c.Resolution() < opt.H3Resolution {
				return nil, fmt.Errorf("optimize: populated cell %s has resolution %d, coarser than %d; fix: pass cells at resolution %d or finer", c, c.Resolution(), opt.H3Resolution, opt.H3Resolution)
			}
			p := c.Parent(opt.H3Resolution)
			if !seen[p] {
				seen[p] = true
				parents = append(parents, p)
			}
		}
		slices.Sort(parents)
		for _, c := range parents {
			ll := c.LatLng()
			if err := add("h3-"+c.String(), "grid point "+c.String(), data.InterWard, orb.Point{ll.Lng, ll.Lat}, false); err != nil {
				return nil, err
			}
		}
	}
	return out, nil
}

// locator finds the commune containing a point.
type locator struct{ communes []data.Commune }

func newLocator(c []data.Commune) *locator { return &locator{c} }

func (l *locator) find(p orb.Point) int {
	for k, c := range l.communes {
		if c.Bound.Contains(p) && planar.MultiPolygonContains(c.Geometry, p) {
			return k
		}
	}
	return -1
}

// spacing is a hash grid of kept points for the minimum-spacing test.
type spacing struct {
	cell float64 // degrees
	min  float64 // meters
	grid map[[2]int][]orb.Point
}

func newSpacing(m float64) *spacing {
	return &spacing{cell: m / metersPerDegree, min: m, grid: map[[2]int][]orb.Point{}}
}

func (s *spacing) key(p orb.Point) [2]int {
	return [2]int{int(math.Floor(p[0] / s.cell)), int(math.Floor(p[1] / s.cell))}
}

func (s *spacing) add(p orb.Point) { k := s.key(p); s.grid[k] = append(s.grid[k], p) }

func (s *spacing) near(p orb.Point) bool {
	k := s.key(p)
	for dx := -1; dx <= 1; dx++ {
		for dy := -1; dy <= 1; dy++ {
			for _, q := range s.grid[[2]int{k[0] + dx, k[1] + dy}] {
				if approxMeters(p, q) < s.min {
					return true
				}
			}
		}
	}
	return false
}

// approxMeters is the equirectangular distance on earth.Radius: exact enough
// within a province, and cheap where candidate spacing tests many pairs.
func approxMeters(a, b orb.Point) float64 {
	kx := math.Cos((a[1] + b[1]) / 2 * math.Pi / 180)
	return math.Hypot((a[0]-b[0])*kx, a[1]-b[1]) * metersPerDegree
}

type borderPoint struct {
	a, b int // commune indices, a < b
	p    orb.Point
}

// borderPoints finds, for every pair of communes sharing boundary edges,
// the point halfway along their shared border, moved insetMeters into
// commune a (perpendicular to the edge) so it lies inside the province.
// Vertices are matched after rounding to about 1 m, which tolerates the
// float noise of files whose neighbours share vertices.
func borderPoints(communes []data.Commune, insetMeters float64, loc *locator) []borderPoint {
	type vkey [2]int64
	key := func(p orb.Point) vkey { return vkey{int64(math.Round(p[0] * 1e5)), int64(math.Round(p[1] * 1e5))} }
	type edge struct{ a, b vkey }
	norm := func(a, b vkey) edge {
		if cmp.Or(cmp.Compare(a[0], b[0]), cmp.Compare(a[1], b[1])) > 0 {
			a, b = b, a
		}
		return edge{a, b}
	}
	owner := map[edge]int{}
	shared := map[[2]int][][2]orb.Point{}
	var pairs [][2]int
	for k, c := range communes {
		for _, poly := range c.Geometry {
			for _, ring := range poly {
				for v := 0; v+1 < len(ring); v++ {
					e := norm(key(ring[v]), key(ring[v+1]))
					if e.a == e.b {
						continue
					}
					if o, ok := owner[e]; ok && o != k {
						pr := [2]int{o, k}
						if _, seen := shared[pr]; !seen {
							pairs = append(pairs, pr)
						}
						// Edges are kept in commune k's ring order, so a shared border is a run.
						shared[pr] = append(shared[pr], [2]orb.Point{ring[v], ring[v+1]})
						continue
					}
					owner[e] = k
				}
			}
		}
	}
	slices.SortFunc(pairs, func(x, y [2]int) int { return cmp.Or(cmp.Compare(x[0], y[0]), cmp.Compare(x[1], y[1])) })
	var out []borderPoint
	for _, pr := range pairs {
		edges := shared[pr]
		total := 0.0
		for _, e := range edges {
			total += approxMeters(e[0], e[1])
		}
		// The edge holding the halfway length of the shared border.
		acc := 0.0
		for _, e := range edges {
			l := approxMeters(e[0], e[1])
			if acc+l < total/2 && e != edges[len(edges)-1] {
				acc += l
				continue
			}
			t := 0.5
			if l > 0 {
				t = math.Min(1, math.Max(0, (total/2-acc)/l))
			}
			mid := orb.Point{e[0][0] + t*(e[1][0]-e[0][0]), e[0][1] + t*(e[1][1]-e[0][1])}
			kx := math.Cos(mid[1] * math.Pi / 180)
			dx, dy := (e[1][0]-e[0][0])*kx, e[1][1]-e[0][1]
			n := math.Hypot(dx, dy)
			if n == 0 {
				break
			}
			off := insetMeters / metersPerDegree
			for _, side := range []float64{1, -1} {
				// Perpendicular (-dy, dx), scaled back to degrees of longitude.
				q := orb.Point{mid[0] + side*(-dy/n)*off/kx, mid[1] + side*(dx/n)*off}
				if k := loc.find(q); k == pr[0] || k == pr[1] {
					out = append(out, borderPoint{min(pr[0], pr[1]), max(pr[0], pr[1]), q})
					break
				}
			}
			break
		}
	}
	return out
}

// ReadUserCandidates reads planners' candidate sites: a CSV with a header
// holding id, name, lon, lat (any order, extra columns ignored), or a
// GeoJSON FeatureCollection of Points with id/name properties (name says
// which file, for messages).
func ReadUserCandidates(name string, r io.Reader) ([]UserPoint, error) {
	b, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("optimize: read %s: %w", name, err)
	}
	if t := strings.TrimSpace(string(b)); strings.HasPrefix(t, "{") {
		return readUserGeoJSON(name, b)
	}
	cr := csv.NewReader(strings.NewReader(string(b)))
	cr.FieldsPerRecord = -1
	recs, err := cr.ReadAll()
	if err != nil {
		return nil, fmt.Errorf("optimize: %s: %w; fix: write a CSV with columns id,name,lon,lat", name, err)
	}
	if len(recs) == 0 {
		return nil, fmt.Errorf("optimize: %s is empty; fix: write a header id,name,lon,lat and one row per site", name)
	}
	col := map[string]int{}
	for k, h := range recs[0] {
		col[strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))] = k
	}
	for _, h := range []string{"id", "lon", "lat"} {
		if _, ok := col[h]; !ok {
			return nil, fmt.Errorf("optimize: %s: header has no %q column; fix: use the header id,name,lon,lat", name, h)
		}
	}
	var out []UserPoint
	for k, rec := range recs[1:] {
		get := func(h string) string {
			if c, ok := col[h]; ok && c < len(rec) {
				return strings.TrimSpace(rec[c])
			}
			return ""
		}
		row := k + 2
		id := get("id")
		if id == "" {
			return nil, fmt.Errorf("optimize: %s: row %d: empty id; fix: give every site an id", name, row)
		}
		lon, e1 := strconv.ParseFloat(get("lon"), 64)
		lat, e2 := strconv.ParseFloat(get("lat"), 64)
		if err := errors.Join(e1, e2); err != nil || lon < -180 || lon > 180 || lat < -90 || lat > 90 {
			return nil, fmt.Errorf("optimize: %s: row %d (id %q): lon %q lat %q are not degrees; fix: write decimal degrees, e.g. 106.65,10.98", name, row, id, get("lon"), get("lat"))
		}
		nm := get("name")
		if nm == "" {
			nm = id
		}
		out = append(out, UserPoint{ID: id, Name: nm, Location: orb.Point{lon, lat}})
	}
	return out, nil
}

func readUserGeoJSON(name string, b []byte) ([]UserPoint, error) {
	fc, err := geojson.UnmarshalFeatureCollection(b)
	if err != nil {
		return nil, fmt.Errorf("optimize: %s: %w; fix: write a GeoJSON FeatureCollection of Points", name, err)
	}
	var out []UserPoint
	for k, f := range fc.Features {
		p, ok := f.Geometry.(orb.Point)
		if !ok {
			return nil, fmt.Errorf("optimize: %s: feature %d is a %s, not a Point; fix: give each site as a Point", name, k+1, f.Geometry.GeoJSONType())
		}
		id := f.Properties.MustString("id", "")
		if id == "" && f.ID != nil {
			id = fmt.Sprint(f.ID)
		}
		if id == "" {
			return nil, fmt.Errorf("optimize: %s: feature %d has no id; fix: add an \"id\" property", name, k+1)
		}
		nm := f.Properties.MustString("name", id)
		out = append(out, UserPoint{ID: id, Name: nm, Location: p})
	}
	return out, nil
}
