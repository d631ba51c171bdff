package audit

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	h3 "github.com/uber/h3-go/v4"
)

// aggregate is the coverage of a group of cells (docs/coverage.md,
// "Aggregates"), recomputed.
type aggregate struct {
	cells                                    int
	pop, covered, unreachable                int64
	coveredPct, withinTimePct, withinDistPct float64
	minutes, km                              dist
}

func (r *run) aggregate(n *network, keep func(i int) bool) aggregate {
	var a aggregate
	var inTime, inDist int64
	var ms, ks []wv
	for i, c := range r.cells {
		if !keep(i) {
			continue
		}
		a.cells++
		a.pop += c.pop
		if r.covered(n, i) {
			a.covered += c.pop
		}
		if r.timeOK(n, i) {
			inTime += c.pop
		}
		if r.distOK(n, i) {
			inDist += c.pop
		}
		if math.IsNaN(n.reach.minutes[i]) {
			a.unreachable += c.pop
		}
		ms = append(ms, wv{n.reach.minutes[i], c.pop})
		ks = append(ks, wv{n.reach.km[i], c.pop})
	}
	pct := func(x int64) float64 {
		if a.pop == 0 {
			return math.NaN()
		}
		return 100 * float64(x) / float64(a.pop)
	}
	a.coveredPct, a.withinTimePct, a.withinDistPct = pct(a.covered), pct(inTime), pct(inDist)
	a.minutes, a.km = distOf(ms), distOf(ks)
	return a
}

// checkAggregate compares a JSON aggregate block (coverage summary.json,
// a district of it) with a recomputed one. digits is the rounding of its
// writer for percentages and minutes/km (0: the printed decimals alone).
func (r *run) checkAggregate(file, path string, m map[string]any, a aggregate, pctDigits, distDigits int) {
	c := r.c
	ints := []struct {
		key string
		v   int64
	}{{"population", a.pop}, {"covered_population", a.covered}, {"uncovered_population", a.pop - a.covered},
		{"unreachable_population", a.unreachable}, {"cells", int64(a.cells)}}
	for _, x := range ints {
		if v, ok := m[x.key]; ok {
			c.exact(file, path+x.key, text(v), strconv.FormatInt(x.v, 10), "")
		}
	}
	pcts := []struct {
		key string
		v   float64
	}{{"covered_pct", a.coveredPct}, {"within_time_pct", a.withinTimePct}, {"within_distance_pct", a.withinDistPct}}
	for _, x := range pcts {
		if v, ok := m[x.key]; ok {
			c.num(file, path+x.key, text(v), pctDigits, x.v, "")
		}
	}
	for _, d := range []struct {
		key string
		v   dist
	}{{"minutes", a.minutes}, {"km", a.km}} {
		blk := obj(m[d.key])
		if blk == nil {
			continue
		}
		for _, s := range []struct {
			key string
			v   float64
		}{{"mean", d.v.mean}, {"p50", d.v.p50}, {"p95", d.v.p95}, {"max", d.v.max}} {
			if v, ok := blk[s.key]; ok {
				c.num(file, path+d.key+"."+s.key, text(v), distDigits, s.v, "")
			}
		}
	}
}

// coverageSummary checks a coverage summary.json: the province aggregate,
// every district's, the office count and the rule.
func (r *run) coverageSummary(file string, b []byte, n *network) error {
	doc, err := decodeJSON(b)
	if err != nil {
		return err
	}
	r.checkAggregate(file, "", doc, r.aggregate(n, func(int) bool { return true }), 0, 0)
	if v, ok := doc["offices"]; ok {
		r.c.exact(file, "offices", text(v), strconv.Itoa(len(n.offs)), "")
	}
	if v, ok := doc["unreachable_cells"]; ok {
		k := 0
		for i := range r.cells {
			if math.IsNaN(n.reach.minutes[i]) {
				k++
			}
		}
		r.c.exact(file, "unreachable_cells", text(v), strconv.Itoa(k), "")
	}
	if rule := obj(doc["rule"]); rule != nil {
		r.c.num(file, "rule.minutes", text(rule["minutes"]), 0, r.rule.Minutes, "the rule the audit applied")
		r.c.num(file, "rule.km", text(rule["km"]), 0, r.rule.Km, "the rule the audit applied")
	}
	for k, d := range list(doc["districts"]) {
		dm := obj(d)
		code := text(dm["code"])
		in := map[int]bool{}
		for ci, cm := range r.ds.Communes {
			if cm.District == code {
				in[ci] = true
			}
		}
		r.checkAggregate(file, fmt.Sprintf("districts[%d %s].", k, code), dm,
			r.aggregate(n, func(i int) bool { return in[r.cells[i].commune] }), 0, 0)
	}
	return nil
}

// communesGeoJSON checks every commune's aggregate in communes.geojson.
func (r *run) communesGeoJSON(file string, b []byte, n *network) error {
	doc, err := decodeJSON(b)
	if err != nil {
		return err
	}
	byCode := map[string][]int{}
	for i, c := range r.cells {
		code := r.ds.Communes[c.commune].Code
		byCode[code] = append(byCode[code], i)
	}
	for k, f := range list(doc["features"]) {
		pr := obj(obj(f)["properties"])
		code := text(pr["code"])
		in := map[int]bool{}
		for _, i := range byCode[code] {
			in[i] = true
		}
		r.checkAggregate(file, fmt.Sprintf("features[%d %s].", k, code), pr, r.aggregate(n, func(i int) bool { return in[i] }), 0, 0)
	}
	return nil
}

// officesGeoJSON checks each office's place, staff and counters against
// the network audited.
func (r *run) officesGeoJSON(file string, b []byte, n *network) error {
	doc, err := decodeJSON(b)
	if err != nil {
		return err
	}
	feats := list(doc["features"])
	r.c.exact(file, "features (count)", strconv.Itoa(len(feats)), strconv.Itoa(len(n.offs)), "one per open point")
	for k, f := range feats {
		pr := obj(obj(f)["properties"])
		id := text(pr["id"])
		p := fmt.Sprintf("features[%d %s].", k, id)
		j, ok := n.index[id]
		if !ok {
			r.c.exact(file, p+"id", id, "(not an open point)", "")
			continue
		}
		o := n.offs[j]
		r.c.exact(file, p+"staff", text(pr["staff"]), strconv.Itoa(o.Staff), "")
		r.c.exact(file, p+"counters", text(pr["counters"]), strconv.Itoa(o.Counters), "")
		if xy := list(obj(obj(f)["geometry"])["coordinates"]); len(xy) == 2 {
			r.c.num(file, p+"lon", text(xy[0]), 0, o.Loc[0], "")
			r.c.num(file, p+"lat", text(xy[1]), 0, o.Loc[1], "")
		}
	}
	return nil
}

// cellsCSV checks every row of a coverage cells.csv against the audit's
// own cell list and travel times.
func (r *run) cellsCSV(file string, b []byte, n *network) error {
	// Row by row: a province's cells.csv is tens of MB, and the audit
	// runs at the end of a plan, when the plan's own data are still held.
	cr := csv.NewReader(bytes.NewReader(b))
	cr.ReuseRecord = true
	head, err := cr.Read()
	if err == io.EOF {
		return fmt.Errorf("no header")
	}
	if err != nil {
		return err
	}
	col := map[string]int{}
	for k, h := range head {
		col[h] = k
	}
	for _, need := range []string{"h3", "commune", "population", "minutes", "km"} {
		if _, ok := col[need]; !ok {
			return fmt.Errorf("no %q column", need)
		}
	}
	c := r.c
	names := func(ids []int32) string {
		s := make([]string, len(ids))
		for k, j := range ids {
			s[k] = n.offs[j].ID
		}
		return strings.Join(s, " or ")
	}
	oneOf := func(stated string, ids []int32) string {
		for _, j := range ids {
			if n.offs[j].ID == stated {
				return stated
			}
		}
		return names(ids)
	}
	k := -1
	for {
		row, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
		k++
		at := func(name string) (string, bool) {
			j, ok := col[name]
			if !ok || j >= len(row) {
				return "", false
			}
			return row[j], true
		}
		hs, _ := at("h3")
		claim := func(name string) string { return fmt.Sprintf("row %d %s", k+1, name) }
		i, ok := r.byH3[h3.Cell(h3.IndexFromString(hs))]
		if !ok {
			c.exact(file, claim("h3"), hs, "(not a cell of the audit's index)", "the audit lists cells from the commune polygons (docs/coverage.md)")
			continue
		}
		cell := r.cells[i]
		// Check first, name the claim only on failure: a province has
		// tens of thousands of rows.
		num := func(name, s string, want float64) {
			if holds(s, 0, want) {
				c.res.Checked++
				return
			}
			c.num(file, claim(name), s, 0, want, hs)
		}
		exact := func(name, s, want string) {
			if s == want {
				c.res.Checked++
				return
			}
			c.exact(file, claim(name), s, want, hs)
		}
		if s, ok := at("commune"); ok {
			exact("commune", s, r.ds.Communes[cell.commune].Code)
		}
		if s, ok := at("population"); ok {
			exact("population", s, strconv.FormatInt(cell.pop, 10))
		}
		if s, ok := at("lon"); ok {
			num("lon", s, cell.lon)
		}
		if s, ok := at("lat"); ok {
			num("lat", s, cell.lat)
		}
		if s, ok := at("minutes"); ok {
			num("minutes", s, n.reach.minutes[i])
		}
		if s, ok := at("km"); ok {
			num("km", s, n.reach.km[i])
		}
		if s, ok := at("office_by_time"); ok {
			exact("office_by_time", s, oneOf(s, n.reach.byTime[i]))
		}
		if s, ok := at("office_by_distance"); ok {
			exact("office_by_distance", s, oneOf(s, n.reach.byDist[i]))
		}
		if s, ok := at("covered"); ok {
			exact("covered", s, strconv.FormatBool(r.covered(n, i)))
		}
		if s, ok := at("rule"); ok {
			met := "none"
			switch t, d := r.timeOK(n, i), r.distOK(n, i); {
			case t && d:
				met = "both"
			case t:
				met = "time"
			case d:
				met = "distance"
			}
			exact("rule", s, met)
		}
	}
	c.exact(file, "rows", strconv.Itoa(k+1), strconv.Itoa(len(r.cells)), "one row per cell of the index")
	return nil
}
