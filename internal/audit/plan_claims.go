package audit

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/onestop/onestop/dossier"
	"github.com/paulmach/orb"
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

	// Per point: residents (the plan's assignment), dossiers (the load
	// check's routing, one load per point), staff and the two targets.
	classes := after.net.Classes(r.ds)
	norm := func(j int) float64 {
		if r.in.Load.Norm == nil {
			return math.NaN()
		}
		return r.in.Load.Norm(classes[j])
	}
	as, err := r.assigned(context.Background(), after, aa, unserved)
	if err != nil {
		return err
	}
	nb, na := len(base.offs), len(after.offs)
	loadB := make([]float64, nb)
	loadBR := make([]rng, nb)
	resA := make([]float64, na)
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
	var assignedMin, beyondCov, beyondUncov float64
	for i, cl := range r.cells {
		spread(ab, i, dos[i], loadB, loadBR)
		if cl.pop <= 0 {
			continue
		}
		w := float64(cl.pop)
		for _, s := range as.cells[i] {
			assignedMin += w * s.share * s.minutes
			if !s.ok {
				if r.covered(after, i) {
					beyondCov += w * s.share
				} else {
					beyondUncov += w * s.share
				}
			}
			if s.j < 0 {
				continue
			}
			resA[s.j] += w * s.share
			if servesA[s.j] == nil {
				servesA[s.j] = map[string]float64{}
			}
			servesA[s.j][r.ds.Communes[cl.commune].Code] += w * s.share
		}
	}
	if v, ok := doc["mean_minutes_assigned"]; ok && as.given {
		c.num(file, "mean_minutes_assigned", text(v), 3, share(assignedMin, tot.pop), "travel to the assigned point")
	}
	if v, ok := doc["residents_beyond_rule"]; ok {
		unc := num(doc["uncoverable_population"])
		if math.IsNaN(unc) {
			unc = 0
		}
		lo := beyondCov + math.Max(0, beyondUncov-unc)
		c.numIn(file, "residents_beyond_rule", text(v), 0, lo, lo-0.5, beyondCov+beyondUncov+0.5, "residents assigned to a point that does not meet the rule for them (uncoverable ones apart)")
	}
	var loads []officeLoad
	if !haveDemand {
		c.skip(file, "loads, staff_standard, queue_min, flags, staff_needed, staff_justified", "the run passed no per-cell demand")
	}
	if haveDemand {
		if loads, err = r.officeLoads(after); err != nil {
			return err
		}
	}
	// The queue model's peak factor, from load.json (the run's other
	// file): premises capacity and queue minimum need it.
	var lf struct {
		f, lo, hi float64
		ok        bool
		qmin      map[string]string
	}
	if lb, err := os.ReadFile(filepath.Join(r.in.Dir, "load.json")); err == nil {
		if ld, err := decodeJSON(lb); err == nil {
			offs := list(ld["offices"])
			lf.f, lf.lo, lf.hi, lf.ok = peakFactor(offs)
			lf.qmin = map[string]string{}
			for _, o := range offs {
				m := obj(o)
				lf.qmin[text(m["office"])] = text(m["queue_min"])
			}
		}
	}
	caps := r.in.Caps
	servers := 0
	for _, v := range []int{caps.MaxStaffPerPoint, caps.MaxCountersPerPoint} {
		if v > 0 && (servers == 0 || v < servers) {
			servers = v
		}
	}
	lm := r.in.Load
	perDossier := func(f float64) float64 { return f / 60 * lm.ServiceMeanMin } // erlangs per yearly counter dossier
	capKnown := servers == 0 || lf.ok
	// capOf is a premises capacity (counter dossiers a year) for s
	// counters, computed once per s.
	capBy := map[int]rng{}
	capOf := func(s int) rng {
		if s == 0 || !lf.ok {
			return rng{}
		}
		if x, ok := capBy[s]; ok {
			return x
		}
		// A whole number of dossiers, as the pipeline states and
		// constrains it (pipeline.premisesCapacity): ⌊the inverted
		// Erlang C⌋, so a rounded load within it never needs more
		// counters than the premises hold. ⌊⌋ is monotone: the range
		// stays a range.
		a := erlangCapacity(s, lm)
		x := rng{math.Floor(a / perDossier(lf.hi)), math.Floor(a / perDossier(lf.lo))}
		capBy[s] = x
		return x
	}
	// capAt is point id's premises: min of the caps, and with
	// counters_fixed an existing office's own counters when fewer.
	capAt := func(id string) (rng, int) {
		s := servers
		if jb, ok := base.index[id]; ok && caps.CountersFixed && s > 0 {
			if k := base.offs[jb].Counters; k > 0 && k < s {
				s = k
			}
		}
		return capOf(s), s
	}
	if !capKnown {
		c.skip(file, "kept[].capacity, new_points[].capacity, closed[].absorber_capacity and their why, queue_min", "no load.json beside the plan (onestop optimize): the peak-hour factor the premises capacity and the queue minimum need is unknown")
	}
	checkCap := func(claim, stated, id string) {
		if !capKnown {
			return
		}
		capR, _ := capAt(id)
		c.numIn(file, claim, stated, 0, (capR.lo+capR.hi)/2, capR.lo, capR.hi, "counter dossiers a year min(max_counters_per_point, max_staff_per_point) counters serve within the wait target")
	}
	// Staffing of point j with staff: the two targets and the flags.
	var needed, justified int
	staffing := func(p string, m map[string]any, j, staff int, id string) {
		if !haveDemand {
			return
		}
		l := loads[j]
		std := int(float64(l.total) / norm(j))
		c.exact(file, p+"staff_standard", text(m["staff_standard"]), strconv.Itoa(std), "⌊dossiers ÷ norm⌋, the load check's dossiers")
		q, _ := strconv.Atoi(text(m["queue_min"]))
		if want, ok := lf.qmin[id]; ok {
			c.exact(file, p+"queue_min", text(m["queue_min"]), want, "load.json's queue minimum of the same point (checked there)")
		} else if lf.ok {
			ms := func(f float64) int {
				return dossier.MinServers(float64(l.counter)*perDossier(f), lm.ServiceMeanMin, lm.WaitTargetMin, lm.MaxOccupancy)
			}
			want := ms(lf.f)
			if q == ms(lf.lo) || q == ms(lf.hi) {
				want = q
			}
			c.exact(file, p+"queue_min", text(m["queue_min"]), strconv.Itoa(want), "queue minimum at the peak hour")
		}
		capR, servers := capAt(id)
		if capKnown && servers > 0 && float64(l.counter) <= capR.lo {
			// A load within the stated capacity needs no more counters
			// than the premises hold: the capacity is what they serve.
			c.exact(file, p+"queue_min within the premises", strconv.FormatBool(q <= servers), "true",
				fmt.Sprintf("%d counter dossiers within the capacity need at most min(max_counters_per_point, max_staff_per_point) = %d counters", l.counter, servers))
		}
		c.exact(file, p+"inefficient", text(m["inefficient"]), strconv.FormatBool(q > std), "queue_min > staff_standard")
		c.exact(file, p+"underused", text(m["underused"]), strconv.FormatBool(staff > max(q, std)), "staff above max(queue_min, staff_standard)")
		c.exact(file, p+"short", text(m["short"]), strconv.FormatBool(staff < q), "staff below queue_min")
		needed += q
		justified += max(q, std)
	}
	staffBase := 0
	for _, o := range base.offs {
		staffBase += o.Staff
	}
	staffAfter := 0
	for _, o := range after.offs {
		staffAfter += o.Staff
	}
	if _, ok := doc["staff_total"]; ok {
		c.exact(file, "staff_total", text(doc["staff_total"]), strconv.Itoa(staffBase), "staff of the network before")
		c.exact(file, "staff_available", text(doc["staff_available"]), strconv.Itoa(staffAfter), "staff at the final network's points (load.json's staff_available)")
		red := 0
		for _, v := range list(doc["staff_to_redeploy"]) {
			n, _ := strconv.Atoi(text(obj(v)["staff"]))
			red += n
		}
		c.exact(file, "staff_to_redeploy_total", text(doc["staff_to_redeploy_total"]), strconv.Itoa(red), "Σ staff_to_redeploy")
		c.exact(file, "staff_total − staff_to_redeploy_total", strconv.Itoa(staffBase-red), strconv.Itoa(staffAfter), "no staff member lost or invented")
	} else {
		c.exact(file, "staff_available", text(doc["staff_available"]), strconv.Itoa(staffBase), "staff of the network before")
	}
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
			c.num(file, p+"load_after", text(m["load_after"]), 1, float64(loads[ja].total), "the load check's dossiers of the point (load.json)")
			if v, ok := m["counter_load_after"]; ok {
				c.num(file, p+"counter_load_after", text(v), 1, float64(loads[ja].counter), "the load check's counter dossiers")
			}
		}
		if v, ok := m["capacity"]; ok {
			checkCap(p+"capacity", text(v), id)
		}
		staffing(p, m, ja, after.offs[ja].Staff, id)
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
		c.num(file, p+"residents", text(m["residents"]), 1, resA[ja], "residents the plan assigns to it")
		if haveDemand {
			c.num(file, p+"load", text(m["load"]), 1, float64(loads[ja].total), "the load check's dossiers of the point (load.json)")
			if v, ok := m["counter_load"]; ok {
				c.num(file, p+"counter_load", text(v), 1, float64(loads[ja].counter), "the load check's counter dossiers")
			}
		}
		c.exact(file, p+"staff", text(m["staff"]), strconv.Itoa(after.offs[ja].Staff), "the final network's staff")
		if v, ok := m["capacity"]; ok {
			checkCap(p+"capacity", text(v), id)
		}
		staffing(p, m, ja, after.offs[ja].Staff, id)
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
	if haveDemand {
		if _, ok := doc["staff_justified"]; ok {
			c.exact(file, "staff_needed", text(doc["staff_needed"]), strconv.Itoa(needed), "Σ queue_min over the open points")
			c.exact(file, "staff_justified", text(doc["staff_justified"]), strconv.Itoa(justified), "Σ max(queue_min, staff_standard)")
		}
	}
	r.closures(file, doc, ab, as, loads, func(id string) rng { x, _ := capAt(id); return x }, capKnown)
	for _, o := range after.offs {
		// Checked on the final network, whatever the plan states.
		if caps.MaxStaffPerPoint > 0 {
			if o.Staff > caps.MaxStaffPerPoint {
				c.exact(file, fmt.Sprintf("points[%s].staff within max_staff_per_point", o.ID), strconv.Itoa(o.Staff), "≤ "+strconv.Itoa(caps.MaxStaffPerPoint), "the cap is a hard constraint")
			} else {
				c.res.Checked++
			}
		}
		if caps.MaxCountersPerPoint > 0 {
			if o.Counters > caps.MaxCountersPerPoint {
				c.exact(file, fmt.Sprintf("points[%s].counters within max_counters_per_point", o.ID), strconv.Itoa(o.Counters), "≤ "+strconv.Itoa(caps.MaxCountersPerPoint), "the cap is a hard constraint")
			} else {
				c.res.Checked++
			}
		}
	}
	return nil
}

// erlangCapacity is the largest offered load (erlangs at the peak hour)
// that servers counters carry within the wait target and the occupancy
// threshold: the queue model's MinServers, inverted by bisection.
func erlangCapacity(servers int, lm LoadModel) float64 {
	fits := func(a float64) bool {
		return dossier.MinServers(a, lm.ServiceMeanMin, lm.WaitTargetMin, lm.MaxOccupancy) <= servers
	}
	lo, hi := 0.0, float64(servers)+1
	for k := 0; k < 200 && hi-lo > 1e-12*max(1, lo); k++ {
		mid := lo + (hi-lo)/2
		if fits(mid) {
			lo = mid
		} else {
			hi = mid
		}
	}
	return lo
}

// closureWhy are the figures a closure's "why" states, by the words around
// them (optimize.Closed.Explain); a number no pattern names must still
// equal one of the closure's recomputed figures.
var closureWhy = []struct {
	re  *regexp.Regexp
	key string
}{
	{regexp.MustCompile(`its ([0-9]+) residents`), "residents"},
	{regexp.MustCompile(`\(([0-9]+) of them\)`), "absorbed_residents"},
	{regexp.MustCompile(`and ([0-9]+) other open point`), "other_points"},
	{regexp.MustCompile(`, ([0-9]+) of them to no open point`), "unserved"},
	{regexp.MustCompile(`mean ([0-9][0-9.]*) min`), "mean_minutes"},
	{regexp.MustCompile(`at most ([0-9][0-9.]*) min`), "max_minutes"},
	{regexp.MustCompile(`or ([0-9][0-9.]*) km`), "max_km"},
	{regexp.MustCompile(`([0-9]+) beyond the access rule`), "beyond_rule"},
	{regexp.MustCompile(`receives ([0-9]+) dossiers/year`), "load"},
	{regexp.MustCompile(`\(([0-9]+) at the counter\)`), "counter_load"},
	{regexp.MustCompile(`with ([0-9]+) staff`), "staff"},
	{regexp.MustCompile(`capacity of ([0-9]+) counter`), "capacity"},
}

var numberRE = regexp.MustCompile(`[0-9][0-9.,]*[0-9]|[0-9]`)

// closures checks every closed office: its residents (whose quickest office
// it was), where the plan assigns them and their travel there, the
// absorber's load, staff and premises, and every number and claim of its
// "why".
func (r *run) closures(file string, doc jsonDoc, ab assignment, as *assigned, loads []officeLoad, capAt func(id string) rng, capKnown bool) {
	c := r.c
	base, after := r.base, r.after
	unserved := num(doc["unserved_minutes"])
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
		// Over the cells certainly the office's (lo) and those that may
		// have been (hi: the solver's float32 ties).
		type fig struct {
			res, minSum, maxMin, maxKm, beyond, unserved float64
			to                                           map[int]float64
		}
		var sure, all fig
		sure.to, all.to = map[int]float64{}, map[int]float64{}
		for i, cl := range r.cells {
			if cl.pop <= 0 || !ab.may(i, jb) {
				continue
			}
			w := float64(cl.pop)
			figs := []*fig{&all}
			if ab.sure(i) {
				figs = append(figs, &sure)
			}
			for _, f := range figs {
				f.res += w
				for _, s := range as.cells[i] {
					f.minSum += w * s.share * s.minutes
					if !s.ok {
						f.beyond += w * s.share
					}
					if s.j < 0 {
						f.unserved += w * s.share
						f.maxMin = math.Max(f.maxMin, unserved)
						continue
					}
					f.to[s.j] += w * s.share
					f.maxMin = math.Max(f.maxMin, s.minutes)
					f.maxKm = math.Max(f.maxKm, s.km)
				}
			}
		}
		rg := func(get func(f fig) float64) (float64, float64, float64) {
			a, b := get(sure), get(all)
			return a, math.Min(a, b), math.Max(a, b)
		}
		mean := func(f fig) float64 {
			if f.res == 0 {
				return 0
			}
			return f.minSum / f.res
		}
		// The absorber: the point receiving most of its residents (ties:
		// the stated one if it may); without residents, the nearest.
		abs := -1
		for j := range after.offs {
			if all.to[j] > 0 && (abs < 0 || all.to[j] > all.to[abs]) {
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
		if s, ok := after.index[text(m["absorbed_by"])]; ok && s != abs && all.to[s] >= sure.to[abs] && sure.to[s] >= math.Min(sure.to[abs], all.to[abs])-0.5 {
			abs = s
		}
		x := after.offs[abs]
		others := func(f fig) float64 {
			n := 0
			for j, v := range f.to {
				if j != abs && v > 0 {
					n++
				}
			}
			return float64(n)
		}
		figures := map[string][3]float64{}
		put := func(key string, get func(f fig) float64) {
			a, lo, hi := rg(get)
			figures[key] = [3]float64{a, lo, hi}
		}
		put("residents", func(f fig) float64 { return f.res })
		put("absorbed_residents", func(f fig) float64 { return f.to[abs] })
		put("other_points", others)
		put("unserved", func(f fig) float64 { return f.unserved })
		put("mean_minutes", mean)
		put("max_minutes", func(f fig) float64 { return f.maxMin })
		put("max_km", func(f fig) float64 { return f.maxKm })
		put("beyond_rule", func(f fig) float64 { return f.beyond })
		if loads != nil {
			l := loads[abs]
			figures["load"] = [3]float64{float64(l.total), float64(l.total), float64(l.total)}
			figures["counter_load"] = [3]float64{float64(l.counter), float64(l.counter), float64(l.counter)}
		}
		figures["staff"] = [3]float64{float64(x.Staff), float64(x.Staff), float64(x.Staff)}
		capR := capAt(after.offs[abs].ID)
		if capKnown {
			figures["capacity"] = [3]float64{(capR.lo + capR.hi) / 2, capR.lo, capR.hi}
		}
		chk := func(claim, key, stated string, digits int, note string) {
			f, ok := figures[key]
			if !ok {
				return // skipped once above (capacity) or without demand (loads)
			}
			// Whole counts are stated rounded; the range takes ±0.5.
			c.numIn(file, p+claim, stated, digits, f[0], f[1], f[2], note)
		}
		c.exact(file, p+"absorbed_by", text(m["absorbed_by"]), x.ID, "the open point the plan assigns most of its residents")
		chk("residents", "residents", text(m["residents"]), 0, "residents whose quickest office it was")
		chk("absorbed_residents", "absorbed_residents", text(m["absorbed_residents"]), 0, "of them, assigned to the absorber")
		chk("other_points", "other_points", text(m["other_points"]), 0, "other open points receiving some")
		if v, ok := m["unserved"]; ok {
			chk("unserved", "unserved", text(v), 0, "")
		}
		chk("mean_minutes", "mean_minutes", text(m["mean_minutes"]), 1, "their travel to the assigned point")
		chk("max_minutes", "max_minutes", text(m["max_minutes"]), 1, "")
		chk("max_km", "max_km", text(m["max_km"]), 2, "km to the assigned point")
		chk("beyond_rule", "beyond_rule", text(m["beyond_rule"]), 0, "assigned to a point that does not meet the rule for them")
		chk("absorber_load_after", "load", text(m["absorber_load_after"]), 0, "the load check's dossiers of the absorber")
		chk("absorber_counter_load_after", "counter_load", text(m["absorber_counter_load_after"]), 0, "")
		c.exact(file, p+"absorber_staff_after", text(m["absorber_staff_after"]), strconv.Itoa(x.Staff), "")
		chk("absorber_capacity", "capacity", text(m["absorber_capacity"]), 0, "premises capacity")
		why := text(m["why"])
		if why == "" {
			continue
		}
		used := map[int]bool{} // byte offsets of numbers a pattern checked
		for _, pat := range closureWhy {
			for _, loc := range pat.re.FindAllStringSubmatchIndex(why, -1) {
				used[loc[2]] = true
				chk("why: "+pat.key, pat.key, why[loc[2]:loc[3]], 0, "a number of the why text")
			}
		}
		for _, loc := range numberRE.FindAllStringIndex(why, -1) {
			if used[loc[0]] || inID(why, loc[0], loc[1]) {
				continue
			}
			// An office id made of digits (2025 commune codes) names a
			// point; it is no figure.
			if w := why[loc[0]:loc[1]]; isOfficeID(base, w) || isOfficeID(after, w) {
				continue
			}
			c.fail(Mismatch{File: file, Claim: p + "why: a number", Stated: why[loc[0]:loc[1]], Recomputed: "(no figure of this closure)", Note: why})
		}
		beyond := figures["beyond_rule"]
		if strings.Contains(why, "within the access rule") && !strings.Contains(why, "beyond the access rule") {
			c.exact(file, p+"why: every one within the access rule", "0 residents beyond the rule",
				fmt.Sprintf("%.0f residents beyond the rule", beyond[2]), "each of its residents checked at the point the plan assigns")
		}
		if loads != nil && capKnown && capR.hi > 0 && (strings.Contains(why, "within its premises") || strings.Contains(why, "above its premises")) {
			cl := float64(loads[abs].counter)
			got := "within"
			if strings.Contains(why, "above its premises") {
				got = "above"
			}
			want := got
			// Whole dossiers against a whole capacity: no rounding
			// margin; only the peak factor's range is uncertain.
			if cl > capR.hi {
				want = "above"
			} else if cl <= capR.lo {
				want = "within"
			}
			c.exact(file, p+"why: within or above its premises' capacity", got, want, "the absorber's counter dossiers against its premises' capacity")
		}
	}
}

// isOfficeID is whether s is the id of an office of n.
func isOfficeID(n *network, s string) bool {
	_, ok := n.index[s]
	return ok
}

// inID is whether the number at s[k:e] is part of an id or a name (e.g.
// "MC-25741", "grid point 8865b56c0bfffff"), not a figure: a letter, '-'
// or '_' touches it.
func inID(s string, k, e int) bool {
	word := func(b byte) bool { return b == '-' || b == '_' || b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' }
	return k > 0 && word(s[k-1]) || e < len(s) && word(s[e])
}
