package audit

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/onestop/onestop/dossier"
)

var nanValue = math.NaN()

// officeLoad is one open point's dossiers, recomputed by the rule of
// docs/dossiers.md ("Real counts first"): a commune's recorded dossiers stay
// with its own open office while it has one (split between its offices in
// proportion to their recorded counts, a merged office adding those it
// absorbed), otherwise every dossier goes to the office serving the
// commune except the boundary-free ones, which go to the resident's
// quickest open point.
type officeLoad struct {
	total, counter, boundaryFree int64
}

func (r *run) officeLoads(n *network) ([]officeLoad, error) {
	if n.loads != nil {
		return n.loads, nil
	}
	serves, err := n.net.Serves(r.ds)
	if err != nil {
		return nil, err
	}
	if n == r.after && r.in.Assign != nil {
		out, err := r.assignedLoads(n, serves)
		n.loads = out
		return out, err
	}
	out := make([]officeLoad, len(n.offs))
	type pair struct{ total, counter int64 }
	kept := map[string]*pair{} // recorded dossiers of communes keeping an office
	for _, d := range r.in.Demand {
		if d.Total == 0 {
			continue
		}
		i, ok := r.byH3[d.H3]
		if !ok {
			r.c.exact("(demand)", "cell "+d.H3.String(), "has dossiers", "(not a cell of the audit's index)", "")
			continue
		}
		code := r.ds.Communes[r.cells[i].commune].Code
		home, ok := serves[code]
		if !ok {
			return nil, fmt.Errorf("commune %s is served by no office of %s", code, n.net.Name)
		}
		if d.Recorded && n.net.Offices[home].Commune == code {
			k := kept[code]
			if k == nil {
				k = &pair{}
				kept[code] = k
			}
			k.total += d.Total
			k.counter += d.Counter
			continue
		}
		near := home
		if t := n.reach.byTime[i]; len(t) > 0 {
			near = int(t[0])
		} else if d := n.reach.byDist[i]; len(d) > 0 {
			near = int(d[0])
		}
		out[home].total += d.Total - d.BoundaryFree
		out[home].counter += d.Counter - d.BoundaryFreeCounter
		out[near].total += d.BoundaryFree
		out[near].counter += d.BoundaryFreeCounter
		out[near].boundaryFree += d.BoundaryFree
	}
	if len(kept) > 0 {
		recorded := map[string]float64{}
		for _, o := range r.ds.Offices {
			recorded[o.ID] = o.DossiersPerYear
		}
		// Each closed office's final absorber, chains followed.
		next := map[string]string{}
		for _, c := range n.net.Closed {
			next[c.Office.ID] = c.AbsorbedBy
		}
		weight := make([]float64, len(n.offs))
		for j, o := range n.net.Offices {
			weight[j] = recorded[o.ID]
		}
		for _, c := range n.net.Closed {
			id := c.AbsorbedBy
			for range len(n.net.Closed) {
				if _, open := n.index[id]; open {
					break
				}
				id = next[id]
			}
			if j, open := n.index[id]; open && c.Office.Commune == n.net.Offices[j].Commune {
				weight[j] += recorded[c.Office.ID]
			}
		}
		codes := make([]string, 0, len(kept))
		for code := range kept {
			codes = append(codes, code)
		}
		slices.Sort(codes)
		for _, code := range codes {
			var to []int
			var w []float64
			for j, o := range n.net.Offices {
				if o.Commune == code && weight[j] > 0 {
					to, w = append(to, j), append(w, weight[j])
				}
			}
			if len(to) == 0 {
				to, w = []int{serves[code]}, []float64{1}
			}
			k := kept[code]
			tot := splitByWeight(k.total, w)
			cw := make([]float64, len(tot))
			for x, v := range tot {
				cw[x] = float64(v)
			}
			cnt := splitByWeight(k.counter, cw)
			for x, j := range to {
				out[j].total += tot[x]
				out[j].counter += cnt[x]
			}
		}
	}
	n.loads = out
	return out, nil
}

// assignedLoads is each point's dossiers when the plan assigns residents
// (phase 3, docs/dossiers.md): every cell's dossiers in the shares the plan
// sends its residents to each point, a share it leaves unassigned to the
// commune's serving office; each point's sums rounded once.
func (r *run) assignedLoads(n *network, serves map[string]int) ([]officeLoad, error) {
	shares := make(map[int][]PointShare, len(r.in.Assign))
	for _, ca := range r.in.Assign {
		if i, ok := r.byH3[ca.H3]; ok {
			shares[i] = ca.Shares
		}
	}
	var tot, cnt, bf = make([]float64, len(n.offs)), make([]float64, len(n.offs)), make([]float64, len(n.offs))
	for _, d := range r.in.Demand {
		if d.Total == 0 {
			continue
		}
		i, ok := r.byH3[d.H3]
		if !ok {
			r.c.exact("(demand)", "cell "+d.H3.String(), "has dossiers", "(not a cell of the audit's index)", "")
			continue
		}
		add := func(j int, sh float64) {
			tot[j] += sh * float64(d.Total)
			cnt[j] += sh * float64(d.Counter)
			bf[j] += sh * float64(d.BoundaryFree)
		}
		rest := 1.0
		for _, s := range shares[i] {
			if s.Point == "" || s.Share <= 0 {
				continue
			}
			j, ok := n.index[s.Point]
			if !ok {
				return nil, fmt.Errorf("the plan assigns cell %s to %s, which is not an open point", d.H3, s.Point)
			}
			add(j, s.Share)
			rest -= s.Share
		}
		if rest > 1e-9 {
			code := r.ds.Communes[r.cells[i].commune].Code
			home, ok := serves[code]
			if !ok {
				return nil, fmt.Errorf("commune %s is served by no office of %s", code, n.net.Name)
			}
			add(home, rest)
		}
	}
	out := make([]officeLoad, len(n.offs))
	for j := range out {
		t := int64(math.Round(tot[j]))
		out[j] = officeLoad{total: t, counter: min(int64(math.Round(cnt[j])), t), boundaryFree: min(int64(math.Round(bf[j])), t)}
	}
	return out, nil
}

// splitByWeight splits n whole units in proportion to w: floors first,
// the units left to the largest fractional parts, ties to the lower index.
func splitByWeight(n int64, w []float64) []int64 {
	out := make([]int64, len(w))
	var sum float64
	for _, v := range w {
		sum += v
	}
	if sum <= 0 || n == 0 {
		return out
	}
	frac := make([]float64, len(w))
	left := n
	for i, v := range w {
		x := float64(n) * v / sum
		out[i] = int64(math.Floor(x))
		frac[i] = x - math.Floor(x)
		left -= out[i]
	}
	order := make([]int, len(w))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int {
		switch {
		case frac[a] > frac[b]:
			return -1
		case frac[a] < frac[b]:
			return 1
		}
		return 0
	})
	for k := 0; left > 0 && len(order) > 0; k = (k + 1) % len(order) {
		out[order[k]]++
		left--
	}
	return out
}

// loadJSON checks load.json: every office's dossiers, staff, productivity
// against the norm, peak load and Erlang C wait, its flag, and the summary.
func (r *run) loadJSON(file string, b []byte) error {
	doc, err := decodeJSON(b)
	if err != nil {
		return err
	}
	c := r.c
	if r.in.Demand == nil {
		c.skip(file, "offices", "the run passed no per-cell demand")
		return nil
	}
	n := r.after
	loads, err := r.officeLoads(n)
	if err != nil {
		return err
	}
	lm := r.in.Load
	if as := obj(doc["assumptions"]); as != nil {
		c.num(file, "assumptions.service_mean_min", text(as["service_mean_min"]), 0, lm.ServiceMeanMin, "the queue model the audit applied")
		c.num(file, "assumptions.wait_target_min", text(as["wait_target_min"]), 0, lm.WaitTargetMin, "")
		c.num(file, "assumptions.max_occupancy", text(as["max_occupancy"]), 0, lm.MaxOccupancy, "")
	}
	simulated := text(get2(doc, "assumptions", "simulated")) == "true"
	offices := list(doc["offices"])
	c.exact(file, "offices (count)", strconv.Itoa(len(offices)), strconv.Itoa(len(n.offs)), "one per open point")
	// The peak-hour arrival rate is counter dossiers × the calendar's peak
	// factor, the same for every office; it is read off the busiest office
	// (the most printed digits) and checked on all.
	// The factor is known to the precision the busiest office's rate is
	// printed with: every figure derived from it is checked over that range
	// (all increase with the load).
	factor, fLo, fHi, most := nanValue, nanValue, nanValue, -1.0
	for _, v := range offices {
		m := obj(v)
		if cd := num(m["counter_dossiers"]); cd > most {
			t := text(m["peak_per_hour"])
			half := 0.5 * math.Pow10(-max(decimalsOf(t), 4))
			most, factor = cd, num(m["peak_per_hour"])/cd
			fLo, fHi = factor-half/cd, factor+half/cd
		}
	}
	classes := n.net.Classes(r.ds)
	var sum struct {
		dossiers, counter   int64
		staff               int
		overloaded, under   int
		maxUtil             float64
		waitSum, waitWeight float64
	}
	for k, v := range offices {
		m := obj(v)
		id := text(m["office"])
		p := fmt.Sprintf("offices[%d %s].", k, id)
		j, ok := n.index[id]
		if !ok {
			c.exact(file, p+"office", id, "(not an open point)", "")
			continue
		}
		o, l := n.offs[j], loads[j]
		c.exact(file, p+"dossiers", text(m["dossiers"]), strconv.FormatInt(l.total, 10), "its communes' dossiers, boundary-free ones at the quickest point")
		c.exact(file, p+"counter_dossiers", text(m["counter_dossiers"]), strconv.FormatInt(l.counter, 10), "")
		if v, ok := m["boundary_free"]; ok {
			c.exact(file, p+"boundary_free", text(v), strconv.FormatInt(l.boundaryFree, 10), "")
		}
		staff := o.Staff
		if text(m["staff_estimated"]) == "true" {
			c.skip(file, p+"staff", "estimated by the load check (the network has none)")
			staff, _ = strconv.Atoi(text(m["staff"]))
		} else {
			c.exact(file, p+"staff", text(m["staff"]), strconv.Itoa(o.Staff), "the final network's staff")
		}
		norm := lm.Norm(classes[j])
		c.num(file, p+"norm", text(m["norm"]), 0, norm, "the class's productivity norm")
		perStaff := nanValue
		if staff > 0 {
			perStaff = float64(l.total) / float64(staff)
			c.num(file, p+"per_staff", text(m["per_staff"]), 4, perStaff, "dossiers ÷ staff")
		}
		if v, ok := m["productivity_vs_norm"]; ok {
			c.num(file, p+"productivity_vs_norm", text(v), 4, perStaff/norm, "dossiers per staff ÷ norm")
		}
		servers := staff
		if o.Counters > 0 {
			servers = min(staff, o.Counters)
		}
		if v, ok := m["counters"]; ok {
			c.exact(file, p+"counters", text(v), strconv.Itoa(max(0, o.Counters)), "")
		}
		if v, ok := m["servers"]; ok {
			c.exact(file, p+"servers", text(v), strconv.Itoa(servers), "staff, at most one per counter")
		}
		cd := float64(l.counter)
		peak := cd * factor
		c.numIn(file, p+"peak_per_hour", text(m["peak_per_hour"]), 4, peak, cd*fLo, cd*fHi, "counter dossiers × the peak-hour factor")
		erl := func(f float64) float64 { return cd * f / 60 * lm.ServiceMeanMin }
		a, aLo, aHi := erl(factor), erl(fLo), erl(fHi)
		c.numIn(file, p+"load_erlangs", text(m["load_erlangs"]), 4, a, aLo, aHi, "peak arrivals × service time")
		occ := func(a float64) float64 {
			if a > 0 {
				return a / float64(servers)
			}
			return 0
		}
		util := occ(a)
		for _, key := range []string{"utilisation", "peak_occupancy"} {
			if v, ok := m[key]; ok {
				c.numIn(file, p+key, text(v), 4, util, occ(aLo), occ(aHi), "offered load ÷ servers at the peak hour")
			}
		}
		pwait := func(a float64) float64 {
			if a == 0 {
				return 0
			}
			return dossier.ErlangC(servers, a)
		}
		c.numIn(file, p+"p_wait", text(m["p_wait"]), 4, pwait(a), pwait(aLo), pwait(aHi), "Erlang C")
		waitAt := func(a float64) float64 { return dossier.ErlangWait(servers, a, lm.ServiceMeanMin) }
		wq := waitAt(a)
		if v, ok := m["wait_min"]; ok && !math.IsInf(waitAt(aHi), 1) {
			c.numIn(file, p+"wait_min", text(v), 4, wq, waitAt(aLo), waitAt(aHi), "Erlang C mean wait at the peak hour")
		}
		ms := func(a float64) int {
			return dossier.MinServers(a, lm.ServiceMeanMin, lm.WaitTargetMin, lm.MaxOccupancy)
		}
		qmin := ms(a)
		if v, ok := m["queue_min"]; ok {
			if s := text(v); s == strconv.Itoa(ms(aLo)) || s == strconv.Itoa(ms(aHi)) {
				qmin, _ = strconv.Atoi(s)
			}
			c.exact(file, p+"queue_min", text(v), strconv.Itoa(qmin), "queue minimum at the peak hour")
		}
		std := int(float64(l.total) / norm)
		if v, ok := m["staff_standard"]; ok {
			c.exact(file, p+"staff_standard", text(v), strconv.Itoa(std), "⌊dossiers ÷ norm⌋")
		}
		if v, ok := m["flags"]; ok {
			var got, want []string
			for _, f := range list(v) {
				got = append(got, text(f))
			}
			wq := waitAt(a)
			for _, f := range []struct {
				on   bool
				name string
			}{{(servers == 0 && l.counter > 0) || wq > lm.WaitTargetMin, "overloaded"}, {staff < qmin, "short"},
				{qmin > std, "inefficient"}, {staff > 0 && float64(l.total)/float64(staff) < norm, "underused"}} {
				if f.on {
					want = append(want, f.name)
				}
			}
			c.exact(file, p+"flags", strings.Join(got, " "), strings.Join(want, " "), "overloaded, short, inefficient, underused (docs/dossiers.md)")
		}
		wait := wq
		if simulated {
			wait = num(m["wait_sim_mean_min"]) // the simulation is not re-run; its figure is taken as stated
			if n := num(m["sim_arrivals"]); n > 0 {
				sum.waitSum += wait * n
				sum.waitWeight += n
			}
		} else if l.counter > 0 {
			sum.waitSum += wq * float64(l.counter)
			sum.waitWeight += float64(l.counter)
		}
		flag := "ok"
		// overloaded: the peak-hour wait (Erlang C) breaches the target,
		// the one ceiling; occupancy alone never overloads an office.
		over := (servers == 0 && l.counter > 0) || wq > lm.WaitTargetMin
		switch {
		case over:
			flag = "overloaded"
			sum.overloaded++
		case staff > 0 && perStaff < norm:
			flag = "underused"
			sum.under++
		}
		if v, ok := m["flag"]; ok {
			c.exact(file, p+"flag", text(v), flag, "overloaded: wait above the target; underused: dossiers per staff below the norm")
		}
		sum.dossiers += l.total
		sum.counter += l.counter
		sum.staff += staff
		sum.maxUtil = math.Max(sum.maxUtil, util)
	}
	c.skip(file, "offices[].staff_after, servers_after, utilisation_after, wait_erlang_after_min, counters_needed, wait_sim_*", "the staff rebalancing and the simulation are proposals of the load check, not properties of the network; their totals are checked against the offices")
	s := obj(doc["summary"])
	if s == nil {
		return nil
	}
	c.exact(file, "summary.offices", text(s["offices"]), strconv.Itoa(len(n.offs)), "")
	c.exact(file, "summary.dossiers", text(s["dossiers"]), strconv.FormatInt(sum.dossiers, 10), "")
	c.exact(file, "summary.counter_dossiers", text(s["counter_dossiers"]), strconv.FormatInt(sum.counter, 10), "")
	c.exact(file, "summary.staff_available", text(s["staff_available"]), strconv.Itoa(sum.staff), "")
	c.exact(file, "summary.offices_overloaded", text(s["offices_overloaded"]), strconv.Itoa(sum.overloaded), "")
	c.exact(file, "summary.offices_underused", text(s["offices_underused"]), strconv.Itoa(sum.under), "")
	for _, key := range []string{"max_utilisation", "max_peak_occupancy"} {
		if v, ok := s[key]; ok {
			c.num(file, "summary."+key, text(v), 4, sum.maxUtil, "")
		}
	}
	if sum.waitWeight > 0 {
		mean, slack := sum.waitSum/sum.waitWeight, 0.0
		if simulated {
			// Built from the offices' simulated waits as load.json prints
			// them, each to ±0.00005: so is their weighted mean.
			slack = 0.5e-4
		}
		c.numIn(file, "summary.mean_wait_min", text(s["mean_wait_min"]), 4, mean, mean-slack, mean+slack, "weighted by arrivals")
	}
	if v, ok := s["counters_needed"]; ok {
		t := 0
		for _, o := range offices {
			x, _ := strconv.Atoi(text(obj(o)["counters_needed"]))
			t += x
		}
		c.exact(file, "summary.counters_needed", text(v), strconv.Itoa(t), "Σ offices' counters_needed")
	}
	r.rebalanceClaims(file, offices, s, sum.staff)
	return nil
}

// rebalanceClaims checks what the staff rebalancing must keep whatever it
// proposes: no office above the premises caps (staff_after within
// max_staff_per_point, servers_after within max_counters_per_point), and
// no staff member lost or invented (Σ staff_after + staff_unplaced =
// staff_available).
func (r *run) rebalanceClaims(file string, offices []any, s jsonDoc, staff int) {
	c := r.c
	caps := r.in.Caps
	after := 0
	for k, o := range offices {
		m := obj(o)
		id := text(m["office"])
		sa, err := strconv.Atoi(text(m["staff_after"]))
		if err != nil {
			continue // a load.json without the rebalancing
		}
		after += sa
		for _, x := range []struct {
			key string
			cap int
			cfg string
		}{{"staff_after", caps.MaxStaffPerPoint, "max_staff_per_point"}, {"servers_after", caps.MaxCountersPerPoint, "max_counters_per_point"}} {
			if x.cap <= 0 {
				continue
			}
			v, _ := strconv.Atoi(text(m[x.key]))
			if v > x.cap {
				c.exact(file, fmt.Sprintf("offices[%d %s].%s within %s", k, id, x.key, x.cfg), text(m[x.key]), "≤ "+strconv.Itoa(x.cap), "the premises are a hard limit of the rebalancing too")
			} else {
				c.res.Checked++
			}
		}
	}
	if v, ok := s["staff_unplaced"]; ok {
		u, _ := strconv.Atoi(text(v))
		c.exact(file, "Σ offices' staff_after + summary.staff_unplaced", strconv.Itoa(after+u), strconv.Itoa(staff), "staff_available: the rebalancing moves staff, it loses or invents none")
	}
}

func get2(doc jsonDoc, a, b string) any {
	v, _ := get(doc, a, b)
	return v
}
