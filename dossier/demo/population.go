package demo

import (
	"math"
	"math/rand/v2"
	"sort"

	"github.com/onestop/onestop/data"
)

// popPoint is one record of the gridded population: people living around
// a point (a hamlet, ấp, or an urban quarter, khu phố).
type popPoint struct {
	at    pt
	count int64
}

// settlements spreads each commune's census population over points, so
// coverage sees people where they live rather than evenly over rubber
// plantations: most live in clusters (the seat's quarter, khu phố in
// wards, ấp in rural communes), the rest scattered. Counts add up exactly
// to the commune populations.
func (pv *province) settlements(rng *rand.Rand) []popPoint {
	seat := map[int]pt{}
	for _, o := range pv.offices {
		if o.kind == data.OneStop {
			seat[o.commune] = o.at
		}
	}
	var out []popPoint
	for i := range pv.communes {
		c := &pv.communes[i]
		var clusters int
		var sigma, scattered float64
		switch {
		case c.kind == kindWard:
			clusters, sigma, scattered = max(6, int(c.area/0.6)), 0.25, 0.1
		case c.kind == kindTown:
			clusters, sigma, scattered = max(6, int(c.area/2)), 0.3, 0.15
		case c.class == data.Remote:
			clusters, sigma, scattered = 3+rng.IntN(3), 0.5, 0.2
		default:
			clusters, sigma, scattered = 6+rng.IntN(6), 0.4, 0.2
		}
		clusters = min(clusters, 40)
		centers := []pt{seat[i]}
		weights := []float64{2.5} // the seat's quarter is the largest
		for k := 1; k < clusters; k++ {
			centers = append(centers, sampleInConvex(rng, c.convex, 0.1))
			weights = append(weights, math.Exp(rng.NormFloat64()*0.6))
		}
		var pts []pt
		var w []float64
		sumW := 0.0
		for _, x := range weights {
			sumW += x
		}
		const perCluster = 4
		for k, ctr := range centers {
			for m := 0; m < perCluster; m++ {
				p := ctr.add(pt{rng.NormFloat64() * sigma, rng.NormFloat64() * sigma})
				if !c.convex.containsConvex(p, 0.02) {
					p = ctr // a point thrown outside the commune stays at its cluster
				}
				pts = append(pts, p)
				w = append(w, (1-scattered)*weights[k]/sumW/perCluster)
			}
		}
		nScatter := max(4, clusters)
		for m := 0; m < nScatter; m++ {
			pts = append(pts, sampleInConvex(rng, c.convex, 0.02))
			w = append(w, scattered/float64(nScatter))
		}
		counts := apportion(c.pop, w)
		// merge points that coincide (clamped to their cluster center)
		at := map[pt]int{}
		for k, p := range pts {
			if counts[k] == 0 {
				continue
			}
			if j, ok := at[p]; ok {
				out[j].count += counts[k]
				continue
			}
			at[p] = len(out)
			out = append(out, popPoint{p, counts[k]})
		}
	}
	return out
}

// apportion splits total in proportion to w with largest-remainder
// rounding, so the parts sum to total exactly.
func apportion(total int64, w []float64) []int64 {
	sum := 0.0
	for _, x := range w {
		sum += x
	}
	out := make([]int64, len(w))
	type rem struct {
		i int
		f float64
	}
	rems := make([]rem, len(w))
	left := total
	for i, x := range w {
		v := float64(total) * x / sum
		out[i] = int64(math.Floor(v))
		left -= out[i]
		rems[i] = rem{i, v - math.Floor(v)}
	}
	sort.SliceStable(rems, func(a, b int) bool { return rems[a].f > rems[b].f })
	for k := 0; left > 0; k, left = (k+1)%len(rems), left-1 {
		out[rems[k].i]++
	}
	return out
}
