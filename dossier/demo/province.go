package demo

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
	"strconv"

	"github.com/onestop/onestop/data"
)

// Values written to the files; they are the ones data/spec.go documents.
const (
	kindWard    = "ward"
	kindTown    = "town"
	kindCommune = "commune"
)

// targetPopulation is Binh Duong's 2019 census count, so the demo's totals
// read like the pilot's.
const targetPopulation = 2426561

// remoteCommunes is how many large, sparse northern communes are classed remote.
const remoteCommunes = 4

type commune struct {
	code, name string
	kind       string
	class      data.AreaClass
	district   int
	pop        int64
	cell       ring // conformed boundary, counter-clockwise
	convex     ring // the cell before conforming: exactly convex, for sampling
	area       float64
}

type district struct {
	code, name string
	cell       ring
	central    int // commune index of the central ward or town (seat of the branch)
	pop        int64
}

// province is the whole generated demo in the local frame.
type province struct {
	outline   ring
	districts []district
	communes  []commune
	offices   []office
	roads     []road
	dossiers  []byte // dossiers.csv
	logRows   int
	people    []popPoint
}

// stage streams: each generation stage draws from its own stream of the
// seed, so changing how roads are drawn does not reshuffle the populations.
const (
	streamLayout uint64 = iota + 1
	streamNames
	streamPopulation
	streamOffices
	streamRoads
	streamDossiers
	streamSettlements
)

func stageRNG(seed int64, stream uint64) *rand.Rand {
	return rand.New(rand.NewPCG(uint64(seed), 0x9e3779b97f4a7c15*stream))
}

// build generates the province for seed.
func build(seed int64) (*province, error) {
	plans := districtPlans()
	total := 0.0
	for _, p := range plans {
		total += p.areaKm2
	}
	pv := &province{outline: outline(total)}
	rng := stageRNG(seed, streamLayout)
	dcells, _, err := fitDistricts(rng, plans, pv.outline)
	if err != nil {
		return nil, fmt.Errorf("demo districts: %w", err)
	}
	var convex []ring
	var owner []int
	for i, p := range plans {
		n := p.wards + p.towns + p.communes
		lloyd := 3
		if p.wards > 0 {
			lloyd = 8
		}
		for _, c := range splitDistrict(rng, dcells[i], n, lloyd) {
			if c == nil {
				return nil, fmt.Errorf("demo district %s: a commune cell is empty", p.code)
			}
			convex = append(convex, c)
			owner = append(owner, i)
		}
	}
	cells, err := conform(convex)
	if err != nil {
		return nil, fmt.Errorf("demo communes: %w", err)
	}

	for i, p := range plans {
		pv.districts = append(pv.districts, district{code: p.code, name: p.name, cell: dcells[i]})
	}
	// kinds and ordering inside each district
	var all []commune
	for di, p := range plans {
		var idx []int
		for k, o := range owner {
			if o == di {
				idx = append(idx, k)
			}
		}
		center := dcells[di].centroid()
		byDist := append([]int(nil), idx...)
		sort.SliceStable(byDist, func(a, b int) bool {
			return convex[byDist[a]].centroid().dist(center) < convex[byDist[b]].centroid().dist(center)
		})
		kind := map[int]string{}
		if p.wards > 0 {
			// urban district: the rural communes are the outermost cells
			for r, k := range byDist {
				if r >= p.wards {
					kind[k] = kindCommune
				} else {
					kind[k] = kindWard
				}
			}
		} else {
			// rural district: the towns are the district seat and its neighbour
			for r, k := range byDist {
				if r < p.towns {
					kind[k] = kindTown
				} else {
					kind[k] = kindCommune
				}
			}
		}
		// GSO lists wards, then towns, then communes; north to south within a kind
		rank := map[string]int{kindWard: 0, kindTown: 1, kindCommune: 2}
		sort.SliceStable(idx, func(a, b int) bool {
			ka, kb := kind[idx[a]], kind[idx[b]]
			if ka != kb {
				return rank[ka] < rank[kb]
			}
			ca, cb := convex[idx[a]].centroid(), convex[idx[b]].centroid()
			if ca.Y != cb.Y {
				return ca.Y > cb.Y
			}
			return ca.X < cb.X
		})
		for _, k := range idx {
			c := commune{kind: kind[k], district: di, cell: cells[k], convex: convex[k], area: cells[k].area()}
			if k == byDist[0] {
				pv.districts[di].central = len(all)
			}
			all = append(all, c)
		}
	}
	for i := range all {
		all[i].code = strconv.Itoa(25741 + 3*i)
	}
	pv.communes = all
	pv.assignNames(stageRNG(seed, streamNames))
	pv.assignClasses()
	pv.assignPopulation(stageRNG(seed, streamPopulation))
	pv.offices = pv.placeOffices(stageRNG(seed, streamOffices))
	roads, err := pv.buildRoads(stageRNG(seed, streamRoads))
	if err != nil {
		return nil, fmt.Errorf("demo roads: %w", err)
	}
	pv.roads = roads
	if pv.dossiers, pv.logRows, err = pv.dossierLog(stageRNG(seed, streamDossiers)); err != nil {
		return nil, fmt.Errorf("demo dossier log: %w", err)
	}
	pv.people = pv.settlements(stageRNG(seed, streamSettlements))
	return pv, nil
}

func (pv *province) assignNames(rng *rand.Rand) {
	taken := map[string]bool{}
	for _, p := range districtPlans() {
		for _, pre := range []string{"Thành phố ", "Thị xã ", "Huyện "} {
			if len(p.name) > len(pre) && p.name[:len(pre)] == pre {
				taken[p.name[len(pre):]] = true
			}
		}
	}
	names := communeNames(rng, len(pv.communes), taken)
	for i := range pv.communes {
		pv.communes[i].name = kindPrefix(pv.communes[i].kind) + " " + names[i]
	}
}

// assignClasses makes wards and towns urban, communes rural, and the
// largest rural communes of the northern fringe remote.
func (pv *province) assignClasses() {
	lo, hi := pv.outline.bbox()
	north := lo.Y + 0.6*(hi.Y-lo.Y)
	var fringe []int
	for i := range pv.communes {
		c := &pv.communes[i]
		switch c.kind {
		case kindWard, kindTown:
			c.class = data.Urban
		default:
			c.class = data.Rural
			if c.convex.centroid().Y > north {
				fringe = append(fringe, i)
			}
		}
	}
	sort.SliceStable(fringe, func(a, b int) bool { return pv.communes[fringe[a]].area > pv.communes[fringe[b]].area })
	for k, i := range fringe {
		if k == remoteCommunes {
			break
		}
		pv.communes[i].class = data.Remote
	}
}

// assignPopulation gives rural units their own ranges and shares the rest
// among wards, so the province total is exactly targetPopulation and wards
// land in the dense 20–60 k band.
func (pv *province) assignPopulation(rng *rand.Rand) {
	lo, hi := pv.outline.bbox()
	uni := func(a, b float64) float64 { return a + rng.Float64()*(b-a) }
	rest := float64(targetPopulation)
	var wards []int
	var weights []float64
	for i := range pv.communes {
		c := &pv.communes[i]
		var p float64
		switch {
		case c.kind == kindWard:
			// the south, next to the metropolis, is denser
			south := 1 - (c.convex.centroid().Y-lo.Y)/(hi.Y-lo.Y)
			wards = append(wards, i)
			weights = append(weights, uni(0.6, 1.3)*(0.9+0.2*south))
			continue
		case c.kind == kindTown:
			p = uni(15000, 32000)
		case c.class == data.Remote:
			p = uni(4000, 7500)
		case len(pv.districtWards(c.district)) > 0:
			p = uni(11000, 20000) // peri-urban commune of a city
		default:
			p = uni(6000, 20000)
		}
		c.pop = int64(math.Round(p))
		rest -= float64(c.pop)
	}
	sum := 0.0
	for _, w := range weights {
		sum += w
	}
	// largest-remainder rounding keeps the total exact
	type share struct {
		i    int
		frac float64
	}
	var shares []share
	left := int64(rest)
	for k, i := range wards {
		v := rest * weights[k] / sum
		pv.communes[i].pop = int64(math.Floor(v))
		left -= pv.communes[i].pop
		shares = append(shares, share{i, v - math.Floor(v)})
	}
	sort.SliceStable(shares, func(a, b int) bool { return shares[a].frac > shares[b].frac })
	for k := 0; left > 0 && len(shares) > 0; k, left = (k+1)%len(shares), left-1 {
		pv.communes[shares[k].i].pop++
	}
	for i := range pv.districts {
		pv.districts[i].pop = 0
	}
	for _, c := range pv.communes {
		pv.districts[c.district].pop += c.pop
	}
}

func (pv *province) districtWards(d int) []int {
	var out []int
	for i, c := range pv.communes {
		if c.district == d && c.kind == kindWard {
			out = append(out, i)
		}
	}
	return out
}
