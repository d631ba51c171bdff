package optimize

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/onestop/onestop/data"
	"github.com/paulmach/orb"
)

// genSpec describes a synthetic instance: demand points on a square lattice
// (spacing km), population clustered around a few towns, candidates on
// random populated points, cover = within radiusKm straight OR within
// coverMin minutes, times within timeMin minutes.
type genSpec struct {
	seed               uint64
	side               int     // lattice side: side×side demand points
	spacing            float64 // km between lattice points
	cands, existing    int
	locked             int
	radiusKm, coverMin float64
	timeMin            float64
	dossierRate        float64 // dossiers per resident and year (0: none)
	staffCap           int     // premises of staffCap staff at 1,600 dossiers each (capStaff; 0: none)
}

// capStaff gives every candidate premises for staff staff and a capacity
// of staff × its norm in dossiers a year: a simple synthetic capacity (the
// pipeline computes the real one with dossier.CapacityAt). 0 removes them.
func capStaff(inst *Instance, staff int) *Instance {
	for j := range inst.Candidates {
		c := &inst.Candidates[j]
		c.MaxStaff, c.Capacity = staff, float64(staff)*c.Norm
	}
	return inst
}

func genInstance(g genSpec) *Instance {
	rng := rand.New(rand.NewPCG(g.seed, 7))
	n := g.side * g.side
	inst := &Instance{Demand: make([]float64, n)}
	xy := make([][2]float64, n)
	type town struct{ x, y, r, pop float64 }
	ext := float64(g.side) * g.spacing
	towns := make([]town, 1+g.side/20)
	for k := range towns {
		towns[k] = town{rng.Float64() * ext, rng.Float64() * ext, ext / 10 * (0.5 + rng.Float64()), 2000 * (0.5 + rng.Float64())}
	}
	for a := 0; a < g.side; a++ {
		for b := 0; b < g.side; b++ {
			i := a*g.side + b
			x, y := float64(a)*g.spacing, float64(b)*g.spacing
			xy[i] = [2]float64{x, y}
			pop := 30 * rng.Float64()
			for _, t := range towns {
				d := math.Hypot(x-t.x, y-t.y)
				pop += t.pop * math.Exp(-d*d/(2*t.r*t.r))
			}
			if rng.Float64() < 0.1 {
				pop = 0 // rivers, plantations: unpopulated cells
			}
			inst.Demand[i] = math.Round(pop)
		}
	}
	if g.dossierRate > 0 {
		inst.Dossiers = make([]float64, n)
		for i, p := range inst.Demand {
			inst.Dossiers[i] = math.Round(p * g.dossierRate)
		}
	}
	speed := make([]float64, g.cands) // km/h door to door
	for j := 0; j < g.cands; j++ {
		i := rng.IntN(n)
		for inst.Demand[i] == 0 {
			i = rng.IntN(n)
		}
		c := Candidate{ID: fmt.Sprintf("c%04d", j), Name: fmt.Sprintf("candidate %d", j), Kind: data.InterWard,
			Location: orb.Point{106.6 + xy[i][0]/100, 11.0 + xy[i][1]/110}, Norm: 1600, Class: data.Urban}
		speed[j] = 15 + 20*rng.Float64()
		if j < g.existing {
			c.Kind, c.Existing, c.Closable, c.Staff = data.OneStop, true, true, 2+rng.IntN(6)
			c.Locked = j < g.locked
		}
		inst.Candidates = append(inst.Candidates, c)
		xy = append(xy, xy[i]) // candidate position at xy[n+j]
	}
	var cov, tim [][]int32
	var mins [][]float32
	for j := 0; j < g.cands; j++ {
		p := xy[n+j]
		reach := math.Max(g.radiusKm, math.Max(g.coverMin, g.timeMin)*speed[j]/60/1.3)
		lo := func(v float64) int { return max(0, int(math.Floor((v-reach)/g.spacing))) }
		hi := func(v float64) int { return min(g.side-1, int(math.Ceil((v+reach)/g.spacing))) }
		var cr, tr []int32
		var tm []float32
		for a := lo(p[0]); a <= hi(p[0]); a++ {
			for b := lo(p[1]); b <= hi(p[1]); b++ {
				i := a*g.side + b
				d := math.Hypot(xy[i][0]-p[0], xy[i][1]-p[1])
				t := d * 1.3 / speed[j] * 60
				if d <= g.radiusKm || t <= g.coverMin {
					cr = append(cr, int32(i))
				}
				if t <= g.timeMin {
					tr = append(tr, int32(i))
					tm = append(tm, float32(math.Round(t*10)/10))
				}
			}
		}
		cov, tim, mins = append(cov, cr), append(tim, tr), append(mins, tm)
	}
	inst.DemandPoint = make([]orb.Point, n)
	inst.DemandCommune = make([]string, n)
	for i := 0; i < n; i++ {
		inst.DemandPoint[i] = orb.Point{106.6 + xy[i][0]/100, 11.0 + xy[i][1]/110}
		// Four communes: the quadrants of the lattice.
		q := 0
		if xy[i][0] >= ext/2 {
			q++
		}
		if xy[i][1] >= ext/2 {
			q += 2
		}
		inst.DemandCommune[i] = fmt.Sprintf("2570%d", q)
	}
	inst.Cover = BuildSparse(cov, nil)
	inst.Times = BuildSparse(tim, mins)
	return capStaff(inst, g.staffCap)
}

// withCap is g with premises for staff staff at every candidate.
func withCap(g genSpec, staff int) genSpec {
	g.staffCap = staff
	return g
}
