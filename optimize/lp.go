package optimize

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"math"
	"strconv"
)

// varKind identifies an LP variable family.
type varKind byte

const (
	varX varKind = 'x' // x_j: candidate j open
	varY varKind = 'y' // y_i_j: share of demand point i served by j
	varU varKind = 'u' // u_i: share of demand point i unserved
	varZ varKind = 'z' // z_i: demand point i covered (mclp)
)

func varName(k varKind, i, j int32) string {
	switch k {
	case varX:
		return "x" + strconv.Itoa(int(j))
	case varY:
		return "y" + strconv.Itoa(int(i)) + "_" + strconv.Itoa(int(j))
	default:
		return string(k) + strconv.Itoa(int(i))
	}
}

// objTerms emits every objective coefficient of the model; ExportLP writes
// them and objective evaluates them, so the two can never disagree.
// i is an instance demand-point index, j a candidate index.
func (f *form) objTerms(emit func(k varKind, i, j int32, c float64)) {
	switch f.model {
	case LSCP, Consolidate:
		c := 1.0
		if f.model == Consolidate {
			c = f.M
		}
		for j, a := range f.allow {
			if a {
				emit(varX, 0, int32(j), c)
			}
		}
	}
	switch f.model {
	case MCLP:
		for r, i := range f.rows {
			if len(f.cover[r]) > 0 {
				emit(varZ, i, 0, f.w[r])
			}
		}
	case PMedian, Consolidate, Curve:
		for r, i := range f.rows {
			for _, q := range f.pairs[r] {
				emit(varY, i, q.cand, f.w[r]*f.cost(q))
			}
			if f.allowU[r] {
				emit(varU, i, 0, f.w[r]*f.unMin)
			}
		}
	}
}

// objective evaluates the model's objective at the plan in res.
func (f *form) objective(res *Result) float64 {
	total := 0.0
	rowOf := make([]int32, len(f.inst.Demand))
	for r, i := range f.rows {
		rowOf[i] = int32(r)
	}
	f.objTerms(func(k varKind, i, j int32, c float64) {
		v := 0.0
		switch k {
		case varX:
			if res.Open[j] {
				v = 1
			}
		case varY:
			for _, s := range res.Assign[i] {
				if s.Cand == j {
					v = s.Share
				}
			}
		case varU:
			for _, s := range res.Assign[i] {
				if s.Cand < 0 {
					v = s.Share
				}
			}
		case varZ:
			for _, jj := range f.cover[rowOf[i]] {
				if res.Open[jj] {
					v = 1
					break
				}
			}
		}
		total += c * v
	})
	return total
}

// lpWriter writes CPLEX-LP expressions, wrapping long lines (many solvers
// reject lines over 255 characters).
type lpWriter struct {
	w     *bufio.Writer
	line  int
	terms int
}

func (l *lpWriter) term(c float64, name string, first bool) {
	s := ""
	switch {
	case first && c == 1:
		s = name
	case c == 1:
		s = " + " + name
	case c == -1:
		s = " - " + name
	case c < 0:
		s = " - " + fmtNum(-c) + " " + name
	case first:
		s = fmtNum(c) + " " + name
	default:
		s = " + " + fmtNum(c) + " " + name
	}
	if l.line+len(s) > 200 {
		l.w.WriteString("\n   ")
		l.line = 3
	}
	l.w.WriteString(s)
	l.line += len(s)
}

func (l *lpWriter) start(label string) {
	l.w.WriteString(" " + label + ": ")
	l.line = len(label) + 3
}

func (l *lpWriter) end(rel string, rhs float64) {
	fmt.Fprintf(l.w, " %s %s\n", rel, fmtNum(rhs))
	l.line = 0
}

// fmtNum prints the shortest decimal that parses back to the same float64,
// so the file's objective at the plan equals the reported objective.
func fmtNum(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }

// LPSignature starts every LP file ExportLP writes (a CPLEX-LP comment), so
// a later run can tell its own file from a user's before replacing it.
const LPSignature = "\\ onestop optimize"

// ExportLP writes the model that Solve solves for inst and opt as a
// CPLEX-LP file (CBC, GLPK, HiGHS, SCIP, Gurobi and CPLEX read it).
// Variable names: xJ = candidate J open, yI_J = share of demand point I
// served by candidate J, uI = share of I left unserved, zI = I covered
// (mclp); I and J are indices into Instance.Demand and Instance.Candidates.
func ExportLP(w io.Writer, inst *Instance, opt Options) error {
	f, err := newForm(context.Background(), inst, opt)
	if err != nil {
		return err
	}
	if f.model == Curve {
		return fmt.Errorf("optimize: the curve is a family of models; fix: export mclp or pmedian with a given --p")
	}
	bw := bufio.NewWriterSize(w, 1<<16)
	l := &lpWriter{w: bw}
	fmt.Fprintf(bw, "%s: model %s", LPSignature, f.model)
	if f.model == MCLP || f.model == PMedian {
		fmt.Fprintf(bw, ", p = %d", f.p)
	}
	fmt.Fprintf(bw, "\n\\ %d populated demand points, %d candidates, unserved minutes %s\n", len(f.rows), len(f.fixed), fmtNum(f.unMin))
	if f.model == Consolidate {
		fmt.Fprintf(bw, "\\ objective = %s * points + population-weighted minutes\n", fmtNum(f.M))
	}
	for j, c := range inst.Candidates {
		if f.allow[j] {
			fmt.Fprintf(bw, "\\ x%d = %s\n", j, sanitizeComment(c.ID+" "+c.Name))
		}
	}
	if f.model == MCLP {
		bw.WriteString("Maximize\n")
	} else {
		bw.WriteString("Minimize\n")
	}
	l.start("obj")
	first := true
	f.objTerms(func(k varKind, i, j int32, c float64) {
		l.term(c, varName(k, i, j), first)
		first = false
	})
	if first {
		bw.WriteString("0 x0")
	}
	bw.WriteString("\nSubject To\n")
	for r, i := range f.rows {
		if f.req[r] {
			l.start("cov" + strconv.Itoa(int(i)))
			for k, j := range f.cover[r] {
				l.term(1, varName(varX, 0, j), k == 0)
			}
			l.end(">=", 1)
		}
		if f.model == MCLP && len(f.cover[r]) > 0 {
			l.start("cov" + strconv.Itoa(int(i)))
			l.term(1, varName(varZ, i, 0), true)
			for _, j := range f.cover[r] {
				l.term(-1, varName(varX, 0, j), false)
			}
			l.end("<=", 0)
		}
		if f.model == PMedian || f.model == Consolidate {
			l.start("asg" + strconv.Itoa(int(i)))
			for k, q := range f.pairs[r] {
				l.term(1, varName(varY, i, q.cand), k == 0)
			}
			if f.allowU[r] {
				l.term(1, varName(varU, i, 0), len(f.pairs[r]) == 0)
			}
			l.end("=", 1)
			for _, q := range f.pairs[r] {
				l.start("lnk" + strconv.Itoa(int(i)) + "_" + strconv.Itoa(int(q.cand)))
				l.term(1, varName(varY, i, q.cand), true)
				l.term(-1, varName(varX, 0, q.cand), false)
				l.end("<=", 0)
			}
		}
	}
	if f.model == MCLP || f.model == PMedian {
		l.start("card")
		k := 0
		for j, a := range f.allow {
			if a {
				l.term(1, varName(varX, 0, int32(j)), k == 0)
				k++
			}
		}
		l.end("=", float64(f.p))
	}
	if f.hasCap {
		// Capacity: counter dossiers served by j within its premises'
		// capacity (Candidate.Capacity), and nothing from a closed point.
		load := make([][]flowPair, len(f.fixed))
		for r, i := range f.rows {
			if f.d[r] <= 0 {
				continue
			}
			for _, q := range f.pairs[r] {
				load[q.cand] = append(load[q.cand], flowPair{i, f.d[r]})
			}
		}
		for j, terms := range load {
			if len(terms) == 0 || math.IsInf(f.cap[j], 1) {
				continue
			}
			l.start("cap" + strconv.Itoa(j))
			for k, t := range terms {
				l.term(t.amt, varName(varY, t.cand, int32(j)), k == 0)
			}
			l.term(-f.cap[j], varName(varX, 0, int32(j)), false)
			l.end("<=", 0)
		}
	}
	bw.WriteString("Bounds\n")
	for j, a := range f.allow {
		if a && f.fixed[j] {
			fmt.Fprintf(bw, " x%d = 1\n", j)
		}
	}
	if f.model == MCLP {
		for r, i := range f.rows {
			if len(f.cover[r]) > 0 {
				fmt.Fprintf(bw, " z%d <= 1\n", i)
			}
		}
	}
	bw.WriteString("Binaries\n")
	k := 0
	for j, a := range f.allow {
		if a {
			fmt.Fprintf(bw, " x%d", j)
			if k++; k%16 == 0 {
				bw.WriteString("\n")
			}
		}
	}
	bw.WriteString("\nEnd\n")
	return bw.Flush()
}

func sanitizeComment(s string) string {
	b := []byte(s)
	for k, c := range b {
		if c == '\n' || c == '\r' {
			b[k] = ' '
		}
	}
	return string(b)
}
