package optimize

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/onestop/onestop/data"
	"github.com/onestop/onestop/data/earth"
	"github.com/paulmach/orb"
)

// Network is one state of the office network: the open offices and, for
// every office of the dataset that is not open, which open office took over
// its residents and why. It is the one network type of the planner: phase 1
// and 2 build it from the dataset, ApplyPlan from a plan, and coverage, the
// dossier load check and the report all read it.
type Network struct {
	Name    string
	Offices []data.Office // open, in a fixed order (result arrays index it)
	Closed  []Closure
}

// Closure is an office that is no longer open.
type Closure struct {
	Office     data.Office
	AbsorbedBy string // ID of the open office that serves its commune now
	Reason     string
}

// Phase1 is the network as the dataset lists it: every commune one-stop
// department, the district branches and the provincial center.
func Phase1(ds *data.Dataset) Network {
	return Network{Name: "phase 1", Offices: slices.Clone(ds.Offices)}
}

// Phase2 merges each district branch with the one-stop department of the
// commune it sits in (the central ward or township), as the pilot did on
// 1 January 2025: one type-1 branch with the staff, counters and dossiers
// of both. A branch whose commune has no one-stop department stays as it is.
// Without branches (the dataset lists only commune offices) it equals phase 1.
func Phase2(ds *data.Dataset) Network {
	n := Network{Name: "phase 2"}
	merged := map[int]int{} // one-stop office index -> branch index
	for bi, b := range ds.Offices {
		if b.Kind != data.Branch {
			continue
		}
		best := -1
		for oi, o := range ds.Offices {
			if o.Kind != data.OneStop || o.Commune != b.Commune {
				continue
			}
			if _, taken := merged[oi]; taken {
				continue
			}
			if best < 0 || earth.Distance(o.Location, b.Location) < earth.Distance(ds.Offices[best].Location, b.Location) {
				best = oi
			}
		}
		if best >= 0 {
			merged[best] = bi
		}
	}
	absorb := map[int]data.Office{}
	for oi, bi := range merged {
		b := absorb[bi]
		if b.ID == "" {
			b = ds.Offices[bi]
		}
		o := ds.Offices[oi]
		b.Staff += o.Staff
		b.Counters += o.Counters
		b.DossiersPerYear += o.DossiersPerYear
		b.Locked = b.Locked || o.Locked
		absorb[bi] = b
	}
	for i, o := range ds.Offices {
		if bi, ok := merged[i]; ok {
			n.Closed = append(n.Closed, Closure{Office: o, AbsorbedBy: ds.Offices[bi].ID,
				Reason: fmt.Sprintf("phase 2: the one-stop department of %s merges into district branch %s in the same commune", o.Commune, ds.Offices[bi].ID)})
			continue
		}
		if b, ok := absorb[i]; ok {
			o = b
		}
		n.Offices = append(n.Offices, o)
	}
	return n
}

// Serves maps every commune code to the index (into n.Offices) of the office
// that handles its boundary-bound dossiers: its own office when open (a
// commune department, branch or 2025 commune centre before an inter-ward or
// reception point, and those before the provincial center), else the office
// that absorbed it, else the nearest open office.
func (n Network) Serves(ds *data.Dataset) (map[string]int, error) {
	if len(n.Offices) == 0 {
		return nil, fmt.Errorf("network %s has no open office", n.Name)
	}
	rank := func(k data.OfficeKind) int {
		switch k {
		case data.OneStop, data.Branch, data.CommuneCenter:
			return 0
		case data.InterWard, data.Reception:
			return 1
		}
		return 2
	}
	byID := make(map[string]int, len(n.Offices))
	serves := map[string]int{}
	for i, o := range n.Offices {
		byID[o.ID] = i
		if o.Commune == "" {
			continue
		}
		prev, ok := serves[o.Commune]
		if !ok || cmp.Or(cmp.Compare(rank(o.Kind), rank(n.Offices[prev].Kind)), cmp.Compare(o.ID, n.Offices[prev].ID)) < 0 {
			serves[o.Commune] = i
		}
	}
	open, next := n.absorptions()
	for _, c := range n.Closed {
		code := c.Office.Commune
		if _, ok := serves[code]; ok || code == "" {
			continue
		}
		// Follow absorption chains (a phase-2 merge absorbed by a
		// phase-3 one); a broken chain leaves the commune to the nearest
		// open office below.
		id := c.Office.ID
		if !open[id] {
			chain, ok, _ := followAbsorbers(id, next[id], open, next)
			if !ok {
				continue
			}
			id = chain[len(chain)-1]
		}
		serves[code] = byID[id]
	}
	for _, c := range ds.Communes {
		if _, ok := serves[c.Code]; ok {
			continue
		}
		p, ok := data.InteriorPoint(c.Geometry)
		if !ok {
			p = c.Bound.Center()
		}
		serves[c.Code] = nearestOffice(n.Offices, p)
	}
	return serves, nil
}

func nearestOffice(offices []data.Office, p orb.Point) int {
	best, bestD := 0, -1.0
	for i, o := range offices {
		if d := earth.Distance(o.Location, p); bestD < 0 || d < bestD {
			best, bestD = i, d
		}
	}
	return best
}

// Classes is the area class of every open office (of the commune it sits in;
// urban when the commune is unknown, as the provincial center in the city).
func (n Network) Classes(ds *data.Dataset) []data.AreaClass {
	class := make(map[string]data.AreaClass, len(ds.Communes))
	for _, c := range ds.Communes {
		class[c.Code] = c.Class
	}
	out := make([]data.AreaClass, len(n.Offices))
	for i, o := range n.Offices {
		out[i] = cmp.Or(class[o.Commune], data.Urban)
	}
	return out
}

// Staff is the total one-stop staff of the open offices.
func (n Network) Staff() int {
	s := 0
	for _, o := range n.Offices {
		s += o.Staff
	}
	return s
}

// ApplyPlan turns base into the network a plan proposes: kept offices with
// their staff after the moves, closed offices with their absorber, and the
// new inter-ward points. Every office of base must be kept or closed.
func ApplyPlan(base Network, p *Plan, name string) (Network, error) {
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
	}
	for _, o := range base.Offices {
		if !seen[o.ID] {
			return Network{}, fmt.Errorf("plan says nothing of office %q of network %s (fix: the plan was made for another network)", o.ID, base.Name)
		}
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
	open, next := n.absorptions()
	for k, c := range n.Closed {
		if c.AbsorbedBy == "" || open[c.AbsorbedBy] {
			continue
		}
		chain, ok, cycle := followAbsorbers(c.Office.ID, c.AbsorbedBy, open, next)
		id := chain[len(chain)-1]
		switch {
		case cycle:
			return fmt.Errorf("network %s: office %s is absorbed in a cycle (%s) that never reaches an open office (fix: give one of them an open absorber)",
				n.Name, c.Office.ID, strings.Join(chain, " → "))
		case !ok:
			return fmt.Errorf("network %s: office %s is absorbed by %s (%s), which is neither open nor closed into an open office (fix: absorb it into an open office)",
				n.Name, c.Office.ID, id, strings.Join(chain, " → "))
		}
		n.Closed[k].AbsorbedBy = id
		n.Closed[k].Reason = fmt.Sprintf("%s; %s closes in turn, so its residents go to %s (%s)", c.Reason, c.AbsorbedBy, id, strings.Join(chain, " → "))
	}
	return nil
}

// OpenAbsorbers is, per closure of n.Closed, the index in n.Offices of the
// open office that took over its residents in the end (absorption chains
// followed), or -1 when the chain never reaches an open office.
func (n Network) OpenAbsorbers() []int {
	byID := make(map[string]int, len(n.Offices))
	for i, o := range n.Offices {
		byID[o.ID] = i
	}
	open, next := n.absorptions()
	out := make([]int, len(n.Closed))
	for k, c := range n.Closed {
		out[k] = -1
		if chain, ok, _ := followAbsorbers(c.Office.ID, c.AbsorbedBy, open, next); ok {
			out[k] = byID[chain[len(chain)-1]]
		}
	}
	return out
}

// absorptions is the set of open office IDs and, for every closed office,
// the office that absorbed it: the graph Serves and resolveAbsorbers walk.
func (n Network) absorptions() (open map[string]bool, next map[string]string) {
	open = make(map[string]bool, len(n.Offices))
	for _, o := range n.Offices {
		open[o.ID] = true
	}
	next = make(map[string]string, len(n.Closed))
	for _, c := range n.Closed {
		next[c.Office.ID] = c.AbsorbedBy
	}
	return open, next
}

// followAbsorbers walks from the closed office origin, absorbed by first,
// along next to the first open office: chain is origin → … → that office
// (ok), or, when it never gets there, up to the office that repeats (cycle)
// or that is neither open nor closed into another.
func followAbsorbers(origin, first string, open map[string]bool, next map[string]string) (chain []string, ok, cycle bool) {
	chain = []string{origin}
	seen := map[string]bool{origin: true}
	id := first
	for !open[id] {
		chain = append(chain, id)
		if seen[id] {
			return chain, false, true
		}
		seen[id] = true
		nx, found := next[id]
		if !found || nx == "" {
			return chain, false, false
		}
		id = nx
	}
	return append(chain, id), true, false
}
