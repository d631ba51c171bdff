package coverage

import (
	"bytes"
	"context"
	"io"
	"testing"

	"github.com/paulmach/orb"
)

// referenceCellsGeoJSON is WriteCellsGeoJSON as it was before the chunked,
// parallel writer: one feature at a time, every string through json.Marshal.
func referenceCellsGeoJSON(w io.Writer, idx *Index, res *Result) error {
	bw := &errWriter{w: w}
	bw.str(`{"type":"FeatureCollection","features":[`)
	columns := cellsColumns()
	rec := make([]string, 0, len(columns))
	ring := make(orb.Ring, 0, 8)
	for i := range idx.Cells {
		if i > 0 {
			bw.str(",")
		}
		rec = cellRecord(idx, res, i, rec)
		bw.str("\n{\"type\":\"Feature\",\"properties\":{")
		for j, name := range columns {
			if j > 0 {
				bw.str(",")
			}
			bw.str(jsonString(name) + ":")
			v := rec[j]
			switch name {
			case "lon", "lat", "population", "km", "covered":
				bw.str(v)
			case "minutes":
				if v == "" {
					v = "null"
				}
				bw.str(v)
			case "office_by_time", "office_by_distance":
				if v == "" {
					bw.str("null")
				} else {
					bw.str(jsonString(v))
				}
			default:
				bw.str(jsonString(v))
			}
		}
		bw.str("},\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[")
		ring = hexRing(idx.Cells[i].H3, ring[:0])
		writeRing(bw, ring)
		bw.str("]}}")
	}
	bw.str("\n]}\n")
	return bw.err
}

// TestCellsGeoJSONMatchesReference: real Binh Duong (22,320 cells, several
// rounds of chunks) with office ids that need escaping gives the bytes of
// the one-feature-at-a-time writer.
func TestCellsGeoJSONMatchesReference(t *testing.T) {
	ds := loadBinhDuong(t)
	idx := mustIndex(t, ds, 9)
	offices := oneOfficePerCommune(ds)
	offices[0].ID = `UB "1" <a&b>`
	offices[1].ID = "Phường Hoà Phú"
	offices[2].ID = "tab\there"
	model, _ := NewStraightLine(DefaultTravel())
	res, err := Evaluate(context.Background(), idx, offices, model, DefaultRule())
	if err != nil {
		t.Fatal(err)
	}
	var got, want bytes.Buffer
	if err := WriteCellsGeoJSON(&got, idx, res); err != nil {
		t.Fatal(err)
	}
	if err := referenceCellsGeoJSON(&want, idx, res); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got.Bytes(), want.Bytes()) {
		g, w := got.Bytes(), want.Bytes()
		k := 0
		for k < min(len(g), len(w)) && g[k] == w[k] {
			k++
		}
		t.Fatalf("cells.geojson differs from the reference at byte %d of %d/%d: %q vs %q", k, len(g), len(w),
			g[max(0, k-40):min(len(g), k+40)], w[max(0, k-40):min(len(w), k+40)])
	}
}

func TestAppendJSONString(t *testing.T) {
	for _, s := range []string{"", "8965b5a1a3bffff", "UB25760", `a"b`, `a\b`, "<script>", "a&b", "tab\t", "Phường", "\u2028", "\x7f", "bad\xff"} {
		if got, want := string(appendJSONString(nil, s)), jsonString(s); got != want {
			t.Errorf("appendJSONString(%q) = %s, want %s", s, got, want)
		}
	}
}
