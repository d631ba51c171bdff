package data

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
)

// csvTable is a CSV file with a header row. Rows with the wrong number of
// cells are reported and dropped so the rest of the file is still checked.
type csvTable struct {
	file  string
	cols  map[string]int
	names []string
	rows  []csvRow
}

// csvRow is one data row; Record counts data rows from 1 (the header is not a record).
type csvRow struct {
	Record int
	Line   int
	Cells  []string
}

// maxCSVParseErrors stops reading a file that is not CSV at all after a few
// faults instead of reporting every line of it.
const maxCSVParseErrors = 20

// readCSV reads a CSV file into a table, recording its problems; nil when
// the file cannot be used at all.
func (l *loader) readCSV(file string, b []byte) *csvTable {
	t, probs := readCSV(file, b)
	l.probs = append(l.probs, probs...)
	return t
}

// readCSV parses a CSV file and returns its problems alongside.
func readCSV(file string, b []byte) (*csvTable, []Problem) {
	b = trimBOM(b) // spreadsheet exports often start with a BOM
	r := csv.NewReader(bytes.NewReader(b))
	r.FieldsPerRecord = -1
	r.Comma = sniffComma(b)
	var probs []Problem
	header, err := r.Read()
	if errors.Is(err, io.EOF) {
		return nil, []Problem{{File: file, Msg: "the CSV file is empty (no header row)",
			Fix: "the first row must name the columns"}}
	}
	if err != nil {
		return nil, []Problem{{File: file, Msg: "cannot read the header row: " + err.Error(),
			Fix: "the file is corrupt or not CSV; re-export it as comma-separated UTF-8"}}
	}
	t := &csvTable{file: file, cols: map[string]int{}}
	for i, h := range header {
		h = strings.TrimSpace(h)
		t.names = append(t.names, h)
		if _, dup := t.cols[h]; dup {
			probs = append(probs, Problem{File: file, Field: h, Msg: fmt.Sprintf("column %q appears twice in the header", h),
				Fix: "rename or delete one of the columns"})
			continue
		}
		t.cols[h] = i
	}
	rec, parseErrs := 0, 0
	for {
		line := 0
		row, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		rec++
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				line = pe.Line
			}
			probs = append(probs, Problem{File: file, Record: rec, Msg: fmt.Sprintf("corrupt CSV at line %d: %v", line, err),
				Fix: "quote cells containing commas or quotes; re-export the file as CSV"})
			if parseErrs++; parseErrs >= maxCSVParseErrors {
				probs = append(probs, Problem{File: file, Msg: "too many CSV errors, stopped reading",
					Fix: "check that the file is CSV"})
				break
			}
			continue
		}
		line, _ = r.FieldPos(0)
		if len(row) == 1 && strings.TrimSpace(row[0]) == "" {
			rec-- // blank line
			continue
		}
		if len(row) != len(header) {
			probs = append(probs, Problem{File: file, Record: rec,
				Msg: fmt.Sprintf("line %d has %d cells, the header has %d columns (file truncated or a stray separator?)", line, len(row), len(header)),
				Fix: "make every row have one cell per header column; quote cells that contain the separator"})
			continue
		}
		for i := range row {
			row[i] = strings.TrimSpace(row[i])
		}
		t.rows = append(t.rows, csvRow{Record: rec, Line: line, Cells: row})
	}
	return t, probs
}

// sniffComma picks ';' for files whose header has semicolons and no commas,
// as spreadsheets in Vietnamese locales write them.
func sniffComma(b []byte) rune {
	first := b
	if i := bytes.IndexByte(b, '\n'); i >= 0 {
		first = b[:i]
	}
	if bytes.IndexByte(first, ',') < 0 && bytes.IndexByte(first, ';') >= 0 {
		return ';'
	}
	if bytes.IndexByte(first, ',') < 0 && bytes.IndexByte(first, '\t') >= 0 {
		return '\t'
	}
	return ','
}

// col returns the index of a column, or -1.
func (t *csvTable) col(name string) int {
	if i, ok := t.cols[name]; ok {
		return i
	}
	return -1
}

func (t *csvTable) cell(r csvRow, col int) string {
	if col < 0 || col >= len(r.Cells) {
		return ""
	}
	return r.Cells[col]
}

func (t *csvTable) header() string { return strings.Join(t.names, ", ") }
