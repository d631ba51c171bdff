package pipeline

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/onestop/onestop/data"
	"github.com/onestop/onestop/optimize"
	"github.com/paulmach/orb"
)

// ReadPlan reads a plan.json written by `onestop optimize` or `onestop plan`
// (through data.ReadInput: a FIFO or device is refused and the size bounded).
func ReadPlan(path string) (*optimize.Plan, error) {
	b, err := data.ReadInput(path, data.InputLimit(data.MaxConfigBytes))
	if err != nil {
		return nil, fmt.Errorf("plan: %w", err)
	}
	return ParsePlan(b, path)
}

// ParsePlan decodes plan JSON strictly and cross-checks it; name is the
// file the errors name. Unknown keys are refused: a misspelt "new_points"
// would otherwise drop the new points without a word.
func ParsePlan(b []byte, name string) (*optimize.Plan, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	var p optimize.Plan
	if err := dec.Decode(&p); err != nil {
		return nil, fmt.Errorf("plan %s: %w (fix: give the plan.json an optimize or plan run wrote; its keys are in docs/optimize.md)", name, err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("plan %s: data after the plan object (fix: one JSON object per file)", name)
	}
	if err := p.Validate(); err != nil {
		return nil, fmt.Errorf("plan %s: %w", name, err)
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
	if err := n.resolveAbsorbers(); err != nil {
		return Network{}, err
	}
	return n, nil
}

// resolveAbsorbers points every closed office at the open office that
// serves its residents in the end. A plan made on top of phase 2 may close
// an office that itself absorbed others in phase 2 (a branch that took
// over its central ward's department): those follow the chain to the
// plan's absorber, so no closure names an office that is closed too.
func (n *Network) resolveAbsorbers() error {
	open := make(map[string]bool, len(n.Offices))
	for _, o := range n.Offices {
		open[o.ID] = true
	}
	next := make(map[string]string, len(n.Closed))
	for _, c := range n.Closed {
		next[c.Office.ID] = c.AbsorbedBy
	}
	for k, c := range n.Closed {
		if c.AbsorbedBy == "" || open[c.AbsorbedBy] {
			continue
		}
		chain := []string{c.Office.ID}
		seen := map[string]bool{c.Office.ID: true}
		id := c.AbsorbedBy
		for !open[id] {
			chain = append(chain, id)
			if seen[id] {
				return fmt.Errorf("network %s: office %s is absorbed in a cycle (%s) that never reaches an open office (fix: give one of them an open absorber)",
					n.Name, c.Office.ID, strings.Join(chain, " → "))
			}
			seen[id] = true
			nx, ok := next[id]
			if !ok || nx == "" {
				return fmt.Errorf("network %s: office %s is absorbed by %s (%s), which is neither open nor closed into an open office (fix: absorb it into an open office)",
					n.Name, c.Office.ID, id, strings.Join(chain, " → "))
			}
			id = nx
		}
		chain = append(chain, id)
		n.Closed[k].AbsorbedBy = id
		n.Closed[k].Reason = fmt.Sprintf("%s; %s closes in turn, so its residents go to %s (%s)", c.Reason, c.AbsorbedBy, id, strings.Join(chain, " → "))
	}
	return nil
}
