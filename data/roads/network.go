// Package roads loads road networks (OSM PBF, GeoJSON LineStrings) into a
// plain list of directed, timed arcs restricted to its largest strongly
// connected component. Routing structures are built from it in coverage/route.
package roads

import "github.com/paulmach/orb"

// Network is a directed road graph with travel times for one vehicle profile.
type Network struct {
	Source       string      // file it was loaded from
	Profile      string      // "motorbike" or "car"
	Nodes        []orb.Point // lon/lat degrees, indexed by node id 0..len-1
	Arcs         []Arc       // directed; a two-way road is two arcs
	DroppedNodes int         // nodes removed because they lie outside the largest strongly connected component
	Ways         int         // ways/LineStrings that produced arcs
	// MissingNodes counts way node references absent from the file (ways
	// clipped at an extract's border); the way is cut at each missing node.
	MissingNodes int
}

// Arc is one directed road segment between two nodes.
type Arc struct {
	From, To int32
	Meters   float32
	Seconds  float32
	Class    Class
}

// Class is a road class; it picks the speed of a profile.
type Class uint8

const (
	Motorway Class = iota
	Trunk
	Primary
	Secondary
	Tertiary
	Unclassified
	Residential
	Service
	Track
	Other
	LivingStreet // appended after Other so the original values stay stable
)
