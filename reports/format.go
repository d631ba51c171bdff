package reports

import (
	"fmt"
	"math"
	"strings"
)

// numberFormat writes numbers the way readers of the language expect:
// Vietnamese groups thousands with "." and uses "," for decimals.
type numberFormat struct {
	group, decimal string
}

func (l Lang) numbers() numberFormat {
	if l == English {
		return numberFormat{group: ",", decimal: "."}
	}
	return numberFormat{group: ".", decimal: ","}
}

// Int groups thousands: 2426561 → "2.426.561" (vi) or "2,426,561" (en).
func (f numberFormat) Int(n int64) string {
	neg := n < 0
	if neg {
		n = -n
	}
	s := fmt.Sprintf("%d", n)
	var b strings.Builder
	for i, ch := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteString(f.group)
		}
		b.WriteRune(ch)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

// Float prints v with prec decimals and grouped thousands.
func (f numberFormat) Float(v float64, prec int) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "–"
	}
	s := fmt.Sprintf("%.*f", prec, math.Abs(v))
	intPart, frac, _ := strings.Cut(s, ".")
	var n int64
	fmt.Sscan(intPart, &n)
	out := f.Int(n)
	if frac != "" {
		out += f.decimal + frac
	}
	if v < 0 && strings.Trim(s, "0.") != "" {
		out = "-" + out
	}
	return out
}

// Pct prints a 0..1 share as a percentage with one decimal.
func (f numberFormat) Pct(share float64) string { return f.Float(100*share, 1) + " %" }

// SignedInt prints a change with an explicit sign.
func (f numberFormat) SignedInt(n int64) string {
	if n > 0 {
		return "+" + f.Int(n)
	}
	return f.Int(n)
}

// SignedFloat prints a change with an explicit sign.
func (f numberFormat) SignedFloat(v float64, prec int) string {
	s := f.Float(v, prec)
	if v > 0 && strings.Trim(fmt.Sprintf("%.*f", prec, v), "0.") != "" {
		return "+" + s
	}
	return s
}
