package reports

import (
	"bytes"
	"encoding/json"
	"fmt"

	"github.com/go-echarts/go-echarts/v2/charts"
)

// optionPatch adds the echarts options that go-echarts' typed structs do not
// model (a roaming geo component, map series sharing that geo, visualMap bound
// to one series, lines series). It hooks go-echarts' own configuration
// visitor, so the chart is still built and serialised by go-echarts.
type optionPatch struct {
	charts.BaseConfigurationVisitor
	// top-level keys set (or replaced) in the option object
	set map[string]any
	// seriesExtra[i] adds keys to series i
	seriesExtra map[int]map[string]any
}

// VisitSeriesOpt wraps each series so the extra keys marshal beside
// go-echarts' own fields.
func (p *optionPatch) VisitSeriesOpt(series charts.MultiSeries) interface{} {
	if len(p.seriesExtra) == 0 {
		return series
	}
	out := make([]any, len(series))
	for i, s := range series {
		if extra, ok := p.seriesExtra[i]; ok {
			out[i] = mergedSeries{SingleSeries: s, extra: extra}
		} else {
			out[i] = s
		}
	}
	return out
}

// Visit applies the top-level keys.
func (p *optionPatch) Visit(obj map[string]interface{}) {
	for k, v := range p.set {
		obj[k] = v
	}
}

// mergedSeries marshals a go-echarts series plus extra keys as one object.
type mergedSeries struct {
	charts.SingleSeries
	extra map[string]any
}

// MarshalJSON merges the two key sets; encoding/json sorts map keys, which
// keeps the output deterministic. The series' own values stay raw JSON, so
// numbers keep their digits and the escapes chartText wrote survive.
func (m mergedSeries) MarshalJSON() ([]byte, error) {
	base, err := marshalNoEscape(m.SingleSeries)
	if err != nil {
		return nil, fmt.Errorf("encode chart series %q: %w", m.Name, err)
	}
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(base, &obj); err != nil {
		return nil, fmt.Errorf("decode chart series %q: %w", m.Name, err)
	}
	for k, v := range m.extra {
		raw, err := marshalNoEscape(v)
		if err != nil {
			return nil, fmt.Errorf("encode chart series %q key %s: %w", m.Name, k, err)
		}
		obj[k] = raw
	}
	return marshalNoEscape(obj)
}

// marshalNoEscape is json.Marshal without the HTML escapes of <, > and &:
// JavaScript functions among the values (renderItem, formatters) must stay
// code, as go-echarts writes its own. Names are chartText, which escapes
// itself, and snippet escapes angle brackets in every string literal.
func marshalNoEscape(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimRight(buf.Bytes(), "\n"), nil
}

// titleOption is a chart title whose text may come from the input.
type titleOption struct {
	Text chartText `json:"text"`
	Left string    `json:"left"`
	// a map zoomed past its box runs under the title: keep it legible
	BackgroundColor string `json:"backgroundColor,omitempty"`
	Padding         []int  `json:"padding,omitempty"`
}
