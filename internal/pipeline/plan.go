package pipeline

import (
	"encoding/json"
	"fmt"
	"os"

	"github.com/onestop/onestop/data"
	"github.com/onestop/onestop/optimize"
	"github.com/paulmach/orb"
)

// ReadPlan reads a plan.json written by `onestop optimize` or `onestop plan`.
func ReadPlan(path string) (*optimize.Plan, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("plan: %w", err)
	}
	var p optimize.Plan
	if err := json.Unmarshal(b, &p); err != nil {
		return nil, fmt.Errorf("plan %s: %w (fix: give the plan.json an optimize or plan run wrote)", path, err)
	}
	return &p, nil
}

// ApplyPlan turns base into the network a plan proposes: kept offices with
// their staff after the moves, closed offices with their absorber, and the
// new inter-ward points. Every office of base must be kept or closed.
func ApplyPlan(base Network, p *optimize.Plan, name string) (Network, error) {
	n := Network{Name: name, Closed: append([]Closure(nil), base.Closed...)}
	byID := make(map[string]data.Office, len(base.Offices))
	for _, o := range base.Offices {
		byID[o.ID] = o
	}
	seen := map[string]bool{}
	for _, k := range p.Kept {
		o, ok := byID[k.ID]
		if !ok {
			return Network{}, fmt.Errorf("plan keeps office %q that is not in the network %s (fix: run the plan against the dataset and phase it was made for)", k.ID, base.Name)
		}
		// Staff moving in bring their counter desks (phase 3 merges only
		// where premises allow); the load check still reports any counters
		// the rebalancing would need beyond that.
		if k.StaffAfter > 0 {
			if k.StaffAfter > o.Staff {
				o.Counters += k.StaffAfter - o.Staff
			}
			o.Staff = k.StaffAfter
		}
		seen[k.ID] = true
		n.Offices = append(n.Offices, o)
	}
	for _, c := range p.Closed {
		o, ok := byID[c.ID]
		if !ok {
			return Network{}, fmt.Errorf("plan closes office %q that is not in the network %s", c.ID, base.Name)
		}
		seen[c.ID] = true
		n.Closed = append(n.Closed, Closure{Office: o, AbsorbedBy: c.AbsorbedBy, Reason: c.Why})
	}
	for _, np := range p.New {
		n.Offices = append(n.Offices, data.Office{
			ID: np.ID, Name: np.Name, Kind: data.InterWard, Location: orb.Point{np.Lon, np.Lat},
			Commune: np.Commune, Staff: np.Staff, Counters: np.Staff, DossiersPerYear: np.Load,
		})
		n.NewIDs = append(n.NewIDs, np.ID)
	}
	for _, o := range base.Offices {
		if !seen[o.ID] {
			return Network{}, fmt.Errorf("plan says nothing of office %q of network %s (fix: the plan was made for another network)", o.ID, base.Name)
		}
	}
	for _, m := range p.StaffMoves {
		n.StaffMoves = append(n.StaffMoves, StaffMove{From: m.From, To: m.To, Count: m.Staff})
	}
	if len(n.Offices) == 0 {
		return Network{}, fmt.Errorf("plan leaves no office open")
	}
	return n, nil
}
