package audit

import (
	"cmp"

	"fmt"
	"github.com/paulmach/orb"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// assignment is where the plan's residents go: each populated cell to its
// quickest open point (the plan states no per-cell assignment), and the
// figures plan.json derives from it, recomputed.
type assignment struct {
	point   []int     // network index; -1: none within the search
	minutes []float64 // travel to it; unserved minutes when none
	km      []float64 // great-circle km to it; 0 when none
	// kmLo and kmHi bound km over the points as quick as it within the
	// solver's float32 precision (reach.near): it may have picked any;
	// minLo and minHi bound the minutes the same way.
	kmLo, kmHi   []float64
	minLo, minHi []float64
	// near lists those points when there are several (nil: the cell's
	// point is certain).
	near [][]int32
}

// sure is whether cell i certainly goes to a.point[i].
func (a assignment) sure(i int) bool { return len(a.near[i]) <= 1 }

// may is whether cell i may go to point j.
func (a assignment) may(i, j int) bool {
	if a.sure(i) {
		return a.point[i] == j
	}
	return slices.Contains(a.near[i], int32(j))
}

// rng is a range of values a stated figure may take.
type rng struct{ lo, hi float64 }

func (x *rng) add(lo, hi float64) { x.lo += lo; x.hi += hi }

// coordSlackKm is how far a new point may sit from where the solver
// measured it: plan.json publishes its lon/lat with 6 decimals (±0.5e-6°,
// under 8 cm), and the final network is built from those.
const coordSlackKm = 1e-4

// assign sends every cell to its quickest point of n within the optimizer's
// search (plan.json counts a resident beyond it as unserved).
func (r *run) assign(n *network, unserved float64) assignment {
	n0 := len(r.cells)
	a := assignment{point: make([]int, n0), minutes: make([]float64, n0), km: make([]float64, n0), kmLo: make([]float64, n0), kmHi: make([]float64, n0),
		minLo: make([]float64, n0), minHi: make([]float64, n0), near: make([][]int32, n0)}
	for i := range r.cells {
		m := n.reach.minutes[i]
		if math.IsNaN(m) || r.in.SearchMinutes > 0 && m > r.in.SearchMinutes+1e-6 {
			a.point[i], a.minutes[i], a.minLo[i], a.minHi[i] = -1, unserved, unserved, unserved
			continue
		}
		a.point[i], a.minutes[i], a.km[i] = int(n.reach.byTime[i][0]), m, n.reach.kmOfTime[i]
		a.kmLo[i], a.kmHi[i] = a.km[i], a.km[i]
		a.minLo[i], a.minHi[i] = m, m
		p := orb.Point{r.cells[i].lon, r.cells[i].lat}
		if len(n.reach.near[i]) > 1 {
			a.near[i] = n.reach.near[i]
		}
		for _, j := range n.reach.near[i] {
			d := km(p, n.offs[j].Loc)
			slack := 0.0
			if _, existing := r.base.index[n.offs[j].ID]; !existing {
				slack = coordSlackKm // a new point, published with rounded coordinates
			}
			a.kmLo[i], a.kmHi[i] = math.Min(a.kmLo[i], d-slack), math.Max(a.kmHi[i], d+slack)
			if r.tr.road == nil {
				// Straight line: minutes are km × the cell's minutes per km.
				t, dt := d*r.tr.minKm[i], slack*r.tr.minKm[i]
				a.minLo[i], a.minHi[i] = math.Min(a.minLo[i], t-dt), math.Max(a.minHi[i], t+dt)
			} else {
				a.minLo[i], a.minHi[i] = math.Min(a.minLo[i], m*(1-nearTie)), math.Max(a.minHi[i], m*(1+nearTie))
			}
		}
	}
	return a
}

// dossiers is each cell's dossiers a year (0 without demand).
func (r *run) dossiers() []float64 {
	out := make([]float64, len(r.cells))
	for _, d := range r.in.Demand {
		if i, ok := r.byH3[d.H3]; ok {
			out[i] = float64(d.Total)
		}
	}
	return out
}

// planJSON checks plan.json: headline shares and means, every commune's
// before/after, the kept, closed and new points with their loads and
// staff, every closure's structured numbers and the numbers and claims of
// its "why", and the caps.
func (r *run) planJSON(file string, b []byte) error {
	doc, err := decodeJSON(b)
	if err != nil {
		return err
	}
	c := r.c
	unserved, _ := strconv.ParseFloat(text(doc["unserved_minutes"]), 64)
	base, after := r.base, r.after
	ab, aa := r.assign(base, unserved), r.assign(after, unserved)
	dos := r.dossiers()
	haveDemand := r.in.Demand != nil
	// The network the plan describes must be the one audited.
	ids := func(keys ...string) []string {
		var s []string
		for _, k := range keys {
			for _, o := range list(doc[k]) {
				s = append(s, text(obj(o)["id"]))
			}
		}
		slices.Sort(s)
		return s
	}
	netIDs := func(n *network) []string {
		var s []string
		for _, o := range n.offs {
			s = append(s, o.ID)
		}
		slices.Sort(s)
		return s
	}
	c.exact(file, "kept+closed (the network before)", strings.Join(ids("kept", "closed"), " "), strings.Join(netIDs(base), " "), "")
	c.exact(file, "kept+new_points (the network after)", strings.Join(ids("kept", "new_points"), " "), strings.Join(netIDs(after), " "), "")
	if s := obj(doc["summary"]); s != nil {
		c.exact(file, "summary.offices_before", text(s["offices_before"]), strconv.Itoa(len(base.offs)), "")
		c.exact(file, "summary.offices_after", text(s["offices_after"]), strconv.Itoa(len(after.offs)), "")
	}

	// Headline and per-commune figures.
	type acc struct {
		pop, minB, minA, kmB, kmA, covB, covA, kmBLo, kmBHi, kmALo, kmAHi float64
		minBLo, minBHi, minALo, minAHi                                    float64
	}
	com := map[string]*acc{}
	var tot acc
	for i, cl := range r.cells {
		if cl.pop <= 0 {
			continue
		}
		w := float64(cl.pop)
		code := r.ds.Communes[cl.commune].Code
		a := com[code]
		if a == nil {
			a = &acc{}
			com[code] = a
		}
		for _, x := range []*acc{a, &tot} {
			x.pop += w
			x.minB += w * ab.minutes[i]
			x.minA += w * aa.minutes[i]
			x.kmB += w * ab.km[i]
			x.kmA += w * aa.km[i]
			x.kmBLo += w * ab.kmLo[i]
			x.kmBHi += w * ab.kmHi[i]
			x.kmALo += w * aa.kmLo[i]
			x.kmAHi += w * aa.kmHi[i]
			x.minBLo += w * ab.minLo[i]
			x.minBHi += w * ab.minHi[i]
			x.minALo += w * aa.minLo[i]
			x.minAHi += w * aa.minHi[i]
			if r.covered(base, i) {
				x.covB += w
			}
			if r.covered(after, i) {
				x.covA += w
			}
		}
	}
	share := func(x, pop float64) float64 {
		if pop == 0 {
			return math.NaN()
		}
		return x / pop
	}
	c.num(file, "population", text(doc["population"]), 0, tot.pop, "")
	c.num(file, "covered_share_before", text(doc["covered_share_before"]), 6, share(tot.covB, tot.pop), "")
	c.num(file, "covered_share_after", text(doc["covered_share_after"]), 6, share(tot.covA, tot.pop), "")
	c.numIn(file, "mean_minutes_before", text(doc["mean_minutes_before"]), 3, share(tot.minB, tot.pop), share(tot.minBLo, tot.pop), share(tot.minBHi, tot.pop), "travel to the quickest office of the network before")
	c.numIn(file, "mean_minutes_after", text(doc["mean_minutes_after"]), 3, share(tot.minA, tot.pop), share(tot.minALo, tot.pop), share(tot.minAHi, tot.pop), "travel to the quickest open point, as summary.json")
	var worse []string
	for k, v := range list(doc["communes"]) {
		m := obj(v)
		code := text(m["code"])
		p := fmt.Sprintf("communes[%d %s].", k, code)
		a := com[code]
		if a == nil {
			c.exact(file, p+"code", code, "(no populated cell)", "")
			continue
		}
		mb, ma := share(a.minB, a.pop), share(a.minA, a.pop)
		kb, ka := share(a.kmB, a.pop), share(a.kmA, a.pop)
		cb, ca := share(a.covB, a.pop), share(a.covA, a.pop)
		c.num(file, p+"population", text(m["population"]), 0, a.pop, "")
		c.numIn(file, p+"mean_minutes_before", text(m["mean_minutes_before"]), 3, mb, share(a.minBLo, a.pop), share(a.minBHi, a.pop), "")
		c.numIn(file, p+"mean_minutes_after", text(m["mean_minutes_after"]), 3, ma, share(a.minALo, a.pop), share(a.minAHi, a.pop), "")
		c.numIn(file, p+"mean_km_before", text(m["mean_km_before"]), 3, kb, share(a.kmBLo, a.pop), share(a.kmBHi, a.pop), "km to the point of the mean minutes")
		c.numIn(file, p+"mean_km_after", text(m["mean_km_after"]), 3, ka, share(a.kmALo, a.pop), share(a.kmAHi, a.pop), "km to the point of the mean minutes")
		c.num(file, p+"covered_share_before", text(m["covered_share_before"]), 6, cb, "")
		c.num(file, p+"covered_share_after", text(m["covered_share_after"]), 6, ca, "")
		// worse_off as plan.json defines it, on the printed figures.
		rd := func(v float64, d int) float64 { p := math.Pow10(d); return math.Round(v*p) / p }
		w := rd(ma, 3) > rd(mb, 3)+0.005 || rd(ca, 6) < rd(cb, 6)-1e-6 || rd(ka, 3) > rd(kb, 3)+0.0005
		if w {
			worse = append(worse, code)
		}
		if v, ok := m["worse_off"]; ok {
			c.exact(file, p+"worse_off", text(v), strconv.FormatBool(w), "")
		}
	}
	var stated []string
	for _, v := range list(doc["worse_off"]) {
		stated = append(stated, text(v))
	}
	c.exact(file, "worse_off", strings.Join(stated, " "), strings.Join(worse, " "), "")

	// Per point: residents, dossiers and staff.
	classes := after.net.Classes(r.ds)
	norm := func(j int) float64 {
		if r.in.Load.Norm == nil {
			return math.NaN()
		}
		return r.in.Load.Norm(classes[j])
	}
	nb, na := len(base.offs), len(after.offs)
	loadB, loadA := make([]float64, nb), make([]float64, na)
	resA := make([]float64, na)
	// Ranges: a cell that may have gone to several points counts in the
	// high end of each.
	loadBR, loadAR, resAR := make([]rng, nb), make([]rng, na), make([]rng, na)
	servesA := make([]map[string]float64, na)
	spread := func(a assignment, i int, v float64, sum []float64, rs []rng) {
		if j := a.point[i]; j >= 0 {
			sum[j] += v
		}
		if a.sure(i) {
			if j := a.point[i]; j >= 0 {
				rs[j].add(v, v)
			}
			return
		}
		for _, j := range a.near[i] {
			rs[j].add(0, v)
		}
	}
	for i, cl := range r.cells {
		spread(ab, i, dos[i], loadB, loadBR)
		spread(aa, i, dos[i], loadA, loadAR)
		spread(aa, i, float64(cl.pop), resA, resAR)
		if j := aa.point[i]; j >= 0 && cl.pop > 0 {
			if servesA[j] == nil {
				servesA[j] = map[string]float64{}
			}
			servesA[j][r.ds.Communes[cl.commune].Code] += float64(cl.pop)
		}
	}
	staffAvail := 0
	for _, o := range base.offs {
		staffAvail += o.Staff
	}
	c.exact(file, "staff_available", text(doc["staff_available"]), strconv.Itoa(staffAvail), "staff of the network before")
	caps := r.in.Caps
	for k, v := range list(doc["kept"]) {
		m := obj(v)
		id := text(m["id"])
		p := fmt.Sprintf("kept[%d %s].", k, id)
		jb, okb := base.index[id]
		ja, oka := after.index[id]
		if !okb || !oka {
			c.exact(file, p+"id", id, "(not open before and after)", "")
			continue
		}
		c.exact(file, p+"staff_before", text(m["staff_before"]), strconv.Itoa(base.offs[jb].Staff), "")
		c.exact(file, p+"staff_after", text(m["staff_after"]), strconv.Itoa(after.offs[ja].Staff), "the final network's staff")
		if haveDemand {
			c.numIn(file, p+"load_before", text(m["load_before"]), 1, loadB[jb], loadBR[jb].lo, loadBR[jb].hi, "dossiers of the residents whose quickest office it is today")
			c.numIn(file, p+"load_after", text(m["load_after"]), 1, loadA[ja], loadAR[ja].lo, loadAR[ja].hi, "dossiers of the residents whose quickest open point it is")
		}
		if v, ok := m["capacity"]; ok {
			c.num(file, p+"capacity", text(v), 0, float64(after.offs[ja].Staff)*norm(ja), "staff_after × the class's norm")
		}
	}
	for k, v := range list(doc["new_points"]) {
		m := obj(v)
		id := text(m["id"])
		p := fmt.Sprintf("new_points[%d %s].", k, id)
		ja, ok := after.index[id]
		if !ok {
			c.exact(file, p+"id", id, "(not in the final network)", "")
			continue
		}
		c.num(file, p+"lon", text(m["lon"]), 6, after.offs[ja].Loc[0], "")
		c.num(file, p+"lat", text(m["lat"]), 6, after.offs[ja].Loc[1], "")
		c.numIn(file, p+"residents", text(m["residents"]), 1, resA[ja], resAR[ja].lo, resAR[ja].hi, "residents whose quickest open point it is")
		if haveDemand {
			c.numIn(file, p+"load", text(m["load"]), 1, loadA[ja], loadAR[ja].lo, loadAR[ja].hi, "")
		}
		c.exact(file, p+"staff", text(m["staff"]), strconv.Itoa(after.offs[ja].Staff), "the final network's staff")
		var sv []string
		for _, s := range list(m["serves"]) {
			sv = append(sv, text(s))
		}
		want := make([]string, 0, len(servesA[ja]))
		for code := range servesA[ja] {
			want = append(want, code)
		}
		by := servesA[ja]
		slices.SortFunc(want, func(a, b string) int { return cmp.Or(cmp.Compare(by[b], by[a]), cmp.Compare(a, b)) })
		c.exact(file, p+"serves", strings.Join(sv, " "), strings.Join(want, " "), "communes it serves, most residents first")
	}
	r.closures(file, doc, ab, aa, loadA, loadAR, norm)
	if v, ok := doc["residents_beyond_rule"]; ok {
		c.exact(file, "residents_beyond_rule", text(v), strconv.FormatInt(r.c.res.ResidentsBeyondRule, 10), "residents no open point serves within the rule")
	} else {
		c.skip(file, "residents_beyond_rule", "not stated by this plan.json (added in this round); audit.json states it")
	}
	if _, ok := doc["staff_justified"]; ok {
		c.skip(file, "staff_needed, staff_justified, queue_min, staff_standard, flags", "the two-target staffing keys are new this round; their sums are checked below, their definitions after merging")
		r.sumKeys(file, doc)
	} else if haveDemand {
		need := 0
		for j := range after.offs {
			if n := norm(j); n > 0 {
				need += int(math.Ceil(loadA[j]/n - 1e-9))
			}
		}
		c.exact(file, "staff_needed", text(doc["staff_needed"]), strconv.Itoa(need), "Σ ⌈load ÷ norm⌉ over the open points")
	}
	for j, o := range after.offs {
		if caps.MaxStaffPerPoint > 0 && o.Staff > caps.MaxStaffPerPoint {
			c.exact(file, fmt.Sprintf("points[%s].staff within max_staff_per_point", o.ID), strconv.Itoa(o.Staff), "≤ "+strconv.Itoa(caps.MaxStaffPerPoint), "the cap is a hard constraint")
		} else if caps.MaxStaffPerPoint > 0 {
			c.res.Checked++
		}
		if caps.MaxCountersPerPoint > 0 && o.Counters > caps.MaxCountersPerPoint {
			c.exact(file, fmt.Sprintf("points[%s].counters within max_counters_per_point", o.ID), strconv.Itoa(o.Counters), "≤ "+strconv.Itoa(caps.MaxCountersPerPoint), "the cap is a hard constraint")
		}
		_ = j
	}
	return nil
}

// sumKeys checks the plan-level staff totals against the per-point keys
// that state them, when both are present.
func (r *run) sumKeys(file string, doc jsonDoc) {
	var after int
	for _, k := range []string{"kept", "new_points"} {
		for _, v := range list(doc[k]) {
			m := obj(v)
			s := text(m["staff_after"])
			if s == "" {
				s = text(m["staff"])
			}
			n, _ := strconv.Atoi(s)
			after += n
		}
	}
	total := 0
	for _, o := range r.after.offs {
		total += o.Staff
	}
	r.c.exact(file, "Σ staff of the open points", strconv.Itoa(after), strconv.Itoa(total), "the final network's staff")
}

// closureWhy are the figures a closure's "why" states, by the words around
// them (docs/optimize.md); a number no pattern names must still equal one
// of the closure's recomputed figures.
var closureWhy = []struct {
	re  *regexp.Regexp
	key string
}{
	{regexp.MustCompile(`its ([0-9][0-9.,]*) residents`), "residents"},
	{regexp.MustCompile(`within ([0-9][0-9.]*) min`), "max_minutes"},
	{regexp.MustCompile(`\(mean ([0-9][0-9.]*)`), "mean_minutes"},
	{regexp.MustCompile(`([0-9][0-9.]*) km at most`), "max_km"},
	{regexp.MustCompile(`merge, ([0-9][0-9.,]*) dossiers/year`), "load"},
	{regexp.MustCompile(`its ([0-9]+) staff ×`), "staff"},
	{regexp.MustCompile(`× ([0-9][0-9.]*) =`), "norm"},
	{regexp.MustCompile(`= ([0-9][0-9.]*)$`), "capacity"},
}

var numberRE = regexp.MustCompile(`[0-9][0-9.,]*[0-9]|[0-9]`)

// closures checks every closed office: who absorbs it, its residents'
// travel after the plan, the absorber's load and staff, and its "why".
func (r *run) closures(file string, doc jsonDoc, ab, aa assignment, loadA []float64, loadAR []rng, norm func(int) float64) {
	c := r.c
	base, after := r.base, r.after
	for k, v := range list(doc["closed"]) {
		m := obj(v)
		id := text(m["id"])
		p := fmt.Sprintf("closed[%d %s].", k, id)
		jb, ok := base.index[id]
		if !ok {
			c.exact(file, p+"id", id, "(not an office of the network before)", "")
			continue
		}
		if _, open := after.index[id]; open {
			c.exact(file, p+"id", id, "(still open in the final network)", "")
			continue
		}
		var res, minSum, maxMin, maxKm, maxKmLo, maxKmHi float64
		// Ranges over the cells that may have been the office's (ab.may)
		// and the points they may go to (aa): the bounds of each figure.
		var resR, maxMinR rng
		var sure, all struct{ w, lo, hi float64 }
		recv, recvHi := map[int]float64{}, map[int]float64{}
		beyond := int64(0)
		for i, cl := range r.cells {
			if cl.pop <= 0 || !ab.may(i, jb) {
				continue
			}
			w := float64(cl.pop)
			certain := ab.sure(i)
			all.w += w
			all.lo += w * aa.minLo[i]
			all.hi += w * aa.minHi[i]
			resR.hi += w
			maxMinR.hi = math.Max(maxMinR.hi, aa.minHi[i])
			maxKmHi = math.Max(maxKmHi, aa.kmHi[i])
			for _, j := range aa.near[i] {
				recvHi[int(j)] += w
			}
			if !certain {
				continue
			}
			sure.w += w
			sure.lo += w * aa.minLo[i]
			sure.hi += w * aa.minHi[i]
			resR.lo += w
			maxMinR.lo = math.Max(maxMinR.lo, aa.minLo[i])
			maxKmLo = math.Max(maxKmLo, aa.kmLo[i])
			res += w
			minSum += w * aa.minutes[i]
			maxMin = math.Max(maxMin, aa.minutes[i])
			maxKm = math.Max(maxKm, aa.km[i])
			if aa.point[i] >= 0 {
				recv[aa.point[i]] += w
				if aa.sure(i) {
					recvHi[aa.point[i]] += w
				}
			}
			if !r.covered(after, i) {
				beyond += cl.pop
			}
		}
		meanR := rng{math.Inf(1), math.Inf(-1)}
		for _, x := range []struct{ w, lo, hi float64 }{sure, all} {
			if x.w > 0 {
				meanR = rng{math.Min(meanR.lo, x.lo/x.w), math.Max(meanR.hi, x.hi/x.w)}
			}
		}
		// The absorber: the open point receiving most of its residents
		// (ties to the earlier point); without residents, the nearest.
		abs := -1
		for j := range after.offs {
			if recv[j] > 0 && (abs < 0 || recv[j] > recv[abs]) {
				abs = j
			}
		}
		if abs < 0 {
			best := math.Inf(1)
			for j, o := range after.offs {
				if d := km(base.offs[jb].Loc, o.Loc); d < best {
					best, abs = d, j
				}
			}
		}
		mean := math.NaN()
		if res > 0 {
			mean = minSum / res
		} else {
			mean = 0
		}
		// A point that may receive as many as the audit's absorber
		// certainly does is an absorber the solver may have seen.
		if s, ok := after.index[text(m["absorbed_by"])]; ok && s != abs && recvHi[s] >= recv[abs] {
			abs = s
		}
		x := after.offs[abs]
		capa := float64(x.Staff) * norm(abs)
		c.exact(file, p+"absorbed_by", text(m["absorbed_by"]), x.ID, "the open point that receives most of its residents")
		c.numIn(file, p+"residents", text(m["residents"]), 0, res, resR.lo, resR.hi, "residents whose quickest office it was")
		if meanR.lo > meanR.hi {
			meanR = rng{mean, mean}
		}
		c.numIn(file, p+"mean_minutes", text(m["mean_minutes"]), 2, mean, meanR.lo, meanR.hi, "their travel to the quickest open point")
		c.numIn(file, p+"max_minutes", text(m["max_minutes"]), 2, maxMin, maxMinR.lo, maxMinR.hi, "")
		c.numIn(file, p+"max_km", text(m["max_km"]), 3, maxKm, maxKmLo, maxKmHi, "km to that point")
		if r.in.Demand != nil {
			c.numIn(file, p+"absorber_load_after", text(m["absorber_load_after"]), 1, loadA[abs], loadAR[abs].lo, loadAR[abs].hi, "")
		}
		c.exact(file, p+"absorber_staff_after", text(m["absorber_staff_after"]), strconv.Itoa(x.Staff), "")
		if v, ok := m["absorber_capacity"]; ok {
			c.num(file, p+"absorber_capacity", text(v), 0, capa, "staff × norm")
		}
		why := text(m["why"])
		if why == "" {
			continue
		}
		figures := map[string]float64{"residents": res, "max_minutes": maxMin, "mean_minutes": mean, "max_km": maxKm,
			"load": loadA[abs], "staff": float64(x.Staff), "norm": norm(abs), "capacity": capa}
		used := map[int]bool{} // byte offsets of numbers a pattern checked
		for _, pat := range closureWhy {
			for _, loc := range pat.re.FindAllStringSubmatchIndex(why, -1) {
				s := strings.ReplaceAll(why[loc[2]:loc[3]], ",", "")
				used[loc[2]] = true
				switch pat.key {
				case "max_km":
					c.numIn(file, p+"why: "+pat.key, s, 0, maxKm, maxKmLo, maxKmHi, "a number of the why text")
					continue
				case "load":
					c.numIn(file, p+"why: "+pat.key, s, 0, loadA[abs], loadAR[abs].lo, loadAR[abs].hi, "a number of the why text")
					continue
				case "max_minutes":
					c.numIn(file, p+"why: "+pat.key, s, 0, maxMin, maxMinR.lo, maxMinR.hi, "a number of the why text")
					continue
				case "mean_minutes":
					c.numIn(file, p+"why: "+pat.key, s, 0, mean, meanR.lo, meanR.hi, "a number of the why text")
					continue
				case "residents":
					c.numIn(file, p+"why: "+pat.key, s, 0, res, resR.lo, resR.hi, "a number of the why text")
					continue
				}
				c.num(file, p+"why: "+pat.key, s, 0, figures[pat.key], "a number of the why text")
			}
		}
		for _, loc := range numberRE.FindAllStringIndex(why, -1) {
			if used[loc[0]] || inID(why, loc[0], loc[1]) {
				continue
			}
			s := strings.ReplaceAll(why[loc[0]:loc[1]], ",", "")
			v, err := strconv.ParseFloat(s, 64)
			if err != nil {
				continue
			}
			c.res.Checked++
			hit := false
			for _, f := range figures {
				if math.Abs(v-f) <= tolerance(s, 0, f) {
					hit = true
				}
			}
			for _, f := range []float64{r.rule.Minutes, r.rule.Km} {
				if math.Abs(v-f) <= tolerance(s, 0, f) {
					hit = true
				}
			}
			if !hit {
				c.fail(Mismatch{File: file, Claim: p + "why: a number", Stated: s, Recomputed: "(no figure of this closure)", Note: why})
			}
		}
		if strings.Contains(why, "within the access rule") && !strings.Contains(why, "not within") {
			c.exact(file, p+"why: stays within the access rule", "0 residents beyond the rule",
				fmt.Sprintf("%d residents beyond the rule", beyond), "each of its residents checked on its own")
		}
		if strings.Contains(why, " fits ") || strings.Contains(why, " exceeds ") {
			want := "fits"
			if loadA[abs] > capa {
				want = "exceeds"
			}
			got := "fits"
			if strings.Contains(why, " exceeds ") {
				got = "exceeds"
			}
			c.exact(file, p+"why: fits or exceeds", got, want, "load after the merge against staff × norm")
		}
	}
}

// inID is whether the number at s[k:e] is part of an id or a name (e.g.
// "MC-25741", "grid point 8865b56c0bfffff"), not a figure: a letter, '-'
// or '_' touches it.
func inID(s string, k, e int) bool {
	word := func(b byte) bool { return b == '-' || b == '_' || b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' }
	return k > 0 && word(s[k-1]) || e < len(s) && word(s[e])
}
