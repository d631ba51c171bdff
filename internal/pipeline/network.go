package pipeline

import (
	"cmp"
	"fmt"
	"slices"

	"github.com/onestop/onestop/data"
	"github.com/onestop/onestop/data/earth"
	"github.com/paulmach/orb"
)

// Network is one state of the office network: the open offices and, for
// every office of the dataset that is not open, which open office took over
// its residents and why.
type Network struct {
	Name    string
	Offices []data.Office // open, in a fixed order (result arrays index it)
	Closed  []Closure
	NewIDs  []string // offices that do not exist in the dataset (inter-ward points)
	// StaffMoves lists staff transferred by merges (closed office → absorber).
	StaffMoves []StaffMove
}

// Closure is an office that is no longer open.
type Closure struct {
	Office     data.Office
	AbsorbedBy string // ID of the open office that serves its commune now
	Reason     string
}

// StaffMove is staff moved from one office to another.
type StaffMove struct {
	From, To string
	Count    int
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
			if o.Staff > 0 {
				n.StaffMoves = append(n.StaffMoves, StaffMove{From: o.ID, To: ds.Offices[bi].ID, Count: o.Staff})
			}
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
// commune department or branch before an inter-ward point or the provincial
// center), else the office that absorbed it, else the nearest open office.
func (n Network) Serves(ds *data.Dataset) (map[string]int, error) {
	if len(n.Offices) == 0 {
		return nil, fmt.Errorf("network %s has no open office", n.Name)
	}
	rank := func(k data.OfficeKind) int {
		switch k {
		case data.OneStop, data.Branch:
			return 0
		case data.InterWard:
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
	absorber := map[string]string{}
	for _, c := range n.Closed {
		absorber[c.Office.ID] = c.AbsorbedBy
	}
	// resolve follows absorption chains (a phase-2 merge absorbed by a phase-3 one).
	resolve := func(id string) (int, bool) {
		for range len(absorber) + 1 {
			if i, ok := byID[id]; ok {
				return i, true
			}
			next, ok := absorber[id]
			if !ok {
				return 0, false
			}
			id = next
		}
		return 0, false
	}
	for _, c := range n.Closed {
		code := c.Office.Commune
		if _, ok := serves[code]; ok || code == "" {
			continue
		}
		if i, ok := resolve(c.Office.ID); ok {
			serves[code] = i
		}
	}
	for _, c := range ds.Communes {
		if _, ok := serves[c.Code]; ok {
			continue
		}
		p, ok := data.InteriorPoint(c.Geometry)
		if !ok {
			p = c.Bound.Center()
		}
		serves[c.Code] = nearest(n.Offices, p)
	}
	return serves, nil
}

func nearest(offices []data.Office, p orb.Point) int {
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
