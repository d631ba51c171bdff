package audit

import (
	"context"
	"fmt"
	"math"

	"github.com/paulmach/orb"
)

// share is one part of a cell's residents at one point of the final
// network, timed by the audit.
type share struct {
	j       int // index in the final network; -1: no point
	share   float64
	minutes float64 // the audit's travel to j (unserved minutes when none)
	km      float64
	ok      bool // j meets the access rule for the cell
}

// assigned is where the plan sends each cell's residents: the plan's own
// assignment when the run passed it (Input.Assign), else the quickest
// open point. The decision is the solver's; its travel, rule and every
// figure the plan derives from it are recomputed.
type assigned struct {
	cells [][]share
	given bool // the plan's assignment (not the quickest point)
}

func (r *run) assigned(ctx context.Context, n *network, aa assignment, unserved float64) (*assigned, error) {
	out := &assigned{cells: make([][]share, len(r.cells))}
	if r.in.Assign == nil {
		for i, c := range r.cells {
			if c.pop <= 0 {
				continue
			}
			out.cells[i] = []share{{j: aa.point[i], share: 1, minutes: aa.minutes[i], km: aa.km[i], ok: r.covered(n, i)}}
		}
		return out, nil
	}
	out.given = true
	want := make([][]int32, len(r.cells))
	for _, ca := range r.in.Assign {
		i, ok := r.byH3[ca.H3]
		if !ok {
			return nil, fmt.Errorf("the plan assigns cell %s, which is not a cell of the audit's index", ca.H3)
		}
		for _, s := range ca.Shares {
			sh := share{j: -1, share: s.Share, minutes: unserved}
			if s.Point != "" {
				j, ok := n.index[s.Point]
				if !ok {
					return nil, fmt.Errorf("the plan assigns cell %s to %s, which is not an open point of the final network", ca.H3, s.Point)
				}
				sh.j = j
				want[i] = append(want[i], int32(j))
			}
			out.cells[i] = append(out.cells[i], sh)
		}
	}
	times, err := r.tr.pairTimes(ctx, n.offs, want)
	if err != nil {
		return nil, err
	}
	for i, ss := range out.cells {
		p := orb.Point{r.cells[i].lon, r.cells[i].lat}
		k := 0
		for x := range ss {
			s := &ss[x]
			if s.j < 0 {
				continue
			}
			s.minutes = times[i][k]
			k++
			s.km = km(p, n.offs[s.j].Loc)
			tOK := !math.IsNaN(s.minutes) && s.minutes <= r.rule.Minutes
			dOK := s.km <= r.rule.Km
			if r.rule.Mode == "all" {
				s.ok = tOK && dOK
			} else {
				s.ok = tOK || dOK
			}
			if math.IsNaN(s.minutes) {
				s.minutes = unserved
			}
		}
	}
	return out, nil
}

// pairTimes times each cell i to the offices want[i] (indices of offs), in
// that order; NaN where no road leads there.
func (tr *traveller) pairTimes(ctx context.Context, offs []office, want [][]int32) ([][]float64, error) {
	out := make([][]float64, len(want))
	for i, w := range want {
		out[i] = make([]float64, len(w))
	}
	if tr.road == nil {
		for i, w := range want {
			p := orb.Point{tr.cells[i].lon, tr.cells[i].lat}
			for k, j := range w {
				out[i][k] = km(p, offs[j].Loc) * tr.minKm[i]
			}
		}
		return out, nil
	}
	type at struct{ cell, k int }
	by := make([][]at, len(offs))
	for i, w := range want {
		for k, j := range w {
			by[j] = append(by[j], at{i, k})
		}
	}
	dist := make([]uint64, len(tr.road.pts))
	for j, o := range offs {
		if len(by[j]) == 0 {
			continue
		}
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("audit: road times: %w", err)
		}
		v, m, ok := tr.road.nearest(o.Loc, tr.t.SnapMeters)
		if !ok {
			return nil, fmt.Errorf("audit: office %s is farther than %.0f m from every road node (fix: move it onto the road network)", o.ID, tr.t.SnapMeters)
		}
		tr.road.toOffice(v, millis(tr.accessSeconds(m)), dist)
		for _, a := range by[j] {
			u := tr.node[a.cell]
			if u < 0 || dist[u] == unreached {
				out[a.cell][a.k] = math.NaN()
				continue
			}
			out[a.cell][a.k] = (float64(dist[u])/1000 + tr.access[a.cell]) / 60
		}
	}
	return out, nil
}

// peakFactor is the peak-hour arrivals per yearly counter dossier, read off
// the busiest office of load.json (factor, and its range over the printed
// precision); ok false without load.json.
func peakFactor(offices []any) (f, lo, hi float64, ok bool) {
	most := -1.0
	for _, v := range offices {
		m := obj(v)
		if cd := num(m["counter_dossiers"]); cd > most && cd > 0 {
			t := text(m["peak_per_hour"])
			half := 0.5 * math.Pow10(-max(decimalsOf(t), 4))
			most, f = cd, num(m["peak_per_hour"])/cd
			lo, hi = f-half/cd, f+half/cd
			ok = true
		}
	}
	return f, lo, hi, ok && !math.IsNaN(f)
}
