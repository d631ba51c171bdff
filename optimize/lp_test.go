package optimize

import (
	"bytes"
	"context"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// parseObjective reads the objective of a CPLEX-LP file back into
// coefficients per variable name.
func parseObjective(t *testing.T, lp string) (map[string]float64, bool) {
	t.Helper()
	maximise := strings.Contains(lp, "\nMaximize\n")
	a := strings.Index(lp, "obj:")
	b := strings.Index(lp, "\nSubject To")
	if a < 0 || b < a {
		t.Fatal("LP file has no objective section")
	}
	toks := strings.Fields(lp[a+4 : b])
	coef := map[string]float64{}
	sign, val := 1.0, math.NaN()
	for _, tk := range toks {
		switch {
		case tk == "+":
			sign = 1
		case tk == "-":
			sign = -1
		default:
			if v, err := strconv.ParseFloat(tk, 64); err == nil {
				val = v
				continue
			}
			c := 1.0
			if !math.IsNaN(val) {
				c = val
			}
			coef[tk] += sign * c
			sign, val = 1, math.NaN()
		}
	}
	return coef, maximise
}

// planValues gives the plan's value of every LP variable.
func planValues(res *Result) map[string]float64 {
	v := map[string]float64{}
	for j, o := range res.Open {
		if o {
			v["x"+strconv.Itoa(j)] = 1
		}
	}
	for i, sh := range res.Assign {
		for _, s := range sh {
			if s.Cand < 0 {
				v["u"+strconv.Itoa(i)] = s.Share
			} else {
				v["y"+strconv.Itoa(i)+"_"+strconv.Itoa(int(s.Cand))] = s.Share
			}
		}
	}
	return v
}

func TestExportLPObjectiveMatchesPlan(t *testing.T) {
	spec := genSpec{seed: 21, side: 7, spacing: 1, cands: 14, existing: 5, locked: 1, radiusKm: 2.2, coverMin: 4, timeMin: 9, dossierRate: 0.3}
	tests := []struct {
		name string
		opt  Options
	}{
		{"lscp", Options{Model: LSCP}},
		{"mclp", Options{Model: MCLP, P: 3}},
		{"pmedian", Options{Model: PMedian, P: 4}},
		{"consolidate", Options{Model: Consolidate}},
		{"consolidate capacity", Options{Model: Consolidate}},
		{"pmedian capacity", Options{Model: PMedian, P: 4}},
	}
	cbc, _ := exec.LookPath("cbc")
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			inst := genInstance(spec)
			if strings.HasSuffix(tc.name, "capacity") {
				capStaff(inst, 6)
			}
			tc.opt.TargetShare = 0.5
			res, err := Solve(context.Background(), inst, tc.opt)
			if err != nil {
				t.Fatal(err)
			}
			var buf bytes.Buffer
			if err := ExportLP(&buf, inst, tc.opt); err != nil {
				t.Fatal(err)
			}
			for k, line := range strings.Split(buf.String(), "\n") {
				if len(line) > 255 {
					t.Fatalf("line %d has %d characters; solvers reject lines over 255", k+1, len(line))
				}
			}
			coef, maximise := parseObjective(t, buf.String())
			if maximise != (tc.opt.Model == MCLP) {
				t.Errorf("objective sense maximise=%v", maximise)
			}
			vals := planValues(res)
			if tc.opt.Model == MCLP {
				f, _ := newForm(context.Background(), inst, tc.opt)
				for r, i := range f.rows {
					for _, j := range f.cover[r] {
						if res.Open[j] {
							vals["z"+strconv.Itoa(int(i))] = 1
						}
					}
				}
			}
			got := 0.0
			for name, c := range coef {
				got += c * vals[name]
			}
			if math.Abs(got-res.Objective) > 1e-9*math.Max(1, math.Abs(got)) {
				t.Errorf("LP objective at the plan = %v, reported objective %v", got, res.Objective)
			}
			if cbc == "" {
				return
			}
			// An independent MIP solver must agree on the optimum.
			dir := t.TempDir()
			lp := filepath.Join(dir, "m.lp")
			if err := os.WriteFile(lp, buf.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
			out, err := exec.Command(cbc, lp, "solve", "quit").CombinedOutput()
			if err != nil {
				t.Fatalf("cbc: %v\n%s", err, out)
			}
			m := regexp.MustCompile(`Objective value:\s+(\S+)`).FindSubmatch(out)
			if m == nil {
				t.Fatalf("no objective in cbc output:\n%s", out)
			}
			want, _ := strconv.ParseFloat(string(m[1]), 64)
			if math.Abs(want-res.Objective) > 1e-6*math.Max(1, math.Abs(want)) {
				t.Errorf("cbc optimum %v, our objective %v", want, res.Objective)
			}
		})
	}
}
