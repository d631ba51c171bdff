package reports

import (
	"bytes"
	"context"
	"database/sql"
	_ "embed"
	"encoding/xml"
	"fmt"
	"math"
	"strings"
	"text/template"
)

// qmlTemplate is the QGIS 3 style document (QML) of one layer: a graduated
// or categorized renderer with one simple symbol per class. Each symbol
// layer carries its properties twice, as the <Option> map QGIS 3.16 and
// later read and as the <prop> elements earlier QGIS 3 releases read.
//
//go:embed qml/style.qml.tmpl
var qmlTemplate string

// layerStyle is the default style of one GeoPackage layer.
type layerStyle struct {
	Layer       string // table name
	Description string // what the colours show, for the style manager
	Renderer    string // "graduatedSymbol" or "categorizedSymbol"
	Attr        string // the field the classes are read from
	SymbolType  string // "fill" or "marker"
	SymbolLayer string // "SimpleFill" or "SimpleMarker"
	Classes     []styleClass
}

// Graduated tells the template which renderer element to write.
func (s layerStyle) Graduated() bool { return s.Renderer == "graduatedSymbol" }

// styleClass is one legend entry: a value range (graduated) or a value
// (categorized) and its symbol's properties.
type styleClass struct {
	Lower, Upper string // graduated: lower < v <= upper (the first class includes lower)
	Value        string // categorized: the field value as text
	Label        string
	Props        []styleProp
}

type styleProp struct{ Key, Value string }

// minutesPalette are the colours of the travel-time classes, from short
// (green) to long (red), as "r,g,b".
func minutesPalette() [5]string {
	return [5]string{"26,150,65", "166,217,106", "255,255,191", "253,174,97", "215,25,28"}
}

// gpkgStyles are the default styles of the layers: communes hatched where
// residents are worse off, offices by status with distinct symbols, cells
// graduated by travel minutes after, catchments by the status of their
// office. Class breaks follow the run's travel rule and legends are in the
// run's language, so the layers open coloured and labelled in QGIS.
func gpkgStyles(r Run, layers []gpkgLayer) ([]layerStyle, error) {
	lb, err := r.Lang.labels()
	if err != nil {
		return nil, err
	}
	nf := r.Lang.numbers()
	rule := r.Targets.withDefaults().TravelMinutes
	var out []layerStyle
	for _, l := range layers {
		var s layerStyle
		switch l.name {
		case "communes":
			s = categorized(l, "worse_off", "commune outlines; communes whose residents are worse off hatched in red", []styleClass{
				{Value: "1", Label: lb.WorseHeading, Props: fillProps("215,25,28,255", "b_diagonal", "215,25,28,255", "0.6")},
				{Value: "0", Label: lb.Commune, Props: fillProps("0,0,0,0", "no", "90,90,90,255", "0.3")},
			})
		case "offices":
			s = categorized(l, "status", "offices by status: kept (blue circle), new (green star), closed (red cross)", []styleClass{
				{Value: string(Kept), Label: lb.Kept, Props: markerProps("circle", "31,120,180,255", "255,255,255,255", "0.4", "3")},
				{Value: string(New), Label: lb.New, Props: markerProps("star", "51,160,44,255", "255,255,255,255", "0.4", "5")},
				{Value: string(Closed), Label: lb.Closed, Props: markerProps("cross2", "227,26,28,255", "227,26,28,255", "0.8", "3.5")},
			})
		case "cells":
			s = graduated(l, "minutes_after", fmt.Sprintf("travel minutes after, classes around the %s-minute rule", fixed(rule, 1)),
				minutesClasses(rule, lb.Minutes, nf, l.geomType))
		case "catchments":
			s = categorized(l, "status", "area served by each office after, by the status of the office", []styleClass{
				{Value: string(Kept), Label: lb.Kept, Props: fillProps("31,120,180,45", "solid", "31,120,180,255", "0.5")},
				{Value: string(New), Label: lb.New, Props: fillProps("51,160,44,80", "solid", "51,160,44,255", "0.7")},
			})
		default:
			continue
		}
		out = append(out, s)
	}
	return out, nil
}

func categorized(l gpkgLayer, attr, desc string, classes []styleClass) layerStyle {
	return withSymbol(layerStyle{Layer: l.name, Description: desc, Renderer: "categorizedSymbol", Attr: attr, Classes: classes}, l.geomType)
}

func graduated(l gpkgLayer, attr, desc string, classes []styleClass) layerStyle {
	return withSymbol(layerStyle{Layer: l.name, Description: desc, Renderer: "graduatedSymbol", Attr: attr, Classes: classes}, l.geomType)
}

// withSymbol sets the symbol kind a layer of geomType draws with.
func withSymbol(s layerStyle, geomType string) layerStyle {
	s.SymbolType, s.SymbolLayer = "fill", "SimpleFill"
	if geomType == "POINT" {
		s.SymbolType, s.SymbolLayer = "marker", "SimpleMarker"
	}
	return s
}

// minutesClasses splits travel minutes at half, one, one and a half and
// two times the rule: the two green classes are residents within the rule.
// Cells are drawn without outlines (hexagons, or small dots when the run
// has point cells).
func minutesClasses(rule float64, unit string, nf numberFormat, geomType string) []styleClass {
	edges := []float64{0, rule / 2, rule, 1.5 * rule, 2 * rule, math.Max(1e6, 4*rule)}
	num := func(v float64) string {
		if v == math.Trunc(v) {
			return nf.Float(v, 0)
		}
		return nf.Float(v, 1)
	}
	palette := minutesPalette()
	out := make([]styleClass, 0, len(palette))
	for i, colour := range palette {
		lo, hi := edges[i], edges[i+1]
		label := fmt.Sprintf("%s–%s %s", num(lo), num(hi), unit)
		switch i {
		case 0:
			label = fmt.Sprintf("≤ %s %s", num(hi), unit)
		case len(palette) - 1:
			label = fmt.Sprintf("> %s %s", num(lo), unit)
		}
		props := fillProps(colour+",210", "solid", "", "0")
		if geomType == "POINT" {
			props = markerProps("circle", colour+",255", "0,0,0,0", "0", "1.2")
		}
		out = append(out, styleClass{Lower: fixed(lo, 3), Upper: fixed(hi, 3), Label: label, Props: props})
	}
	return out
}

// fillProps are the properties of a SimpleFill symbol layer, sorted by
// key as QGIS writes them; colours are "r,g,b,alpha". An empty outline
// draws none.
func fillProps(fill, style, outline, width string) []styleProp {
	outlineStyle := "solid"
	if outline == "" {
		outline, outlineStyle = "0,0,0,0", "no"
	}
	return []styleProp{
		{"color", fill},
		{"outline_color", outline},
		{"outline_style", outlineStyle},
		{"outline_width", width},
		{"outline_width_unit", "MM"},
		{"style", style},
	}
}

// markerProps are the properties of a SimpleMarker symbol layer; shape is
// a QGIS marker name (circle, star, cross2, …), sizes in millimetres.
func markerProps(shape, fill, outline, width, size string) []styleProp {
	return []styleProp{
		{"angle", "0"},
		{"color", fill},
		{"name", shape},
		{"outline_color", outline},
		{"outline_style", "solid"},
		{"outline_width", width},
		{"outline_width_unit", "MM"},
		{"scale_method", "diameter"},
		{"size", size},
		{"size_unit", "MM"},
	}
}

// qmlTmpl is qmlTemplate parsed once; the embedded text is fixed, so a
// parse error is a build fault.
var qmlTmpl = template.Must(template.New("qml").Funcs(template.FuncMap{"x": xmlEscape}).Parse(qmlTemplate))

// qml renders a style as a QML document.
func (s layerStyle) qml() (string, error) {
	var b bytes.Buffer
	if err := qmlTmpl.Execute(&b, s); err != nil {
		return "", fmt.Errorf("qml %s: %w", s.Layer, err)
	}
	return b.String(), nil
}

// xmlEscape makes text safe inside an XML attribute value.
func xmlEscape(s string) string {
	var b strings.Builder
	xml.EscapeText(&b, []byte(s)) // never fails on a strings.Builder
	return b.String()
}

// layerStylesSchema is the table QGIS saves layer styles in (the same in
// GeoPackage, SpatiaLite and PostGIS): QGIS loads the row of a layer with
// useAsDefault set when the layer is opened. It is registered in
// gpkg_contents as an attributes table, as GDAL and QGIS do, so the
// GeoPackage stays valid.
const layerStylesSchema = `CREATE TABLE "layer_styles" (
	"id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
	"f_table_catalog" TEXT(256), "f_table_schema" TEXT(256), "f_table_name" TEXT(256), "f_geometry_column" TEXT(256),
	"styleName" TEXT(30), "styleQML" TEXT, "styleSLD" TEXT, "useAsDefault" BOOLEAN, "description" TEXT,
	"owner" TEXT(30), "ui" TEXT(30), "update_time" DATETIME DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')))`

// writeStyles creates layer_styles with one default style per layer.
// update_time is the file's fixed timestamp, not the clock, so the bytes
// depend only on the run.
func writeStyles(ctx context.Context, db *sql.DB, styles []layerStyle) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, layerStylesSchema); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO gpkg_contents (table_name, data_type, identifier, description, last_change)
		VALUES ('layer_styles', 'attributes', 'layer_styles', 'QGIS default style of each layer', ?)`, gpkgTimestamp); err != nil {
		return err
	}
	for _, s := range styles {
		doc, err := s.qml()
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO layer_styles (f_table_catalog, f_table_schema, f_table_name, f_geometry_column,
			styleName, styleQML, styleSLD, useAsDefault, description, owner, ui, update_time)
			VALUES ('', '', ?, 'geom', ?, ?, '', 1, ?, '', '', ?)`, s.Layer, s.Layer, doc, s.Description, gpkgTimestamp); err != nil {
			return fmt.Errorf("style of %s: %w", s.Layer, err)
		}
	}
	return tx.Commit()
}
