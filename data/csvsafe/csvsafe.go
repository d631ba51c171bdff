// Package csvsafe writes CSV that a spreadsheet opens as data, never as
// formulas. Names in onestop's inputs (communes, offices, districts) come
// from files anyone may edit; Excel, LibreOffice and Google Sheets evaluate
// a cell that starts with = + - @ (and, in some versions, a tab or carriage
// return), so a commune called "=HYPERLINK(...)" would run when an analyst
// opens cells.csv. Cell neutralises such text by prefixing an apostrophe,
// the convention OWASP recommends and spreadsheets hide on display.
//
// Numbers are left alone: "-12.5" is a value a spreadsheet must read as
// negative twelve and a half, and it cannot carry a formula.
package csvsafe

import (
	"encoding/csv"
	"io"
	"strconv"
)

// Cell returns s as a spreadsheet will read it as text: unchanged unless it
// starts with a character that would make it a formula and is not a number.
func Cell(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
	default:
		return s
	}
	if _, err := strconv.ParseFloat(s, 64); err == nil && s[0] != '\t' && s[0] != '\r' {
		return s
	}
	return "'" + s
}

// Writer is a csv.Writer whose every record goes through Cell.
type Writer struct {
	*csv.Writer
	buf []string
}

// NewWriter returns a Writer on w.
func NewWriter(w io.Writer) *Writer { return &Writer{Writer: csv.NewWriter(w)} }

// Write writes one record with every cell neutralised; record itself is not modified.
func (w *Writer) Write(record []string) error {
	w.buf = w.buf[:0]
	for _, s := range record {
		w.buf = append(w.buf, Cell(s))
	}
	return w.Writer.Write(w.buf)
}

// WriteAll writes every record through Write and flushes.
func (w *Writer) WriteAll(records [][]string) error {
	for _, r := range records {
		if err := w.Write(r); err != nil {
			return err
		}
	}
	w.Flush()
	return w.Error()
}
