package data

import (
	"context"
	"errors"
	"fmt"
	"path"
	"strings"

	"github.com/onestop/onestop/data/roads"
	"github.com/paulmach/orb"
)

// loadRoads reads the road file through the roads package: OSM PBF streamed
// from the source, GeoJSON read whole. A broken road file becomes a Problem
// naming it; only cancellation aborts the load as a plain error.
func (l *loader) loadRoads() error {
	rs := l.spec.Roads
	opt := roads.Options{Profile: rs.Profile, ClassField: rs.Class, SpeedField: rs.Speed, OnewayField: rs.Oneway}
	name, err := l.src.resolve(rs.File)
	if err != nil {
		l.add(Problem{File: l.yamlName, Field: "roads.file", Msg: err.Error(), Fix: "give a path relative to the dataset.yaml directory"})
		return nil
	}
	var net *roads.Network
	switch ext := strings.ToLower(path.Ext(name)); ext {
	case ".pbf":
		f, err := l.src.open(name)
		if err != nil {
			l.add(openProblem(l.yamlName, "roads.file", name, err))
			return nil
		}
		net, err = roads.LoadPBF(l.ctx, f, name, opt)
		f.Close()
		if err != nil {
			return l.roadProblem(name, err, "the PBF is truncated or corrupt; download the extract again (e.g. from Geofabrik) and check it with osmium fileinfo")
		}
	case ".geojson", ".json":
		_, b, ok := l.readFile("roads.file", rs.File)
		if !ok {
			return nil
		}
		net, err = roads.LoadGeoJSON(b, name, opt)
		if err != nil {
			return l.roadProblem(name, err, "the file must be a GeoJSON FeatureCollection of LineStrings with lon/lat coordinates")
		}
	default:
		l.add(Problem{File: l.yamlName, Field: "roads.file", Msg: fmt.Sprintf("unsupported road file type %q", ext),
			Fix: "use an OSM .pbf extract or a .geojson of LineStrings"})
		return nil
	}
	if net == nil || len(net.Arcs) == 0 {
		l.add(Problem{File: name, Msg: "the road file has no usable roads for the " + field(rs.Profile, "motorbike") + " profile",
			Fix: "check that the file covers the province and has highway tags, or remove the roads: section"})
		return nil
	}
	l.ds.Roads = net
	l.checkRoadExtent(name, net)
	return nil
}

// checkRoadExtent warns when the roads miss the communes: a wrong extract
// (another province) would otherwise only show up as nobody being covered.
func (l *loader) checkRoadExtent(name string, net *roads.Network) {
	if len(l.ds.Communes) == 0 || len(net.Nodes) == 0 {
		return
	}
	cb := l.ds.Communes[0].Bound
	for _, c := range l.ds.Communes[1:] {
		cb = cb.Union(c.Bound)
	}
	rb := orb.MultiPoint(net.Nodes).Bound()
	if !rb.Intersects(cb) {
		l.add(Problem{Severity: Warning, File: name,
			Msg: fmt.Sprintf("the road network (lon %.3f–%.3f, lat %.3f–%.3f) does not reach the communes (lon %.3f–%.3f, lat %.3f–%.3f)",
				rb.Min[0], rb.Max[0], rb.Min[1], rb.Max[1], cb.Min[0], cb.Max[0], cb.Min[1], cb.Max[1]),
			Fix: "use a road extract of the same province"})
		return
	}
	in := 0
	for _, c := range l.ds.Communes {
		if rb.Contains(c.Bound.Center()) {
			in++
		}
	}
	if in*2 < len(l.ds.Communes) {
		l.add(Problem{Severity: Warning, File: name,
			Msg: fmt.Sprintf("the road network covers only %d of %d communes", in, len(l.ds.Communes)),
			Fix: "use a road extract covering the whole province"})
	}
}

func (l *loader) roadProblem(name string, err error, fix string) error {
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("load roads %s: %w", name, err)
	}
	l.add(Problem{File: name, Msg: err.Error(), Fix: fix})
	return nil
}
