package reports

import (
	"context"
	"database/sql"
	"encoding/xml"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// qmlDoc is the part of a QML document QGIS reads the renderer from.
type qmlDoc struct {
	XMLName  xml.Name `xml:"qgis"`
	Renderer struct {
		Type   string `xml:"type,attr"`
		Attr   string `xml:"attr,attr"`
		Ranges []struct {
			Lower string `xml:"lower,attr"`
			Upper string `xml:"upper,attr"`
			Label string `xml:"label,attr"`
		} `xml:"ranges>range"`
		Categories []struct {
			Value  string `xml:"value,attr"`
			Symbol string `xml:"symbol,attr"`
			Label  string `xml:"label,attr"`
		} `xml:"categories>category"`
		Symbols []struct {
			Type   string `xml:"type,attr"`
			Name   string `xml:"name,attr"`
			Layers []struct {
				Class   string `xml:"class,attr"`
				Options []struct {
					Name  string `xml:"name,attr"`
					Value string `xml:"value,attr"`
				} `xml:"Option>Option"`
				Props []struct {
					K string `xml:"k,attr"`
					V string `xml:"v,attr"`
				} `xml:"prop"`
			} `xml:"layer"`
		} `xml:"symbols>symbol"`
	} `xml:"renderer-v2"`
}

// TestLayerStylesReadBack reads layer_styles back with SQL as QGIS does
// when it opens a layer: one default style per layer, registered in
// gpkg_contents, with a QML document whose renderer reads a field of the
// layer and draws with symbols fit for its geometry.
func TestLayerStylesReadBack(t *testing.T) {
	t.Parallel()
	pointCells := syntheticRun(4, English)
	pointCells.Cells[0].H3, pointCells.Cells[0].Hexagon = "", nil
	tests := []struct {
		name     string
		run      Run
		unit     string // minutes unit of the cells legend
		cellType string // symbol type of the cells
	}{
		{"vi hexagons", syntheticRun(5, Vietnamese), "phút", "fill"},
		{"en point cells", pointCells, "min", "marker"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			if err := writeExports(context.Background(), dir, tc.run); err != nil {
				t.Fatal(err)
			}
			db, err := sql.Open("sqlite", "file:"+filepath.Join(dir, FileGeoPackage)+"?mode=ro")
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			var dataType string
			if err := db.QueryRow(`SELECT data_type FROM gpkg_contents WHERE table_name = 'layer_styles'`).Scan(&dataType); err != nil || dataType != "attributes" {
				t.Fatalf("layer_styles in gpkg_contents: %q %v, want attributes", dataType, err)
			}
			geomTypes := map[string]string{}
			rows, err := db.Query(`SELECT table_name, geometry_type_name FROM gpkg_geometry_columns`)
			if err != nil {
				t.Fatal(err)
			}
			for rows.Next() {
				var name, typ string
				rows.Scan(&name, &typ)
				geomTypes[name] = typ
			}
			rows.Close()
			styles := map[string]string{}
			rows, err = db.Query(`SELECT f_table_catalog, f_table_schema, f_table_name, f_geometry_column, styleName, styleQML, useAsDefault, CAST(update_time AS TEXT) FROM layer_styles ORDER BY id`)
			if err != nil {
				t.Fatal(err)
			}
			for rows.Next() {
				var catalog, schema, table, geom, name, doc, updated string
				var def bool
				if err := rows.Scan(&catalog, &schema, &table, &geom, &name, &doc, &def, &updated); err != nil {
					t.Fatal(err)
				}
				if catalog != "" || schema != "" || geom != "geom" || name != table || !def || updated != gpkgTimestamp {
					t.Errorf("style row of %s: catalog %q schema %q geom %q name %q default %v time %q", table, catalog, schema, geom, name, def, updated)
				}
				if _, dup := styles[table]; dup {
					t.Errorf("two styles for %s", table)
				}
				styles[table] = doc
			}
			rows.Close()
			if len(styles) != len(geomTypes) {
				t.Errorf("%d styles for %d layers", len(styles), len(geomTypes))
			}
			for layer, geomType := range geomTypes {
				checkQML(t, layer, styles[layer], geomType, layerColumns(t, db, layer))
			}
			if !strings.Contains(styles["cells"], tc.unit) {
				t.Errorf("cells legend lacks the unit %q", tc.unit)
			}
			var doc qmlDoc
			xml.Unmarshal([]byte(styles["cells"]), &doc)
			if len(doc.Renderer.Symbols) == 0 || doc.Renderer.Symbols[0].Type != tc.cellType {
				t.Errorf("cells drawn with %+v, want %s symbols", doc.Renderer.Symbols, tc.cellType)
			}
		})
	}
}

// checkQML parses one style and checks it is one QGIS can apply.
func checkQML(t *testing.T, layer, doc, geomType string, columns []string) {
	t.Helper()
	if doc == "" {
		t.Errorf("layer %s has no style", layer)
		return
	}
	var q qmlDoc
	if err := xml.Unmarshal([]byte(doc), &q); err != nil {
		t.Errorf("layer %s: QML is not well-formed XML: %v", layer, err)
		return
	}
	rd := q.Renderer
	if !slices.Contains(columns, rd.Attr) {
		t.Errorf("layer %s: style reads field %q, not among %q", layer, rd.Attr, columns)
	}
	classes := len(rd.Ranges) + len(rd.Categories)
	switch rd.Type {
	case "graduatedSymbol":
		if len(rd.Categories) != 0 || len(rd.Ranges) < 2 {
			t.Errorf("layer %s: graduated with %d ranges", layer, len(rd.Ranges))
		}
		for i, r := range rd.Ranges {
			if r.Label == "" || (i > 0 && r.Lower != rd.Ranges[i-1].Upper) {
				t.Errorf("layer %s: range %d %+v is unlabelled or does not follow the previous one", layer, i, r)
			}
		}
	case "categorizedSymbol":
		if len(rd.Ranges) != 0 || len(rd.Categories) < 2 {
			t.Errorf("layer %s: categorized with %d categories", layer, len(rd.Categories))
		}
	default:
		t.Errorf("layer %s: renderer %q", layer, rd.Type)
	}
	if len(rd.Symbols) != classes {
		t.Errorf("layer %s: %d symbols for %d classes", layer, len(rd.Symbols), classes)
	}
	wantType, wantClass := "fill", "SimpleFill"
	if geomType == "POINT" {
		wantType, wantClass = "marker", "SimpleMarker"
	}
	for i, s := range rd.Symbols {
		if s.Type != wantType || s.Name != strings.TrimSpace(s.Name) || len(s.Layers) != 1 || s.Layers[0].Class != wantClass {
			t.Errorf("layer %s (%s) symbol %d: %s with %d layers", layer, geomType, i, s.Type, len(s.Layers))
			continue
		}
		l := s.Layers[0]
		if len(l.Options) == 0 || len(l.Options) != len(l.Props) {
			t.Errorf("layer %s symbol %d: %d options, %d props", layer, i, len(l.Options), len(l.Props))
		}
		for j := range min(len(l.Options), len(l.Props)) {
			if l.Options[j].Name != l.Props[j].K || l.Options[j].Value != l.Props[j].V {
				t.Errorf("layer %s symbol %d: option %v differs from prop %v", layer, i, l.Options[j], l.Props[j])
			}
		}
	}
}
