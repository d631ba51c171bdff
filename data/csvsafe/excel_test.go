package csvsafe

import (
	"bytes"
	"encoding/csv"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// excelCases are cells as a program writes them (standard dialect) and as
// the Excel dialect must carry them. num marks the cells Excel must read as
// numbers: they parse back, with "," as decimal mark, to the same value.
var excelCases = []struct {
	name, in, want string
	num            bool
}{
	{"decimal", "4.1", "4,1", true},
	{"negative", "-12.5", "-12,5", true},
	{"small share", "0.0001", "0,0001", true},
	{"exponent", "1.5e-3", "1,5e-3", true},
	{"negative exponent upper", "-2.5E+10", "-2,5E+10", true},
	{"exponent without point", "1e-31", "1e-31", true},
	{"integer", "2426561", "2426561", true},
	{"negative integer", "-7", "-7", true},
	{"zero", "0", "0", true},
	{"lon", "106.652321", "106,652321", true},
	{"id with leading zero", "01.05", "01.05", false},
	{"h3 id", "8865b1d4b5fffff", "8865b1d4b5fffff", false},
	{"commune code", "25441", "25441", true},
	{"version-like", "1.2.3", "1.2.3", false},
	{"already comma", "1,5", "1,5", false},
	{"overflow", "1.0e400", "1.0e400", false},
	{"boolean", "true", "true", false},
	{"empty", "", "", false},
	{"vietnamese", "Phường Phú Cường", "Phường Phú Cường", false},
	{"separator inside", "Thủ Dầu Một; Bình Dương", "Thủ Dầu Một; Bình Dương", false},
	{"comma inside", "Dĩ An, Bình Dương", "Dĩ An, Bình Dương", false},
	{"newline inside", "dòng 1\ndòng 2", "dòng 1\ndòng 2", false},
	{"quotes inside", `Trung tâm "Một cửa"`, `Trung tâm "Một cửa"`, false},
	{"formula", `=HYPERLINK("http://x","y")`, `'=HYPERLINK("http://x","y")`, false},
	{"formula with decimal", "=1.5+2", "'=1.5+2", false},
	{"minus formula", "-2+3", "'-2+3", false},
	{"at formula", "@SUM(A1:A9)", "'@SUM(A1:A9)", false},
	{"neutralised before", "'=1+1", "'=1+1", false},
}

func TestExcelCell(t *testing.T) {
	for _, c := range excelCases {
		t.Run(c.name, func(t *testing.T) {
			if got := ExcelCell(c.in); got != c.want {
				t.Errorf("ExcelCell(%q) = %q, want %q", c.in, got, c.want)
			}
		})
	}
}

// TestToExcelRoundTrip writes every case as one row of a standard CSV,
// converts it and reads it back as a Vietnamese spreadsheet would: ";"
// between fields, "," as decimal mark.
func TestToExcelRoundTrip(t *testing.T) {
	records := [][]string{{"case", "value", "tên"}}
	for _, c := range excelCases {
		records = append(records, []string{c.name, c.in, "Xã Tân Định"})
	}
	var std bytes.Buffer
	if err := NewWriter(&std).WriteAll(records); err != nil {
		t.Fatal(err)
	}
	var xl bytes.Buffer
	if err := ToExcel(&std, &xl); err != nil {
		t.Fatal(err)
	}
	raw := xl.Bytes()
	if !bytes.HasPrefix(raw, []byte(BOM)) {
		t.Fatalf("no BOM: % x", raw[:8])
	}
	if n := bytes.Count(raw, []byte("\n")); n != bytes.Count(raw, []byte("\r\n")) {
		t.Errorf("%d line feeds, of them %d after a carriage return: want CRLF throughout", n, bytes.Count(raw, []byte("\r\n")))
	}
	rd := csv.NewReader(bytes.NewReader(raw[len(BOM):]))
	rd.Comma = ';'
	got, err := rd.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(records) || got[0][2] != "tên" {
		t.Fatalf("read %d records (header %q), want %d", len(got), got[0], len(records))
	}
	for i, c := range excelCases {
		t.Run(c.name, func(t *testing.T) {
			row := got[i+1]
			if len(row) != 3 || row[0] != c.name || row[2] != "Xã Tân Định" {
				t.Fatalf("row %q", row)
			}
			if row[1] != c.want {
				t.Errorf("cell %q, want %q", row[1], c.want)
			}
			if !c.num {
				return
			}
			v, err := strconv.ParseFloat(strings.Replace(row[1], ",", ".", 1), 64)
			want, _ := strconv.ParseFloat(c.in, 64)
			if err != nil || v != want {
				t.Errorf("%q reads back as %v (%v), want %v", row[1], v, err, want)
			}
		})
	}
}

func TestToExcelInput(t *testing.T) {
	tests := []struct {
		name, in, want string
		wantErr        bool
	}{
		{"bom in input is not a header", BOM + "a,b\n1.5,x\n", BOM + "a;b\r\n1,5;x\r\n", false},
		{"crlf input", "a,b\r\n-0.5,y\r\n", BOM + "a;b\r\n-0,5;y\r\n", false},
		{"ragged records", "a,b,c\n1.5\n", BOM + "a;b;c\r\n1,5\r\n", false},
		{"empty input", "", BOM, false},
		{"semicolon quoted", "\"x;y\",2.5\n", BOM + "\"x;y\";2,5\r\n", false},
		{"bare quote", "a,b\"c\n", "", true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var out bytes.Buffer
			err := ToExcel(strings.NewReader(tc.in), &out)
			if (err != nil) != tc.wantErr {
				t.Fatalf("err = %v, want error %v", err, tc.wantErr)
			}
			if !tc.wantErr && out.String() != tc.want {
				t.Errorf("got %q, want %q", out.String(), tc.want)
			}
		})
	}
}

func TestToExcelFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "merges.csv")
	in := "from,to,max_km\nA,B,4.06\n"
	if err := os.WriteFile(path, []byte(in), 0o640); err != nil {
		t.Fatal(err)
	}
	if err := ToExcelFile(path); err != nil {
		t.Fatal(err)
	}
	want := BOM + "from;to;max_km\r\nA;B;4,06\r\n"
	got, _ := os.ReadFile(path)
	if string(got) != want {
		t.Fatalf("converted %q, want %q", got, want)
	}
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o640 {
		t.Errorf("mode %v, want 0640 kept", fi.Mode().Perm())
	}
	// A second run leaves the converted file alone.
	if err := ToExcelFile(path); err != nil {
		t.Fatal(err)
	}
	if again, _ := os.ReadFile(path); !bytes.Equal(again, got) {
		t.Errorf("second conversion changed the file: %q", again)
	}
	// A broken file is reported and left as it was.
	bad := filepath.Join(dir, "bad.csv")
	os.WriteFile(bad, []byte("a,b\"c\n"), 0o644)
	if err := ToExcelFile(bad); err == nil || !strings.Contains(err.Error(), "bad.csv") {
		t.Errorf("err = %v, want an error naming the file", err)
	}
	if b, _ := os.ReadFile(bad); string(b) != "a,b\"c\n" {
		t.Errorf("broken file changed: %q", b)
	}
	if err := ToExcelFile(filepath.Join(dir, "missing.csv")); err == nil {
		t.Error("missing file: no error")
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".") {
			t.Errorf("temporary file left behind: %s", e.Name())
		}
	}
}
