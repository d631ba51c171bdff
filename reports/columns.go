package reports

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Decimals kept in the exports: what a reader can use, not the noise of
// floating-point sums (4.057481773802236 minutes, 1.079e-31 of a share).
const (
	digitsMinutes = 1 // travel and waiting minutes: 6 seconds
	digitsKm      = 2 // distances: 10 metres
	digitsShare   = 4 // covered shares and utilisation: 0.01 percentage point
	digitsDegrees = 6 // lon/lat: about 0.1 metre
	digitsWhole   = 0 // dossiers per year and norms: whole dossiers
)

// colKind is what a column holds; it fixes the CSV text, the GeoPackage
// type and the GeoJSON value of every cell.
type colKind uint8

const (
	kindText colKind = iota
	kindInt
	kindReal
	kindBool
)

// column is one field of an export table. The same column list makes the
// CSV header, the GeoPackage layer's fields and the GeoJSON properties, so
// the three formats carry the same names, types and precision.
type column struct {
	name   string
	kind   colKind
	digits int // kindReal: decimals kept
}

func textCol(name string) column        { return column{name: name, kind: kindText} }
func intCol(name string) column         { return column{name: name, kind: kindInt} }
func boolCol(name string) column        { return column{name: name, kind: kindBool} }
func realCol(name string, d int) column { return column{name: name, kind: kindReal, digits: d} }
func minutesCol(name string) column     { return realCol(name, digitsMinutes) }
func shareCol(name string) column       { return realCol(name, digitsShare) }
func degreesCol(name string) column     { return realCol(name, digitsDegrees) }

// sqlDecl declares the column in CREATE TABLE; names are quoted because
// some ("from", "to") are SQL keywords.
func (c column) sqlDecl() string { return c.quoted() + " " + c.sqlType() }

func (c column) quoted() string { return `"` + strings.ReplaceAll(c.name, `"`, `""`) + `"` }

// sqlType is the GeoPackage column type. Booleans stay INTEGER 0/1: QGIS
// styles match category values as text, and "1" is what an INTEGER gives.
func (c column) sqlType() string {
	switch c.kind {
	case kindInt, kindBool:
		return "INTEGER"
	case kindReal:
		return "REAL"
	}
	return "TEXT"
}

// table is one export table: its columns and its rows, each cell a string,
// int, int64, float64 or bool as its column's kind says.
type table struct {
	cols []column
	rows [][]any
}

// header is the column names, the CSV header row.
func (t table) header() []string {
	out := make([]string, len(t.cols))
	for i, c := range t.cols {
		out[i] = c.name
	}
	return out
}

// records is the table as CSV records, header first.
func (t table) records() [][]string {
	out := make([][]string, 0, len(t.rows)+1)
	out = append(out, t.header())
	for _, row := range t.rows {
		rec := make([]string, len(row))
		for i, v := range row {
			rec[i] = t.cols[i].text(v)
		}
		out = append(out, rec)
	}
	return out
}

// text is a cell as the CSV writes it.
func (c column) text(v any) string {
	switch v := v.(type) {
	case string:
		return v
	case int:
		return strconv.Itoa(v)
	case int64:
		return strconv.FormatInt(v, 10)
	case bool:
		return strconv.FormatBool(v)
	case float64:
		return fixed(v, c.digits)
	}
	return fmt.Sprint(v)
}

// value is a cell as the GeoPackage and the GeoJSON store it: numbers
// rounded exactly as the CSV prints them, so the formats agree.
func (c column) value(v any) any {
	switch v := v.(type) {
	case int:
		return int64(v)
	case float64:
		return rounded(v, c.digits)
	}
	return v
}

// fixed prints v with at most d decimals, trailing zeros dropped, never in
// exponent notation: noise below half the last digit prints as "0" (not
// "1.079e-31" nor "-0").
func fixed(v float64, d int) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return strconv.FormatFloat(v, 'f', -1, 64)
	}
	s := strconv.FormatFloat(v, 'f', d, 64)
	if strings.Contains(s, ".") {
		s = strings.TrimSuffix(strings.TrimRight(s, "0"), ".")
	}
	if s == "-0" {
		return "0"
	}
	return s
}

// rounded is the float64 nearest to fixed(v, d).
func rounded(v float64, d int) float64 {
	r, err := strconv.ParseFloat(fixed(v, d), 64)
	if err != nil {
		return v // NaN and infinities stay what they are
	}
	return r
}

// runNames are the names the exports print beside ids, from the run.
type runNames struct {
	offices  map[string]string // office id → name a person can say
	communes map[string]string // commune code → name
}

// namesOf collects the names the exports print beside ids. Offices are
// named as the report names them: a new point with a placeholder name
// ("grid point 8865b1d4b5fffff") gets the name of the communes it serves,
// its H3 id staying in the id column.
func namesOf(r Run) runNames {
	n := runNames{offices: map[string]string{}, communes: map[string]string{}}
	shown := r.Offices
	if lb, err := r.labels(); err == nil {
		shown = r.localized(lb).Offices
	}
	for _, o := range shown {
		n.offices[o.ID] = o.Name
	}
	for _, c := range r.Communes {
		n.communes[c.Code] = c.Name
	}
	return n
}

// office is the name of an office id, "" for no office.
func (n runNames) office(id string) string { return n.offices[id] }

// commune is the name of a commune code, "" when unknown.
func (n runNames) commune(code string) string { return n.communes[code] }
