package reports

import (
	"fmt"
	"math"
	"strings"

	"github.com/go-echarts/go-echarts/v2/opts"
	"github.com/go-echarts/go-echarts/v2/render"
)

// Colours of the office layers; closed offices are grey so the eye goes to
// what remains.
const (
	colorKept     = "#1f5fa8"
	colorNew      = "#13a35a"
	colorClosed   = "#8c8c8c"
	colorMerge    = "#d9480f"
	colorUncov    = "#c2185b"
	colorBefore   = "#8da0cb"
	colorAfter    = "#1f5fa8"
	colorOverNorm = "#d9480f"
)

// travelPalette runs from short (green) to long (red) travel times.
func travelPalette() []string {
	return []string{"#1a9850", "#91cf60", "#fee08b", "#fc8d59", "#d73027"}
}

// newInit fixes the chart id (go-echarts draws a random one otherwise, which
// would make two renders of the same run differ) and the size.
func newInit(id, height string) opts.Initialization {
	return opts.Initialization{ChartID: id, Width: "100%", Height: height, Theme: "white", Renderer: "canvas"}
}

// niceCeil rounds an axis maximum up to 1, 2 or 5 times a power of ten.
func niceCeil(v float64) float64 {
	if v <= 0 {
		return 1
	}
	p := math.Pow(10, math.Floor(math.Log10(v)))
	for _, m := range []float64{1, 2, 2.5, 5, 10} {
		if m*p >= v {
			return m * p
		}
	}
	return 10 * p
}

// zoomEnd shows at most 40 offices at once; the rest scroll into view.
func zoomEnd(n int) float32 {
	if n <= 40 {
		return 100
	}
	return float32(100 * 40 / float64(n))
}

// officeWait is the mean wait at the peak hour (Erlang C): the measure the
// wait target caps, the one dossier's offices_overloaded and queue_min use,
// so a verdict here never contradicts load.json or summary.json. The
// simulated year's mean wait is shown beside it, never judged.
func officeWait(o OfficeRow) float64 { return o.WaitErlangMin }

// chartRenderer is what the page needs from a go-echarts chart.
type chartRenderer interface {
	RenderSnippet() render.ChartSnippet
}

// snippet renders a chart to its container div and its script, with every
// "<" and ">" inside the script's string literals written as \u003c and
// \u003e. go-echarts serialises options without HTML escaping, so a name
// such as "</script><script>…" from a planner's file could otherwise end the
// script element; in JavaScript strings the escaped form is the same text.
func snippet(c chartRenderer) (element, script string) {
	s := c.RenderSnippet()
	return s.Element, escapeScriptBody(s.Script)
}

// escapeScriptBody rewrites angle brackets inside string literals between
// the opening and the closing script tag. It tracks quotes and backslash
// escapes; the scripts it sees (go-echarts' template, the formatter
// functions of this package) have no comments or regular expressions.
func escapeScriptBody(s string) string {
	open := strings.Index(s, ">")
	end := strings.LastIndex(s, "</script>")
	if open < 0 || end < open {
		return s
	}
	body := s[open+1 : end]
	var b strings.Builder
	b.Grow(len(body) + len(body)/16)
	var quote byte
	for i := 0; i < len(body); i++ {
		ch := body[i]
		switch {
		case quote == 0:
			if ch == '"' || ch == '\'' || ch == '`' {
				quote = ch
			}
			b.WriteByte(ch)
		case ch == '\\' && i+1 < len(body):
			b.WriteByte(ch)
			i++
			b.WriteByte(body[i])
		case ch == quote:
			quote = 0
			b.WriteByte(ch)
		case ch == '<':
			b.WriteString(`\u003c`)
		case ch == '>':
			b.WriteString(`\u003e`)
		default:
			b.WriteByte(ch)
		}
	}
	return s[:open+1] + b.String() + s[end:]
}

func round2(v float64) float64 { return math.Round(v*100) / 100 }
func round6(v float64) float64 { return math.Round(v*1e6) / 1e6 }

// trimFloat prints a number without trailing zeros.
func trimFloat(v float64) string {
	return strings.TrimSuffix(strings.TrimRight(fmt.Sprintf("%.2f", v), "0"), ".")
}
