package roads

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"strconv"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
)

// LoadGeoJSON reads a FeatureCollection of LineStrings/MultiLineStrings.
// Each coordinate becomes a node; lines are joined where their endpoints
// coincide after rounding to 1e-7° (~1 cm), but not at interior vertices,
// so a bridge drawn across a road does not become a junction. Features
// without the class property count as "road" (Other); non-road classes
// (footway, ...) and other geometry types are skipped.
func LoadGeoJSON(data []byte, name string, opt Options) (*Network, error) {
	opt = opt.withDefaults()
	sp, err := profileSpeeds(opt.Profile)
	if err != nil {
		return nil, err
	}
	// Windows tools write a UTF-8 byte-order mark, which encoding/json
	// rejects as "invalid character 'ï'".
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	fc, err := geojson.UnmarshalFeatureCollection(data)
	if err != nil {
		return nil, fmt.Errorf("roads: %s is not a GeoJSON FeatureCollection: %w", name, err)
	}
	b := &builder{}
	type key struct{ x, y int64 }
	ends := map[key]int32{}
	node := func(p orb.Point, endpoint bool) int32 {
		if !endpoint {
			b.nodes = append(b.nodes, p)
			return int32(len(b.nodes) - 1)
		}
		k := key{int64(math.Round(p[0] * 1e7)), int64(math.Round(p[1] * 1e7))}
		if id, ok := ends[k]; ok {
			return id
		}
		b.nodes = append(b.nodes, p)
		ends[k] = int32(len(b.nodes) - 1)
		return ends[k]
	}
	ids := make([]int32, 0, 64)
	for fi, f := range fc.Features {
		rec := fi + 1
		if f == nil || f.Geometry == nil {
			continue
		}
		var lines []orb.LineString
		switch g := f.Geometry.(type) {
		case orb.LineString:
			lines = []orb.LineString{g}
		case orb.MultiLineString:
			lines = g
		default:
			continue
		}
		highway := "road"
		if v, ok := f.Properties[opt.ClassField]; ok && v != nil {
			s, ok := v.(string)
			if !ok {
				return nil, fmt.Errorf("roads: %s: feature %d: property %q is %v, want an OSM highway value such as \"primary\"", name, rec, opt.ClassField, v)
			}
			highway = s
		}
		maxspeed, err := propString(f.Properties[opt.SpeedField])
		if err != nil {
			return nil, fmt.Errorf("roads: %s: feature %d: property %q: %w", name, rec, opt.SpeedField, err)
		}
		if maxspeed != "" {
			if _, ok := parseMaxspeed(maxspeed); !ok {
				return nil, fmt.Errorf("roads: %s: feature %d: property %q is %q, want a speed in km/h such as 50", name, rec, opt.SpeedField, maxspeed)
			}
		}
		oneway, err := propString(f.Properties[opt.OnewayField])
		if err != nil {
			return nil, fmt.Errorf("roads: %s: feature %d: property %q: %w", name, rec, opt.OnewayField, err)
		}
		c, kmh, ok := roadSpeed(&sp, highway, maxspeed)
		if !ok {
			continue
		}
		implied := impliedOneway(highway)
		if j, _ := f.Properties["junction"].(string); j == "roundabout" || j == "circular" {
			implied = true
		}
		dir := onewayDir(oneway, implied)
		for _, ls := range lines {
			ids = ids[:0]
			for i, p := range ls {
				if !validLonLat(p) {
					return nil, fmt.Errorf("roads: %s: feature %d: coordinate %d (%v) is not lon/lat degrees; reproject to EPSG:4326", name, rec, i+1, p)
				}
				ids = append(ids, node(p, i == 0 || i == len(ls)-1))
			}
			b.addRoad(ids, c, kmh, dir, int32(fi))
		}
	}
	return b.finish(context.Background(), name, opt.Profile)
}

// propString accepts strings, numbers and booleans, since GeoJSON writers
// disagree on whether maxspeed is 50 or "50" and oneway true or "yes".
func propString(v any) (string, error) {
	switch x := v.(type) {
	case nil:
		return "", nil
	case string:
		return x, nil
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64), nil
	case bool:
		return strconv.FormatBool(x), nil
	}
	return "", fmt.Errorf("value %v is neither a string, a number nor a boolean", v)
}

func validLonLat(p orb.Point) bool {
	return p[0] >= -180 && p[0] <= 180 && p[1] >= -90 && p[1] <= 90 && !math.IsNaN(p[0]) && !math.IsNaN(p[1])
}
