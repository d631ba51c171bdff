package csvsafe

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// BOM is the UTF-8 byte order mark. Excel reads a CSV as UTF-8 only when
// the file starts with it; without it, it guesses the Windows code page of
// its locale and garbles every Vietnamese diacritic.
const BOM = "\uFEFF"

// ExcelComma is the field separator of the Excel dialect. Where the decimal
// mark is "," (Vietnamese, most of Europe) Excel's list separator is ";",
// and a comma-separated file opens as one column.
const ExcelComma = ';'

// ToExcel rewrites a standard CSV (comma-separated, "." decimals, with or
// without BOM) read from r as the CSV Excel opens directly when set to
// Vietnamese, and writes it to w:
//
//   - UTF-8 with a BOM;
//   - ";" between fields (quoted when a field holds ";", a quote or a line
//     break);
//   - "," as decimal mark in numeric cells only: a cell written as a plain
//     decimal number ("-4.5", "1.5e-3") that is finite; ids ("01.05" with a
//     leading zero, H3 indexes), text and booleans are copied unchanged;
//   - every other cell neutralised as Cell does, so a name cannot run as a
//     formula;
//   - CRLF line ends, which Excel on Windows expects (also inside quoted
//     fields; a lone carriage return inside a field is dropped).
//
// Records may have different lengths. The output depends only on the input.
func ToExcel(r io.Reader, w io.Writer) error {
	br := bufio.NewReader(r)
	if err := skipBOM(br); err != nil {
		return fmt.Errorf("csvsafe: excel: %w", err)
	}
	in := csv.NewReader(br)
	in.FieldsPerRecord = -1
	in.ReuseRecord = true
	bw := bufio.NewWriter(w)
	if _, err := bw.WriteString(BOM); err != nil {
		return fmt.Errorf("csvsafe: excel: %w", err)
	}
	out := csv.NewWriter(bw)
	out.Comma = ExcelComma
	out.UseCRLF = true
	for {
		rec, err := in.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return fmt.Errorf("csvsafe: excel: read: %w", err)
		}
		for i, s := range rec {
			rec[i] = ExcelCell(s)
		}
		if err := out.Write(rec); err != nil {
			return fmt.Errorf("csvsafe: excel: write: %w", err)
		}
	}
	out.Flush()
	if err := out.Error(); err != nil {
		return fmt.Errorf("csvsafe: excel: write: %w", err)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("csvsafe: excel: write: %w", err)
	}
	return nil
}

// skipBOM drops a leading byte order mark: a CSV saved by Excel or Notepad
// may carry one, and left in it would become part of the first header.
func skipBOM(br *bufio.Reader) error {
	head, err := br.Peek(len(BOM))
	if err != nil && !errors.Is(err, io.EOF) {
		return err
	}
	if string(head) == BOM {
		_, err := br.Discard(len(BOM))
		return err
	}
	return nil // shorter than a BOM, or no BOM: nothing to skip
}

// ExcelCell is one cell of the Excel dialect: a decimal number with its "."
// replaced by ",", anything else as Cell makes it. The number test comes
// first because "-4,5" no longer parses as a number and Cell would give it
// an apostrophe.
func ExcelCell(s string) string {
	if isDecimal(s) {
		return strings.Replace(s, ".", ",", 1)
	}
	return Cell(s)
}

// isDecimal reports whether s is a finite number written as a program
// writes one: optional sign, an integer part without leading zeros, a
// fraction after ".", an optional exponent. Only such cells change their
// decimal mark; an id like "01.05" or "8865b1d4b5fffff" stays text, and a
// cell without "." needs no change.
func isDecimal(s string) bool {
	if !strings.Contains(s, ".") {
		return false
	}
	body := s
	if s != "" && (s[0] == '-' || s[0] == '+') {
		body = s[1:]
	}
	mant, exp, hasExp := strings.Cut(strings.ToLower(body), "e")
	whole, frac, _ := strings.Cut(mant, ".")
	if !allDigits(whole) || !allDigits(frac) {
		return false
	}
	if len(whole) > 1 && whole[0] == '0' {
		return false // a leading zero marks an id or a code
	}
	if hasExp {
		if exp != "" && (exp[0] == '-' || exp[0] == '+') {
			exp = exp[1:]
		}
		if !allDigits(exp) {
			return false
		}
	}
	v, err := strconv.ParseFloat(s, 64)
	return err == nil && !math.IsInf(v, 0) && !math.IsNaN(v)
}

// allDigits reports whether s is one or more ASCII digits.
func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// ToExcelFile converts the standard CSV at path to the Excel dialect in
// place (see ToExcel). It writes the result to a temporary file in the same
// directory, syncs it and renames it over path, so a reader sees either the
// old file or the new one, never half of it; the file keeps its mode.
//
// A file that already starts with the BOM is taken as converted and left
// as it is: the standard dialect this package writes never has one, and
// converting twice would split ";"-separated rows on their decimal commas.
// So running it over an output directory a second time is harmless.
func ToExcelFile(path string) error {
	src, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("csvsafe: excel %s: %w", path, err)
	}
	if bytes.HasPrefix(src, []byte(BOM)) {
		return nil
	}
	fi, err := os.Stat(path)
	if err != nil {
		return fmt.Errorf("csvsafe: excel %s: %w", path, err)
	}
	var out bytes.Buffer
	if err := ToExcel(bytes.NewReader(src), &out); err != nil {
		return fmt.Errorf("csvsafe: excel %s: %w", path, err)
	}
	if err := replaceFile(path, out.Bytes(), fi.Mode().Perm()); err != nil {
		return fmt.Errorf("csvsafe: excel %s: %w", path, err)
	}
	return nil
}

// replaceFile writes b to a temporary file beside path and renames it over
// path. The temporary file is removed on any failure.
func replaceFile(path string, b []byte, perm os.FileMode) (err error) {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".excel*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if _, err = tmp.Write(b); err != nil {
		return err
	}
	if err = tmp.Chmod(perm); err != nil {
		return err
	}
	if err = tmp.Sync(); err != nil {
		return err
	}
	if err = tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
