package roads

import (
	"fmt"
	"math"
)

// Validate checks what routing relies on: arc ends are node ids, lengths and
// times are finite and non-negative, coordinates are lon/lat degrees.
// Networks from LoadPBF and LoadGeoJSON always pass; hand-built or
// deserialised ones may not.
func (n *Network) Validate() error {
	if n == nil {
		return fmt.Errorf("roads: nil network")
	}
	for i, p := range n.Nodes {
		if !validLonLat(p) {
			return fmt.Errorf("roads: %s: node %d at %v is not lon/lat degrees", n.Source, i, p)
		}
	}
	for i, a := range n.Arcs {
		if a.From < 0 || int(a.From) >= len(n.Nodes) || a.To < 0 || int(a.To) >= len(n.Nodes) {
			return fmt.Errorf("roads: %s: arc %d (%d→%d) refers to a node outside 0..%d", n.Source, i, a.From, a.To, len(n.Nodes)-1)
		}
		if !(a.Seconds >= 0) || math.IsInf(float64(a.Seconds), 1) || !(a.Meters >= 0) || math.IsInf(float64(a.Meters), 1) {
			return fmt.Errorf("roads: %s: arc %d (%d→%d) has %v s and %v m; both must be finite and non-negative", n.Source, i, a.From, a.To, a.Seconds, a.Meters)
		}
	}
	return nil
}
