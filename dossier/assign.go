package dossier

import (
	"fmt"

	"github.com/onestop/onestop/data"
	"github.com/onestop/onestop/optimize"
)

// OfficeDemand is the yearly dossiers an office receives.
type OfficeDemand struct {
	Total        int64 // all channels
	Counter      int64 // of Total, at the counter: these queue
	BoundaryFree int64 // of Total, boundary-free dossiers it attracts as the nearest office
}

// Assign gives every dossier of every cell to exactly one open office of
// net: boundary-free dossiers to the cell's nearest open office (to the
// serving office when none is reachable), the others to the office serving
// the cell's commune (net.Serves). points are cells of ds. The result is
// indexed like net.Offices.
func Assign(ds *data.Dataset, net optimize.Network, points []Point, d *Demand) ([]OfficeDemand, error) {
	r, err := resolve(ds, net)
	if err != nil {
		return nil, err
	}
	return assign(r, points, d)
}

func assign(net network, points []Point, d *Demand) ([]OfficeDemand, error) {
	if err := net.validate(); err != nil {
		return nil, err
	}
	if len(d.Cells) != len(points) {
		return nil, fmt.Errorf("assign dossiers: demand has %d cells for %d points", len(d.Cells), len(points))
	}
	out := make([]OfficeDemand, len(net.Offices))
	for i, p := range points {
		c := d.Cells[i]
		if c.Total == 0 {
			continue
		}
		home, ok := net.Serves[p.Commune]
		if !ok {
			return nil, fmt.Errorf("assign dossiers: population cell %d lies in commune %q, which no office serves; fix: take the points and the network from the same dataset", i, p.Commune)
		}
		near := p.NearestOffice
		if near < -1 || near >= len(net.Offices) {
			return nil, fmt.Errorf("assign dossiers: population cell %d (commune %q) has nearest office index %d, outside -1..%d", i, p.Commune, near, len(net.Offices)-1)
		}
		if near == -1 {
			near = home
		}
		out[home].Total += c.Total - c.BoundaryFree
		out[home].Counter += c.Counter - c.BoundaryFreeCounter
		out[near].Total += c.BoundaryFree
		out[near].Counter += c.BoundaryFreeCounter
		out[near].BoundaryFree += c.BoundaryFree
	}
	return out, nil
}
