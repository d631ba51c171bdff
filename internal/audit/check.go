package audit

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Mismatch is one stated figure the audit could not reproduce.
type Mismatch struct {
	File       string `json:"file"`  // relative to the run directory
	Claim      string `json:"claim"` // where in the file: a JSON path, "row N column", or a why text's number
	Stated     string `json:"stated"`
	Recomputed string `json:"recomputed"`
	Note       string `json:"note,omitempty"`
	// Known is set when the mismatch's class is on the allow-list of
	// mismatches another change is fixing (Input.Known); it does not fail
	// a strict run.
	Known bool `json:"known,omitempty"`
}

func (m Mismatch) String() string {
	s := fmt.Sprintf("%s %s: stated %s, recomputed %s", printable(m.File), printable(m.Claim), printable(m.Stated), printable(m.Recomputed))
	if m.Note != "" {
		s += " (" + printable(m.Note) + ")"
	}
	return s
}

// printable is s as is unless it holds a control, format (bidi, zero
// width) or line-separator rune, or invalid UTF-8; then s Go-quoted:
// stated texts, ids and why texts quote the audited files, and a newline
// or a terminal escape in them must not break or forge the one line per
// mismatch a command prints on stderr.
func printable(s string) string {
	if strings.IndexFunc(s, func(r rune) bool {
		return r == utf8.RuneError || unicode.In(r, unicode.Cc, unicode.Cf, unicode.Zl, unicode.Zp)
	}) < 0 {
		return s
	}
	return strconv.Quote(s)
}

// Skip is a claim, or a class of claims, the audit did not check, and why.
type Skip struct {
	File  string `json:"file"`
	Claim string `json:"claim"`
	Why   string `json:"why"`
}

// maxPerClass bounds how many mismatches of one class (file and claim with
// its indices dropped, e.g. "cells.csv minutes") are listed; the rest are
// counted in one closing entry, so a systematic error does not bury the
// others.
const maxPerClass = 20

// checker accumulates the claims checked and the mismatches found.
type checker struct {
	res     *Result
	known   map[string]bool
	perKind map[string]int
	order   []string
}

func newChecker(res *Result, known []string) *checker {
	k := map[string]bool{}
	for _, s := range known {
		k[s] = true
	}
	return &checker{res: res, known: k, perKind: map[string]int{}}
}

var indexRE = regexp.MustCompile(`\[[^\]]*\]|row [0-9]+ `)

// Class is the class of a claim: its file and its path with every index
// dropped, e.g. "plan.json closed.why"; the allow-list (Input.Known) names
// classes.
func Class(file, claim string) string {
	return file + " " + indexRE.ReplaceAllString(claim, "")
}

func (c *checker) fail(m Mismatch) {
	class := Class(m.File, m.Claim)
	if c.perKind[class] == 0 {
		c.order = append(c.order, class)
	}
	c.perKind[class]++
	m.Known = c.known[class]
	if c.perKind[class] <= maxPerClass {
		c.res.Mismatches = append(c.res.Mismatches, m)
	}
}

// finish adds one entry per class whose mismatches were not all listed.
func (c *checker) finish() {
	for _, class := range c.order {
		if n := c.perKind[class]; n > maxPerClass {
			file, claim, _ := strings.Cut(class, " ")
			c.res.Mismatches = append(c.res.Mismatches, Mismatch{File: file, Claim: claim, Stated: "…", Recomputed: "…",
				Note: fmt.Sprintf("%d more mismatches of this claim not listed", n-maxPerClass), Known: c.known[class]})
		}
		c.res.MismatchCount += c.perKind[class]
		if !c.known[class] {
			c.res.Failures += c.perKind[class]
		}
	}
}

func (c *checker) skip(file, claim, why string) {
	c.res.Skipped = append(c.res.Skipped, Skip{File: file, Claim: claim, Why: why})
}

// decimalsOf is how many decimals the text of a number shows.
func decimalsOf(s string) int {
	if strings.ContainsAny(s, "eE") {
		return 0
	}
	if _, frac, ok := strings.Cut(s, "."); ok {
		return len(frac)
	}
	return 0
}

// tolerance is half a unit of the last printed decimal: the stated value
// holds when the recomputed one rounds to it. digits is the rounding the
// writer documents (JSON drops trailing zeros: 100 may stand for
// 100.0000); a tiny relative slack absorbs float32 and summation order.
func tolerance(text string, digits int, v float64) float64 {
	d := max(decimalsOf(text), digits)
	return 0.5*math.Pow10(-d) + 1e-6*math.Max(1, math.Abs(v))
}

// num checks a stated number (its printed text) against a recomputed one.
// An empty or null statement stands for "unknown" and holds only for NaN.
func (c *checker) num(file, claim, text string, digits int, want float64, note string) bool {
	c.res.Checked++
	text = strings.TrimSpace(text)
	if text == "" || text == "null" {
		if math.IsNaN(want) {
			return true
		}
		c.fail(Mismatch{File: file, Claim: claim, Stated: "(empty)", Recomputed: fmtNum(want, digits), Note: note})
		return false
	}
	got, err := strconv.ParseFloat(text, 64)
	if err != nil {
		c.fail(Mismatch{File: file, Claim: claim, Stated: text, Recomputed: fmtNum(want, digits), Note: "not a number"})
		return false
	}
	if math.IsNaN(want) || math.Abs(got-want) > tolerance(text, digits, want) {
		c.fail(Mismatch{File: file, Claim: claim, Stated: text, Recomputed: fmtNum(want, max(digits, decimalsOf(text))+2), Note: note})
		return false
	}
	return true
}

// holds is whether a stated number holds, without recording anything:
// the hot loops check first and build the claim's name only on failure.
func holds(text string, digits int, want float64) bool {
	text = strings.TrimSpace(text)
	if text == "" || text == "null" {
		return math.IsNaN(want)
	}
	got, err := strconv.ParseFloat(text, 64)
	return err == nil && !math.IsNaN(want) && math.Abs(got-want) <= tolerance(text, digits, want)
}

// numIn checks a stated number that may be any value in [lo, hi] (the
// solver may have picked any of several equally quick points); want is the
// audit's own pick, shown when the statement falls outside.
func (c *checker) numIn(file, claim, text string, digits int, want, lo, hi float64, note string) bool {
	t := strings.TrimSpace(text)
	if got, err := strconv.ParseFloat(t, 64); err == nil && got >= lo-tolerance(t, digits, lo) && got <= hi+tolerance(t, digits, hi) {
		c.res.Checked++
		return true
	}
	return c.num(file, claim, text, digits, want, note)
}

// exact checks a stated text (an id, a flag, a count) for equality.
func (c *checker) exact(file, claim, stated, want, note string) bool {
	c.res.Checked++
	if stated != want {
		c.fail(Mismatch{File: file, Claim: claim, Stated: stated, Recomputed: want, Note: note})
		return false
	}
	return true
}

func fmtNum(v float64, digits int) string {
	if math.IsNaN(v) {
		return "(none)"
	}
	return strconv.FormatFloat(v, 'f', min(max(digits, 0), 9), 64)
}

// jsonDoc is a decoded JSON file whose numbers keep their printed text.
type jsonDoc = map[string]any

func decodeJSON(b []byte) (jsonDoc, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var m jsonDoc
	if err := dec.Decode(&m); err != nil {
		return nil, err
	}
	return m, nil
}

// get walks keys (string keys of objects) and returns the value there.
func get(v any, keys ...string) (any, bool) {
	for _, k := range keys {
		m, ok := v.(map[string]any)
		if !ok {
			return nil, false
		}
		if v, ok = m[k]; !ok {
			return nil, false
		}
	}
	return v, true
}

// text is the printed form of a scalar JSON value ("" when absent or null).
func text(v any) string {
	switch x := v.(type) {
	case json.Number:
		return x.String()
	case string:
		return x
	case bool:
		return strconv.FormatBool(x)
	case nil:
		return ""
	}
	b, _ := json.Marshal(v)
	return string(b)
}

func list(v any) []any {
	l, _ := v.([]any)
	return l
}

func obj(v any) map[string]any {
	m, _ := v.(map[string]any)
	return m
}
