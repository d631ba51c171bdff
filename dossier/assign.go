package dossier

import (
	"fmt"
	"sort"

	"github.com/onestop/onestop/data"
	"github.com/onestop/onestop/optimize"
)

// OfficeDemand is the yearly dossiers an office receives.
type OfficeDemand struct {
	Total        int64 // all channels
	Counter      int64 // of Total, at the counter: these queue
	BoundaryFree int64 // of Total, boundary-free dossiers it attracts as the nearest office
	Source       Source
}

// Assign gives every dossier of every cell to exactly one open office of
// net: boundary-free dossiers to the cell's nearest open office (to the
// serving office when none is reachable), the others to the office serving
// the cell's commune (net.Serves). points are cells of ds. The result is
// indexed like net.Offices.
//
// Recorded dossiers (cells with Source FromRecorded) are what the
// commune's offices actually received, boundary-free filings included, so
// while the commune keeps an office of its own (its serving office lies in
// it) all of them stay there: split between the commune's open offices that
// recorded a count, in proportion to their counts (a merged office adds the
// counts of the commune's offices it absorbed), else to the serving office. On the network the counts were recorded in, every such office
// thus gets exactly its count. Once the commune has lost its office, they
// follow the rule above like any other dossier.
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
	kept := map[string]*OfficeDemand{} // recorded dossiers of communes that keep an office
	for i, p := range points {
		c := d.Cells[i]
		if c.Total == 0 {
			continue
		}
		home, ok := net.Serves[p.Commune]
		if !ok {
			return nil, fmt.Errorf("assign dossiers: population cell %d lies in commune %q, which no office serves; fix: take the points and the network from the same dataset", i, p.Commune)
		}
		if c.Source == FromRecorded && net.Offices[home].Commune == p.Commune {
			k := kept[p.Commune]
			if k == nil {
				k = &OfficeDemand{}
				kept[p.Commune] = k
			}
			k.Total += c.Total
			k.Counter += c.Counter
			continue
		}
		near := p.NearestOffice
		if near < -1 || near >= len(net.Offices) {
			return nil, fmt.Errorf("assign dossiers: population cell %d (commune %q) has nearest office index %d, outside -1..%d", i, p.Commune, near, len(net.Offices)-1)
		}
		if near == -1 {
			near = home
		}
		if c.Total > c.BoundaryFree {
			out[home].Source |= c.Source
		}
		if c.BoundaryFree > 0 {
			out[near].Source |= c.Source
		}
		out[home].Total += c.Total - c.BoundaryFree
		out[home].Counter += c.Counter - c.BoundaryFreeCounter
		out[near].Total += c.BoundaryFree
		out[near].Counter += c.BoundaryFreeCounter
		out[near].BoundaryFree += c.BoundaryFree
	}
	codes := make([]string, 0, len(kept))
	for code := range kept {
		codes = append(codes, code)
	}
	sort.Strings(codes)
	for _, code := range codes {
		k := kept[code]
		var to []int
		var w []float64
		for i, o := range net.Offices {
			if o.Commune != code {
				continue
			}
			n := d.Recorded[o.ID]
			for _, c := range net.Absorbed[i] {
				if c.Commune == code {
					n += d.Recorded[c.ID]
				}
			}
			if n > 0 {
				to = append(to, i)
				w = append(w, n)
			}
		}
		if len(to) == 0 {
			to, w = []int{net.Serves[code]}, []float64{1}
		}
		total, counter := splitRecorded(k.Total, k.Counter, w)
		for j, i := range to {
			out[i].Total += total[j]
			out[i].Counter += counter[j]
			out[i].Source |= FromRecorded
		}
	}
	return out, nil
}

// splitRecorded splits a commune's recorded dossiers (total, of which
// counter at the counter) between offices in proportion to their weights w
// (their recorded counts). Totals are apportioned by largest remainder, so
// offices whose counts are whole numbers get them exactly; counter
// dossiers follow each office's share of the total, and any unit rounding
// put above an office's total moves to an office with room.
func splitRecorded(total, counter int64, w []float64) (tot, cnt []int64) {
	var sum float64
	for _, v := range w {
		sum += v
	}
	tx, cx := make([]float64, len(w)), make([]float64, len(w))
	for j, v := range w {
		tx[j] = float64(total) * v / sum
	}
	tot = apportion(tx)
	for j := range w {
		if total > 0 {
			cx[j] = float64(counter) * float64(tot[j]) / float64(total)
		}
	}
	cnt = apportion(cx)
	for j := range cnt {
		for cnt[j] > tot[j] {
			for k := range cnt {
				if cnt[k] < tot[k] {
					cnt[k]++
					cnt[j]--
					break
				}
			}
		}
	}
	return tot, cnt
}
