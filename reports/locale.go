package reports

import (
	"encoding/json"
	"fmt"
)

// numberJS defines onestopNum(v, digits), the page's one number formatter:
// chart axes, labels and tooltips print numbers with it so they read like
// the tables (vi: 2.426.561 and 9,6; en: 2,426,561 and 9.6). ECharts would
// otherwise print every number the English way. digits omitted prints
// integers as integers and other numbers with one decimal; anything that is
// not a finite number is returned as text for the caller to escape.
func numberJS(nf numberFormat) string {
	group, _ := json.Marshal(nf.group)
	decimal, _ := json.Marshal(nf.decimal)
	return fmt.Sprintf(`var onestopLocale = {group: %s, decimal: %s};
function onestopNum(v, digits) {
  if (typeof v === 'string' && v !== '' && !isNaN(Number(v))) { v = Number(v); }
  if (typeof v !== 'number' || !isFinite(v)) { return String(v === undefined || v === null ? '' : v); }
  var d = digits === undefined ? (Math.round(v) === v ? 0 : 1) : digits;
  var s = Math.abs(v).toFixed(d), parts = s.split('.'), i = parts[0], out = '';
  while (i.length > 3) { out = onestopLocale.group + i.slice(-3) + out; i = i.slice(0, -3); }
  out = i + out;
  if (parts.length > 1) { out += onestopLocale.decimal + parts[1]; }
  return (v < 0 && Number(s) !== 0 ? '-' : '') + out;
}`, group, decimal)
}

// textJS defines onestopText, the units the chart formatters print, in the
// page's language. json.Marshal escapes <, > and &, so the object cannot end
// the script element.
func textJS(lb *labels) string {
	b, _ := json.Marshal(map[string]string{
		"minutes": lb.Minutes, "covered": lb.CoveredPct, "residents": lb.ResidentsUnit,
		"staff": lb.StaffUnit, "km": lb.KmUnit, "points": lb.PointsUnit,
	})
	return "var onestopText = " + string(b) + ";"
}
