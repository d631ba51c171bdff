package demo

import (
	"math"
	"math/rand/v2"

	"github.com/onestop/onestop/data"
	"github.com/onestop/onestop/dossier"
)

type office struct {
	id, name string
	kind     data.OfficeKind
	at       pt
	commune  int
	staff    int
	counters int
	dossiers int // per year
	// recorded says whether offices.csv ships the yearly count: only the
	// offices of recordedDistricts do, so the demo exercises both demand
	// paths (recorded counts first, the dossier log for the rest).
	recorded bool
	locked   bool
}

// recordedDistricts are the districts whose offices' 2024 dossier counts
// reached the planner in the demo: the capital city, a rural district and
// another city — 42 of the 101 offices, as when a province's records arrive
// district by district. Their counts cover the dossiers filed at each
// office, below the residents' total the log and rates give (the district
// and provincial levels receive the rest), as in the real Đà Nẵng records.
var recordedDistricts = map[string]bool{"718": true, "720": true, "723": true}

// seatNear draws a plausible seat: a point of the commune pulled towards its
// centroid, where the People's Committee usually sits. Since the cell is
// convex, any blend of the centroid and an interior point stays inside.
func seatNear(rng *rand.Rand, c *commune, pull float64) pt {
	ctr := c.convex.centroid()
	p := sampleInConvex(rng, c.convex, 0.05)
	return ctr.add(p.sub(ctr).scale(pull))
}

// placeOffices puts one one-stop office in every commune, a branch in each
// district's central unit and the province center in the capital's central
// ward. Staffing follows the norms with noise, so some offices are over-
// and some under-staffed, as the optimizer expects to find.
func (pv *province) placeOffices(rng *rand.Rand) []office {
	uni := func(a, b float64) float64 { return a + rng.Float64()*(b-a) }
	clampInt := func(v float64, lo, hi int) int {
		return max(lo, min(hi, int(math.Round(v))))
	}
	var out []office
	seats := make([]pt, len(pv.communes))
	for i := range pv.communes {
		c := &pv.communes[i]
		seats[i] = seatNear(rng, c, 0.3)
		dpy := float64(c.pop) * dossier.DefaultRates().PerResident.For(c.class) * dossier.ShareCommune * uni(0.85, 1.15)
		staff := clampInt(dpy/data.DefaultNorms().For(c.class)*uni(0.75, 1.35), 2, 12)
		out = append(out, office{
			recorded: recordedDistricts[pv.districts[c.district].code],
			id:       "MC-" + c.code,
			name:     "Bộ phận Một cửa UBND " + c.name,
			kind:     data.OneStop,
			at:       seats[i],
			commune:  i,
			staff:    staff,
			counters: clampInt(float64(staff)*uni(0.45, 0.8), 1, staff),
			dossiers: int(math.Round(dpy)),
		})
	}
	// the branch sits a few hundred metres from the central unit's committee
	near := func(i int) pt {
		c := &pv.communes[i]
		ctr := c.convex.centroid()
		for try := 0; try < 50; try++ {
			a := rng.Float64() * 2 * math.Pi
			d := uni(0.25, 0.6)
			p := seats[i].add(pt{d * math.Cos(a), d * math.Sin(a)})
			if c.convex.containsConvex(p, 0.05) {
				return p
			}
		}
		return seats[i].add(ctr.sub(seats[i]).scale(0.5))
	}
	demand := make([]float64, len(pv.districts)) // all dossiers of a district's residents per year
	total := 0.0
	for _, c := range pv.communes {
		d := float64(c.pop) * dossier.DefaultRates().PerResident.For(c.class)
		demand[c.district] += d
		total += d
	}
	for i, d := range pv.districts {
		dpy := demand[i] * dossier.ShareDistrict * uni(0.85, 1.15)
		staff := clampInt(dpy/1600*uni(0.8, 1.2), 6, 30)
		out = append(out, office{
			recorded: recordedDistricts[d.code],
			id:       "CN-" + d.code,
			name:     "Chi nhánh Trung tâm Phục vụ hành chính công " + d.name,
			kind:     data.Branch,
			at:       near(d.central),
			commune:  d.central,
			staff:    staff,
			counters: clampInt(float64(staff)*uni(0.5, 0.8), 1, staff),
			dossiers: int(math.Round(dpy)),
		})
	}
	capital := pv.districts[0].central
	dpy := total * dossier.ShareProvince
	staff := clampInt(dpy/1600, 10, 40)
	out = append(out, office{
		recorded: recordedDistricts[pv.districts[0].code],
		id:       "TTPVHCC-" + provinceCode,
		name:     "Trung tâm Phục vụ hành chính công tỉnh (demo)",
		kind:     data.ProvinceCenter,
		at:       near(capital),
		commune:  capital,
		staff:    staff,
		counters: clampInt(float64(staff)*0.7, 1, staff),
		dossiers: int(math.Round(dpy)),
		locked:   true,
	})
	return out
}
