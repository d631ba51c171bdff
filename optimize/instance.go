package optimize

import (
	"cmp"
	"fmt"
	"math"
	"slices"

	"github.com/onestop/onestop/data"
	"github.com/paulmach/orb"
)

// Sparse maps each candidate j to the demand points Cell[Start[j]:Start[j+1]]
// (compressed sparse rows). Minutes, when not nil, is parallel to Cell and
// holds the travel time from the demand point to the candidate.
type Sparse struct {
	Start   []int32
	Cell    []int32
	Minutes []float32
}

// Row returns candidate j's demand points and their minutes (nil when the
// matrix carries no times).
func (s Sparse) Row(j int) ([]int32, []float32) {
	a, b := s.Start[j], s.Start[j+1]
	if s.Minutes == nil {
		return s.Cell[a:b], nil
	}
	return s.Cell[a:b], s.Minutes[a:b]
}

// NNZ is the number of stored (candidate, demand point) pairs.
func (s Sparse) NNZ() int { return len(s.Cell) }

// Candidate is a service point the optimizer may keep, close or open.
type Candidate struct {
	ID       string
	Name     string
	Kind     data.OfficeKind
	Location orb.Point // lon/lat degrees
	Commune  string    // commune code it lies in ("" when unknown)
	Existing bool      // an office that exists today
	Locked   bool      // must stay open whatever the objective says
	Closable bool      // an existing office the scope allows to close
	User     bool      // a site from the planner's own candidates file
	Staff    int       // one-stop staff today (existing offices)
	Norm     float64   // dossiers per staff member and year for its area class (the minimum productivity)
	Class    data.AreaClass
	// Capacity is the most counter dossiers a year (Instance.QueueDossiers)
	// the point's premises serve within the wait target at the busiest
	// hour — its counters, staffed; 0: no limit. The pipeline computes it
	// with dossier.CapacityAt; consolidate and pmedian never exceed it.
	Capacity float64
	// MaxStaff is the most staff the point's premises host (0: no limit);
	// staff that merges would move beyond it are listed for redeployment.
	MaxStaff int
}

// Fixed reports whether the candidate must be open in every plan: locked
// offices and existing offices outside the planner's scope.
func (c Candidate) Fixed() bool { return c.Locked || (c.Existing && !c.Closable) }

// Instance is the plain-data optimisation problem.
type Instance struct {
	Demand   []float64 // residents per demand point (H3 cell)
	Dossiers []float64 // dossiers per year per demand point (all channels); nil = none
	// QueueDossiers is the part of Dossiers filed at a counter, the load
	// that queues and that Candidate.Capacity limits; nil: Dossiers.
	QueueDossiers []float64
	Candidates    []Candidate
	Cover         Sparse // candidate -> demand points covered by the access rule
	Times         Sparse // candidate -> demand points within a wider cutoff, with minutes
	// Optional, for the plan's explanations: where each demand point is
	// (lon/lat) and the code of its commune.
	DemandPoint   []orb.Point
	DemandCommune []string
}

// Validate checks shapes and values so a solver never indexes out of range;
// the error names the record and how to fix it.
func (in *Instance) Validate() error {
	n, m := len(in.Demand), len(in.Candidates)
	if n == 0 {
		return fmt.Errorf("optimize: instance has no demand points; fix: load population cells or communes before optimising")
	}
	if m == 0 {
		return fmt.Errorf("optimize: instance has no candidates; fix: add existing offices or generated candidates")
	}
	for i, d := range in.Demand {
		if d < 0 || math.IsNaN(d) || math.IsInf(d, 0) {
			return fmt.Errorf("optimize: demand point %d has population %v; fix: populations must be finite and >= 0", i, d)
		}
	}
	if in.Dossiers != nil {
		if len(in.Dossiers) != n {
			return fmt.Errorf("optimize: %d dossier values for %d demand points; fix: give one value per demand point or none", len(in.Dossiers), n)
		}
		for i, d := range in.Dossiers {
			if d < 0 || math.IsNaN(d) || math.IsInf(d, 0) {
				return fmt.Errorf("optimize: demand point %d has %v dossiers/year; fix: use finite values >= 0", i, d)
			}
		}
	}
	if in.QueueDossiers != nil {
		if len(in.QueueDossiers) != n {
			return fmt.Errorf("optimize: %d counter dossier values for %d demand points; fix: give one value per demand point or none", len(in.QueueDossiers), n)
		}
		for i, d := range in.QueueDossiers {
			if d < 0 || math.IsNaN(d) || math.IsInf(d, 0) {
				return fmt.Errorf("optimize: demand point %d has %v counter dossiers/year; fix: use finite values >= 0", i, d)
			}
		}
	}
	if in.DemandPoint != nil && len(in.DemandPoint) != n {
		return fmt.Errorf("optimize: %d demand locations for %d demand points; fix: give one per point or none", len(in.DemandPoint), n)
	}
	if in.DemandCommune != nil && len(in.DemandCommune) != n {
		return fmt.Errorf("optimize: %d demand communes for %d demand points; fix: give one per point or none", len(in.DemandCommune), n)
	}
	seen := make(map[string]int, m)
	for j, c := range in.Candidates {
		if c.ID == "" {
			return fmt.Errorf("optimize: candidate %d has an empty id; fix: give every candidate a unique id", j+1)
		}
		if k, dup := seen[c.ID]; dup {
			return fmt.Errorf("optimize: candidates %d and %d share id %q; fix: ids must be unique", k+1, j+1, c.ID)
		}
		seen[c.ID] = j
		if c.Staff < 0 {
			return fmt.Errorf("optimize: candidate %d (id %q) has staff %d; fix: staff must be >= 0", j+1, c.ID, c.Staff)
		}
		if c.Norm < 0 || math.IsNaN(c.Norm) {
			return fmt.Errorf("optimize: candidate %d (id %q) has norm %v; fix: norm must be >= 0", j+1, c.ID, c.Norm)
		}
		if !(c.Capacity >= 0) || math.IsInf(c.Capacity, 0) {
			return fmt.Errorf("optimize: candidate %d (id %q) has capacity %v; fix: give finite counter dossiers/year >= 0 (0: no limit)", j+1, c.ID, c.Capacity)
		}
		if c.MaxStaff < 0 {
			return fmt.Errorf("optimize: candidate %d (id %q) has a staff limit of %d; fix: give a count >= 0 (0: no limit)", j+1, c.ID, c.MaxStaff)
		}
	}
	// The two matrices are checked side by side: on a province they hold
	// tens of millions of entries.
	var coverErr error
	done := make(chan struct{})
	go func() {
		defer close(done)
		coverErr = checkSparse("cover", in.Cover, n, m, false)
	}()
	timesErr := checkSparse("times", in.Times, n, m, true)
	<-done
	if coverErr != nil {
		return coverErr
	}
	return timesErr
}

func checkSparse(name string, s Sparse, n, m int, times bool) error {
	if len(s.Start) != m+1 {
		return fmt.Errorf("optimize: %s matrix has %d row starts for %d candidates; fix: Start needs len(Candidates)+1 entries", name, len(s.Start), m)
	}
	if s.Start[0] != 0 || int(s.Start[m]) != len(s.Cell) {
		return fmt.Errorf("optimize: %s matrix starts at %d and ends at %d for %d cells; fix: Start[0]=0 and Start[m]=len(Cell)", name, s.Start[0], s.Start[m], len(s.Cell))
	}
	if times && len(s.Minutes) != len(s.Cell) {
		return fmt.Errorf("optimize: %s matrix has %d minutes for %d cells; fix: give one travel time per cell", name, len(s.Minutes), len(s.Cell))
	}
	for j := 0; j < m; j++ {
		if s.Start[j] > s.Start[j+1] {
			return fmt.Errorf("optimize: %s matrix row %d has a negative length; fix: Start must not decrease", name, j)
		}
		prev := int32(-1)
		for k := s.Start[j]; k < s.Start[j+1]; k++ {
			c := s.Cell[k]
			if c < 0 || int(c) >= n {
				return fmt.Errorf("optimize: %s matrix row %d names demand point %d of %d; fix: indices must be in range", name, j, c, n)
			}
			if c <= prev {
				return fmt.Errorf("optimize: %s matrix row %d is not strictly increasing at demand point %d; fix: sort and deduplicate each row", name, j, c)
			}
			prev = c
			if times {
				t := s.Minutes[k]
				if t < 0 || math.IsNaN(float64(t)) || math.IsInf(float64(t), 0) {
					return fmt.Errorf("optimize: %s matrix row %d has %v minutes to demand point %d; fix: times must be finite and >= 0", name, j, t, c)
				}
			}
		}
	}
	return nil
}

// transpose returns the demand-point -> candidate view of s (rows sorted by
// candidate index, so the result is deterministic).
func transpose(s Sparse, n int) Sparse { return transposeCols(s, n, nil) }

// transposeCols is transpose restricted to the candidates keep marks (nil:
// all). A plan's explanations read a few hundred candidates of thousands:
// transposing only those keeps the by-cell copy small.
func transposeCols(s Sparse, n int, keep []bool) Sparse {
	m := len(s.Start) - 1
	size := 0
	for j := 0; j < m; j++ {
		if keep == nil || keep[j] {
			size += int(s.Start[j+1] - s.Start[j])
		}
	}
	t := Sparse{Start: make([]int32, n+1), Cell: make([]int32, size)}
	if s.Minutes != nil {
		t.Minutes = make([]float32, size)
	}
	for j := 0; j < m; j++ {
		if keep == nil || keep[j] {
			for _, c := range s.Cell[s.Start[j]:s.Start[j+1]] {
				t.Start[c+1]++
			}
		}
	}
	for i := 0; i < n; i++ {
		t.Start[i+1] += t.Start[i]
	}
	pos := make([]int32, n)
	copy(pos, t.Start[:n])
	for j := 0; j < m; j++ {
		if keep != nil && !keep[j] {
			continue
		}
		for k := s.Start[j]; k < s.Start[j+1]; k++ {
			c := s.Cell[k]
			t.Cell[pos[c]] = int32(j)
			if s.Minutes != nil {
				t.Minutes[pos[c]] = s.Minutes[k]
			}
			pos[c]++
		}
	}
	return t
}

// BuildSparse assembles a Sparse from per-candidate lists; it sorts each row
// and keeps the smallest time of duplicate cells. It is the helper the
// integrator and the tests use to fill an Instance.
func BuildSparse(rows [][]int32, minutes [][]float32) Sparse {
	s := Sparse{Start: make([]int32, len(rows)+1)}
	if minutes != nil {
		s.Minutes = []float32{}
	}
	for j, r := range rows {
		idx := make([]int, len(r))
		for k := range idx {
			idx[k] = k
		}
		slices.SortStableFunc(idx, func(a, b int) int {
			if c := cmp.Compare(r[a], r[b]); c != 0 || minutes == nil {
				return c
			}
			return cmp.Compare(minutes[j][a], minutes[j][b])
		})
		last := int32(-1)
		for _, k := range idx {
			if r[k] == last {
				continue
			}
			last = r[k]
			s.Cell = append(s.Cell, r[k])
			if minutes != nil {
				s.Minutes = append(s.Minutes, minutes[j][k])
			}
		}
		s.Start[j+1] = int32(len(s.Cell))
	}
	return s
}
