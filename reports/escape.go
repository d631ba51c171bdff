package reports

import (
	"bytes"
	"encoding/json"
	"strings"
)

// Names of communes, districts, offices and scenarios come from files anyone
// may edit, and the report is mailed to leaders who open it in a browser.
// Every name reaches the page through one of three doors, each with one guard:
//
//   - tables and headings: html/template escapes them (templates/report.html.tmpl);
//   - chart options (inline JSON in a <script>): chartText;
//   - tooltips, which ECharts inserts as HTML: the page's one JavaScript
//     helper onestopEsc (escapeHelperJS), called by every formatter of this
//     package on every value it prints.
//
// Legends, titles and axis labels are drawn on the canvas and never parsed.

// funcMarker is what go-echarts wraps JavaScript functions in inside its JSON
// (opts.FuncOpts); when it renders, it deletes the marker and the adjoining
// quote everywhere in the script, strings included.
const funcMarker = "__f__"

// chartText is a name on its way into a chart option. It marshals as a JSON
// string with <, >, & and U+2028/U+2029 escaped (so it cannot end the script
// element), and, when it contains go-echarts' function marker, with every "_"
// written as \u005f: otherwise go-echarts would strip the marker and its quote
// and the name would run as code. The browser reads the same text either way.
type chartText string

// MarshalJSON implements json.Marshaler.
func (t chartText) MarshalJSON() ([]byte, error) {
	b, err := json.Marshal(string(t)) // HTML-safe escapes by default
	if err != nil {
		return nil, err
	}
	if strings.Contains(string(t), funcMarker) {
		b = bytes.ReplaceAll(b, []byte("_"), []byte(`\u005f`))
	}
	return b, nil
}

// chartTexts converts names for a category axis.
func chartTexts(names []string) []chartText {
	out := make([]chartText, len(names))
	for i, n := range names {
		out[i] = chartText(n)
	}
	return out
}

// escapeHelperJS defines onestopEsc, the one function that turns any value
// into HTML text for a tooltip. The page emits it once, before the charts;
// the regular expression spells the quotes as \u escapes so the script holds
// no quote characters outside string literals.
const escapeHelperJS = `function onestopEsc(v) {
  return String(v === undefined || v === null ? '' : v).replace(/[&<>\u0022\u0027\u0060]/g, function (c) {
    return '&#' + c.charCodeAt(0) + ';';
  });
}`
