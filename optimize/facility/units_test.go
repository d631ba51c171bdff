package facility

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

func TestUnitsOfIsExact(t *testing.T) {
	tests := []struct {
		name   string
		c      float64
		direct bool // held by the float32 itself, no table entry
	}{
		{"float32 minutes", 12.5, true},
		{"zero", 0, true},
		{"negative zero", math.Copysign(0, -1), true},
		{"infinity", math.Inf(1), true},
		{"not a float32", 0.1, false},
		{"unserved minutes", 60.000001, false},
		{"negative", -2, false},
		{"beyond float32", 1e300, false},
		{"tiny", 1e-300, false},
		{"nan", math.NaN(), false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var u Units
			unit := u.Of(tc.c)
			if got := len(u.table) == 0; got != tc.direct {
				t.Errorf("direct %v, want %v", got, tc.direct)
			}
			ap := &Problem{table: u.table}
			for _, w := range []float64{1, 3.7, 1234.5678} {
				got, want := ap.cost(w, unit), w*tc.c
				if math.Float64bits(got) != math.Float64bits(want) && !(math.IsNaN(got) && math.IsNaN(want)) {
					t.Errorf("w %v: cost %v (%x), want %v (%x)", w, got, math.Float64bits(got), want, math.Float64bits(want))
				}
			}
		})
	}
}

// unitInstance is a weighted instance as the optimizer builds it: float32
// minutes, some of them the float64 unserved minutes (unit < 0 in mins).
type unitInstance struct {
	w, pen, unMin []float64
	mins          [][]Pair // Unit -1: the unserved minutes
	fixed, allow  []bool
}

func randomUnitInstance(seed uint64, n, m int, unMin float64) unitInstance {
	rng := rand.New(rand.NewPCG(seed, 7))
	in := unitInstance{w: make([]float64, n), pen: make([]float64, n), mins: make([][]Pair, n), fixed: make([]bool, m), allow: make([]bool, m)}
	for j := 0; j < m; j++ {
		in.allow[j] = rng.Float64() < 0.9
		in.fixed[j] = in.allow[j] && rng.Float64() < 0.05
	}
	for i := range in.mins {
		in.w[i] = 0.5 + 300*rng.Float64()
		in.pen[i] = in.w[i] * unMin * float64(1+rng.IntN(2))
		for j := 0; j < m; j++ {
			var u float32
			switch x := rng.Float64(); {
			case x < 0.4:
				continue
			case x < 0.5:
				u = -1 // unserved
			case x < 0.7:
				u = float32(rng.IntN(20)) // ties between candidates
			case x < 0.72:
				u = float32(math.Copysign(0, -1))
			default:
				u = float32(90 * rng.Float64())
			}
			in.mins[i] = append(in.mins[i], Pair{To: int32(j), Unit: u})
		}
		rng.Shuffle(len(in.mins[i]), func(a, b int) { in.mins[i][a], in.mins[i][b] = in.mins[i][b], in.mins[i][a] })
	}
	in.unMin = []float64{unMin}
	return in
}

// float64Lists is the straightforward construction: every cost the
// float64 product of the weight and the minutes.
func (in unitInstance) float64Lists() [][]Arc {
	lists := make([][]Arc, len(in.mins))
	for i, row := range in.mins {
		for _, e := range row {
			c := float64(e.Unit)
			if e.Unit == -1 {
				c = in.unMin[0]
			}
			lists[i] = append(lists[i], Arc{To: e.To, Cost: in.w[i] * c})
		}
	}
	return lists
}

// problem builds the instance with weights and float32 units, as
// form.engine does.
func (in unitInstance) problem(p int) *Problem {
	var units Units
	unserved := units.Of(in.unMin[0])
	return NewRows(in.w, &units, in.pen, in.fixed, in.allow, p, func(i int, buf []Pair) []Pair {
		for _, e := range in.mins[i] {
			if e.Unit == -1 {
				e.Unit = unserved
			}
			buf = append(buf, e)
		}
		return buf
	})
}

// wantRows sorts and filters float64 lists as the engine must: by cost
// then candidate, allowed pairs cheaper than the penalty only.
func wantRows(lists [][]Arc, pen []float64, allow []bool) [][]Arc {
	out := make([][]Arc, len(lists))
	for i, l := range lists {
		l = slices.Clone(l)
		slices.SortStableFunc(l, func(a, b Arc) int {
			if a.Cost != b.Cost {
				if a.Cost < b.Cost {
					return -1
				}
				return 1
			}
			return int(a.To - b.To)
		})
		for _, e := range l {
			if allow[e.To] && e.Cost < pen[i] {
				out[i] = append(out[i], e)
			}
		}
	}
	return out
}

// checkArrays compares both sides of ap with the float64 rows, bit for bit.
func checkArrays(t *testing.T, ap *Problem, rows [][]Arc) {
	t.Helper()
	cols := make([][]Arc, ap.m) // Arc.To: the demand point
	for i, row := range rows {
		a, b := ap.rStart[i], ap.rStart[i+1]
		if int(b-a) != len(row) {
			t.Fatalf("row %d: %d pairs, want %d", i, b-a, len(row))
		}
		for k, e := range row {
			got := ap.rowCost(i, a+int32(k))
			if ap.rCand[a+int32(k)] != e.To || math.Float64bits(got) != math.Float64bits(e.Cost) {
				t.Fatalf("row %d pair %d: (%d, %v), want (%d, %v)", i, k, ap.rCand[a+int32(k)], got, e.To, e.Cost)
			}
			cols[e.To] = append(cols[e.To], Arc{To: int32(i), Cost: e.Cost})
		}
	}
	for j, col := range cols {
		a, b := ap.cStart[j], ap.cStart[j+1]
		if int(b-a) != len(col) {
			t.Fatalf("column %d: %d pairs, want %d", j, b-a, len(col))
		}
		for k, e := range col {
			got := ap.cost(ap.w[ap.cDem[a+int32(k)]], ap.cUnit[a+int32(k)])
			if ap.cDem[a+int32(k)] != e.To || math.Float64bits(got) != math.Float64bits(e.Cost) {
				t.Fatalf("column %d pair %d: (%d, %v), want (%d, %v)", j, k, ap.cDem[a+int32(k)], got, e.To, e.Cost)
			}
		}
	}
}

func sameResult(a, b Result) bool {
	return slices.Equal(a.Open, b.Open) && math.Float64bits(a.Cost) == math.Float64bits(b.Cost) &&
		math.Float64bits(a.Lower) == math.Float64bits(b.Lower) && a.Optimal == b.Optimal &&
		a.Nodes == b.Nodes && a.Found == b.Found && slices.Equal(a.Tried, b.Tried)
}

// TestUnitsMatchFloat64Costs checks that weights times float32 units (and
// the table's unserved minutes) give the very costs, orders and solutions
// of float64 costs.
func TestUnitsMatchFloat64Costs(t *testing.T) {
	tests := []struct {
		name    string
		seed    uint64
		n, m, p int
		unMin   float64
	}{
		{"unserved minutes no float32", 1, 60, 12, 4, 60.1},
		{"unserved minutes a float32", 2, 60, 12, 4, 60},
		{"odd unserved minutes", 3, 80, 14, 6, 1.0 / 3},
		{"many points", 4, 400, 16, 5, 47.3},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in := randomUnitInstance(tc.seed, tc.n, tc.m, tc.unMin)
			lists := in.float64Lists()
			ap := in.problem(tc.p)
			checkArrays(t, ap, wantRows(lists, in.pen, in.allow))
			ref := New(lists, in.pen, in.fixed, in.allow, tc.p)
			checkArrays(t, ref, wantRows(lists, in.pen, in.allow))
			for _, how := range []Search{Greedy, Bounded, Exact} {
				got, want := ap.Solve(nil, how, nil), ref.Solve(nil, how, nil)
				if !sameResult(got, want) {
					t.Errorf("search %d: %+v, float64 costs give %+v", how, got, want)
				}
			}
			if got, want := ap.LowerBound(50, nil), ref.LowerBound(50, nil); math.Float64bits(got) != math.Float64bits(want) {
				t.Errorf("LowerBound %v, float64 costs give %v", got, want)
			}
		})
	}
}

func TestNewRowsRejectsChangingRows(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Fatal("no panic for a row that changed between the passes")
		}
	}()
	calls := 0
	NewRows([]float64{1}, nil, []float64{10}, []bool{false, false}, []bool{true, true}, 1, func(i int, buf []Pair) []Pair {
		calls++
		if calls == 1 {
			return append(buf, Pair{To: 0, Unit: 1})
		}
		return append(buf, Pair{To: 0, Unit: 1}, Pair{To: 1, Unit: 2})
	})
}

func TestRequireCoverColumns(t *testing.T) {
	tests := []struct {
		name string
		m    int
		rows [][]int32
	}{
		{"none", 3, nil},
		{"empty rows", 3, [][]int32{{}, nil}},
		{"shared candidates", 4, [][]int32{{0, 2}, {2, 3}, {1}, {0, 1, 2, 3}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ap := &Problem{m: tc.m}
			ap.RequireCover(tc.rows)
			want := make([][]int32, tc.m)
			for k, r := range tc.rows {
				for _, j := range r {
					want[j] = append(want[j], int32(k))
				}
			}
			for j := range want {
				if !slices.Equal(ap.coverCol[j], want[j]) || cap(ap.coverCol[j]) != len(ap.coverCol[j]) {
					t.Errorf("column %d: %v (cap %d), want %v", j, ap.coverCol[j], cap(ap.coverCol[j]), want[j])
				}
			}
		})
	}
}
