package data

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strings"

	"github.com/paulmach/orb"
)

// rawFeature is a GeoJSON Feature decoded loosely, so that one bad feature
// becomes one Problem instead of failing the whole file.
type rawFeature struct {
	Record     int // 1-based position in the FeatureCollection
	ID         string
	Properties map[string]any
	GeomType   string
	Coords     json.RawMessage
	HasGeom    bool
}

// decodeFeatures reads a FeatureCollection. A file that is not valid JSON
// (typically truncated) gives one whole-file problem with the line of the fault.
func decodeFeatures(file string, b []byte) ([]rawFeature, []Problem) {
	if isGeoPackage(b) { // checkText let it through as binary
		gj, p := geoPackageFeatures(file, b)
		if p != nil {
			return nil, []Problem{*p}
		}
		b = gj
	}
	b = trimBOM(b) // encoding/json rejects it as "invalid character 'ï'"
	var fc struct {
		Type     string            `json:"type"`
		Features []json.RawMessage `json:"features"`
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	if err := dec.Decode(&fc); err != nil {
		return nil, []Problem{jsonProblem(file, b, err)}
	}
	if fc.Type != "FeatureCollection" {
		return nil, []Problem{{File: file, Field: "type",
			Msg: fmt.Sprintf("GeoJSON type is %q, want \"FeatureCollection\"", fc.Type),
			Fix: "export the layer as a GeoJSON FeatureCollection (e.g. ogr2ogr -f GeoJSON)"}}
	}
	var probs []Problem
	out := make([]rawFeature, 0, len(fc.Features))
	for i, rawF := range fc.Features {
		rec := i + 1
		var f struct {
			Type       string          `json:"type"`
			ID         any             `json:"id"`
			Properties json.RawMessage `json:"properties"`
			Geometry   json.RawMessage `json:"geometry"`
		}
		d := json.NewDecoder(bytes.NewReader(rawF))
		d.UseNumber()
		if err := d.Decode(&f); err != nil {
			probs = append(probs, Problem{File: file, Record: rec, Msg: "feature is not a JSON object: " + err.Error(),
				Fix: "each member of features must be a {\"type\":\"Feature\",...} object"})
			continue
		}
		rf := rawFeature{Record: rec, ID: propString(f.ID)}
		if len(f.Properties) > 0 && !bytes.Equal(bytes.TrimSpace(f.Properties), []byte("null")) {
			d := json.NewDecoder(bytes.NewReader(f.Properties))
			d.UseNumber()
			if err := d.Decode(&rf.Properties); err != nil {
				probs = append(probs, Problem{File: file, Record: rec, Field: "properties",
					Msg: "properties is not a JSON object", Fix: "properties must be an object of name: value"})
				continue
			}
		}
		if len(f.Geometry) > 0 && !bytes.Equal(bytes.TrimSpace(f.Geometry), []byte("null")) {
			var g struct {
				Type        string          `json:"type"`
				Coordinates json.RawMessage `json:"coordinates"`
			}
			if err := json.Unmarshal(f.Geometry, &g); err != nil {
				probs = append(probs, Problem{File: file, Record: rec, Field: "geometry",
					Msg: "geometry is not a JSON object", Fix: "geometry must be {\"type\":...,\"coordinates\":[...]}"})
				continue
			}
			rf.GeomType, rf.Coords, rf.HasGeom = g.Type, g.Coordinates, true
		}
		out = append(out, rf)
	}
	return out, probs
}

// jsonProblem turns a decoder error into a whole-file problem with a line number.
func jsonProblem(file string, b []byte, err error) Problem {
	p := Problem{File: file, Fix: "the file is truncated or corrupt; re-export it as GeoJSON and check it with a JSON validator"}
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.Is(err, io.EOF):
		p.Msg = "the file is empty"
	case errors.Is(err, io.ErrUnexpectedEOF):
		p.Msg = "unexpected end of file: the GeoJSON is truncated"
	case errors.As(err, &se):
		p.Msg = fmt.Sprintf("invalid JSON at line %d: %v", lineAt(b, se.Offset), se)
	case errors.As(err, &te):
		p.Msg = fmt.Sprintf("unexpected JSON %s at line %d for %q", te.Value, lineAt(b, te.Offset), te.Field)
		p.Fix = "the file must be a GeoJSON FeatureCollection whose features is an array of Feature objects"
	default:
		p.Msg = "invalid GeoJSON: " + err.Error()
	}
	return p
}

func lineAt(b []byte, off int64) int {
	if off > int64(len(b)) {
		off = int64(len(b))
	}
	if off < 0 {
		off = 0
	}
	return bytes.Count(b[:off], []byte("\n")) + 1
}

// propString renders a property value as text; missing or null gives "".
func propString(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return strings.TrimSpace(x)
	case json.Number:
		return x.String()
	case bool:
		if x {
			return "true"
		}
		return "false"
	default:
		b, _ := json.Marshal(x)
		return string(b)
	}
}

// prop looks a property up; ok is false when the feature lacks it or it is null.
func (f *rawFeature) prop(name string) (string, bool) {
	v, ok := f.Properties[name]
	if !ok || v == nil {
		return "", false
	}
	return propString(v), true
}

func decodePosition(p []float64) (orb.Point, error) {
	if len(p) < 2 {
		return orb.Point{}, fmt.Errorf("position has %d value(s), need lon and lat", len(p))
	}
	if math.IsNaN(p[0]) || math.IsNaN(p[1]) || math.IsInf(p[0], 0) || math.IsInf(p[1], 0) {
		return orb.Point{}, errors.New("position is not a finite number")
	}
	return orb.Point{p[0], p[1]}, nil
}

func decodeRing(r [][]float64) (orb.Ring, error) {
	ring := make(orb.Ring, 0, len(r))
	for _, p := range r {
		pt, err := decodePosition(p)
		if err != nil {
			return nil, err
		}
		ring = append(ring, pt)
	}
	return ring, nil
}

func decodePolygon(rings [][][]float64) (orb.Polygon, error) {
	poly := make(orb.Polygon, 0, len(rings))
	for _, r := range rings {
		ring, err := decodeRing(r)
		if err != nil {
			return nil, err
		}
		poly = append(poly, ring)
	}
	return poly, nil
}

// areaGeometry decodes a Polygon or MultiPolygon into a MultiPolygon.
func (f *rawFeature) areaGeometry() (orb.MultiPolygon, error) {
	switch f.GeomType {
	case "Polygon":
		var c [][][]float64
		if err := json.Unmarshal(f.Coords, &c); err != nil {
			return nil, fmt.Errorf("Polygon coordinates are not an array of rings of [lon, lat] positions: %w", err)
		}
		p, err := decodePolygon(c)
		if err != nil {
			return nil, err
		}
		return orb.MultiPolygon{p}, nil
	case "MultiPolygon":
		var c [][][][]float64
		if err := json.Unmarshal(f.Coords, &c); err != nil {
			return nil, fmt.Errorf("MultiPolygon coordinates are not an array of polygons: %w", err)
		}
		mp := make(orb.MultiPolygon, 0, len(c))
		for _, pc := range c {
			p, err := decodePolygon(pc)
			if err != nil {
				return nil, err
			}
			mp = append(mp, p)
		}
		return mp, nil
	default:
		return nil, fmt.Errorf("geometry type %q is not Polygon or MultiPolygon", f.GeomType)
	}
}

// pointGeometry decodes a Point.
func (f *rawFeature) pointGeometry() (orb.Point, error) {
	if f.GeomType != "Point" {
		return orb.Point{}, fmt.Errorf("geometry type %q is not Point", f.GeomType)
	}
	var c []float64
	if err := json.Unmarshal(f.Coords, &c); err != nil {
		return orb.Point{}, fmt.Errorf("Point coordinates are not [lon, lat]: %w", err)
	}
	return decodePosition(c)
}
