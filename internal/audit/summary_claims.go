package audit

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
)

// summaryJSON checks summary.json: the plan command's before/after blocks
// (covered population and shares, minutes and km, offices, staff, waits)
// or the optimize command's headline (offices before and after).
func (r *run) summaryJSON(file string, b []byte) error {
	doc, err := decodeJSON(b)
	if err != nil {
		return err
	}
	c := r.c
	if _, plan := doc["before"]; !plan {
		// optimize: the plan's Summary.
		c.exact(file, "offices_before", text(doc["offices_before"]), strconv.Itoa(len(r.base.offs)), "offices of the network consolidated")
		c.exact(file, "offices_after", text(doc["offices_after"]), strconv.Itoa(len(r.after.offs)), "")
		return nil
	}
	all := func(int) bool { return true }
	c.exact(file, "population", text(doc["population"]), strconv.FormatInt(r.c.res.Population, 10), "")
	c.exact(file, "offices_before", text(doc["offices_before"]), strconv.Itoa(len(r.before.offs)), "")
	c.exact(file, "offices_after", text(doc["offices_after"]), strconv.Itoa(len(r.after.offs)), "")
	var load jsonDoc
	if lb, err := os.ReadFile(filepath.Join(r.in.Dir, "load.json")); err == nil {
		load, _ = decodeJSON(lb)
	}
	for _, blk := range []struct {
		key, loadKey string
		n            *network
	}{{"before", "load_before", r.before}, {"after", "load", r.after}} {
		m := obj(doc[blk.key])
		if m == nil {
			c.exact(file, blk.key, "(absent)", "a block", "")
			continue
		}
		p := blk.key + "."
		r.checkAggregate(file, p, m, r.aggregate(blk.n, all), 4, 3)
		c.exact(file, p+"offices", text(m["offices"]), strconv.Itoa(len(blk.n.offs)), "")
		staff := 0
		for _, o := range blk.n.offs {
			staff += o.Staff
		}
		c.exact(file, p+"staff", text(m["staff"]), strconv.Itoa(staff), "")
		// The load figures repeat the load check's summary of that network.
		ls := obj(doc[blk.loadKey])
		if ls == nil {
			c.skip(file, p+"mean_wait_min, offices_overloaded", "no "+blk.loadKey+" block to compare with")
			continue
		}
		for _, k := range []string{"mean_wait_min", "offices_overloaded"} {
			if v, ok := m[k]; ok {
				c.num(file, p+k, text(v), 0, num(ls[k]), "as "+blk.loadKey+"."+k)
			}
		}
		if blk.key == "after" && load != nil {
			// summary.json's load block is load.json's summary.
			s := obj(load["summary"])
			for k, v := range ls {
				if w, ok := s[k]; ok {
					c.exact(file, fmt.Sprintf("%s.%s", blk.loadKey, k), text(v), text(w), "as load.json summary."+k)
				}
			}
		}
	}
	if o := obj(doc["optimize"]); o != nil {
		c.exact(file, "optimize.offices_before", text(o["offices_before"]), strconv.Itoa(len(r.base.offs)), "offices of the network consolidated")
		c.exact(file, "optimize.offices_after", text(o["offices_after"]), strconv.Itoa(len(r.after.offs)), "")
	}
	return nil
}

// num is a JSON number's value (NaN when absent or not a number).
func num(v any) float64 {
	f, err := strconv.ParseFloat(text(v), 64)
	if err != nil {
		return nanValue
	}
	return f
}
