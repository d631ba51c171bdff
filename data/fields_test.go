package data

import (
	"strings"
	"testing"
)

func TestParseCount(t *testing.T) {
	cases := []struct {
		in   string
		want int64
		msg  string
	}{
		{"18264", 18264, ""},
		{" 42 ", 42, ""},
		{"1234.0", 1234, ""},
		{"0", 0, ""},
		{"", 0, "empty"},
		{"-5", 0, "negative"},
		{"-5.5", 0, "negative"},
		{"12.5", 0, "fractional"},
		{"abc", 0, "not a number"},
		{"1,234", 0, "not a number"},
		{"NaN", 0, "not a number"},
		{"1e20", 0, "implausibly large"},
		{"1e15", 0, "implausibly large"},
		{"9223372036854775807", 0, "implausibly large"},
		{"9223372036854775808", 0, "implausibly large"},
		{"100000001", 0, "the most accepted is 100,000,000"},
		{"100000000", 100_000_000, ""},
		{"1e8", 100_000_000, ""},
		{"1e400", 0, "implausibly large"},
		{"-1e400", 0, "negative"},
		{"Inf", 0, "not a number"},
		{"-Inf", 0, "not a number"},
		{"0x10", 0, "not a number"},
		{"0x1p4", 0, "not a number"},
	}
	for _, c := range cases {
		n, msg := parseCount(c.in, MaxPopulation)
		if n != c.want || (c.msg == "") != (msg == "") || !strings.Contains(msg, c.msg) {
			t.Errorf("parseCount(%q) = %d, %q; want %d, %q", c.in, n, msg, c.want, c.msg)
		}
	}
}

func TestParseCoordAndBool(t *testing.T) {
	if v, msg := parseCoord("106.65"); v != 106.65 || msg != "" {
		t.Errorf("parseCoord = %v %q", v, msg)
	}
	if _, msg := parseCoord("106,65"); !strings.Contains(msg, "decimal point") {
		t.Errorf("decimal comma not explained: %q", msg)
	}
	for in, want := range map[string]bool{"yes": true, "TRUE": true, "1": true, "no": false, "0": false, "": false} {
		if got, msg := parseBool(in); got != want || msg != "" {
			t.Errorf("parseBool(%q) = %v %q", in, got, msg)
		}
	}
	if _, msg := parseBool("maybe"); msg == "" {
		t.Error("parseBool(maybe) accepted")
	}
}

func TestReadCSVSemicolonAndBOM(t *testing.T) {
	tab, probs := readCSV("x.csv", []byte("\xef\xbb\xbfid;lon;lat\nA;106.6;11.0\n\nB;106.7;11.1\n"))
	if len(probs) != 0 || tab == nil {
		t.Fatalf("problems %v", probs)
	}
	if tab.col("id") != 0 || len(tab.rows) != 2 || tab.rows[1].Record != 2 || tab.cell(tab.rows[1], 1) != "106.7" {
		t.Errorf("table %+v", tab)
	}
	if _, probs := readCSV("x.csv", []byte("id,id\n1,2\n")); len(probs) != 1 || !strings.Contains(probs[0].Msg, "twice") {
		t.Errorf("duplicate header not reported: %v", probs)
	}
}

func TestParseCountBounds(t *testing.T) {
	cases := []struct {
		in   string
		max  int64
		want int64
		msg  string
	}{
		{"10000", MaxStaff, 10000, ""},
		{"10001", MaxStaff, 0, "the most accepted is 10,000"},
		{"4294967296", MaxStaff, 0, "implausibly large"}, // would wrap a 32-bit int
		{"2.5", MaxStaff, 0, "fractional"},
	}
	for _, c := range cases {
		n, msg := parseCount(c.in, c.max)
		if n != c.want || (c.msg == "") != (msg == "") || !strings.Contains(msg, c.msg) {
			t.Errorf("parseCount(%q, %d) = %d, %q; want %d, %q", c.in, c.max, n, msg, c.want, c.msg)
		}
	}
}

func TestParseFloatField(t *testing.T) {
	cases := []struct {
		in   string
		want float64
		msg  string
	}{
		{"12000", 12000, ""},
		{"1e8", 1e8, ""},
		{"1e12", 0, "implausibly large"},
		{"-1", 0, "negative"},
		{"NaN", 0, "not a number"},
		{"+Inf", 0, "not a number"},
		{"0x10", 0, "not a number"},
	}
	for _, c := range cases {
		f, msg := parseFloatField(c.in, MaxDossiersPerYear)
		if f != c.want || (c.msg == "") != (msg == "") || !strings.Contains(msg, c.msg) {
			t.Errorf("parseFloatField(%q) = %v, %q; want %v, %q", c.in, f, msg, c.want, c.msg)
		}
	}
}

// TestCountFixNamesMax keeps the advice text in step with the limit.
func TestCountFixNamesMax(t *testing.T) {
	if !strings.Contains(countFix, Thousands(MaxPopulation)) {
		t.Errorf("countFix %q does not name MaxPopulation %s", countFix, Thousands(MaxPopulation))
	}
}

func TestCheckText(t *testing.T) {
	cases := []struct {
		name string
		in   string
		out  string // the text kept, when accepted
		msg  string // part of the problem, when refused
	}{
		{"plain", "a,b\n", "a,b\n", ""},
		{"BOM dropped", "\xef\xbb\xbf{\"type\":1}", "{\"type\":1}", ""},
		{"Vietnamese UTF-8", "Thị trấn Dầu Tiếng\n", "Thị trấn Dầu Tiếng\n", ""},
		{"cp1258 on line 3", "id,name\n1,ok\n2,X\xe3 Hai\n", "", "byte 0xe3 at line 3 is not valid UTF-8"},
		{"truncated sequence at the end", "ok\n\xe1\xba", "", "at line 2"},
		{"UTF-16LE", "\xff\xfei\x00d\x00", "", "UTF-16"},
		{"UTF-16BE", "\xfe\xff\x00i\x00d", "", "UTF-16"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			b, p, ok := checkText("x.csv", []byte(c.in))
			if ok != (c.msg == "") {
				t.Fatalf("ok = %v, problem %v", ok, p)
			}
			if ok && string(b) != c.out {
				t.Errorf("text %q, want %q", b, c.out)
			}
			if !ok && (!strings.Contains(p.Msg, c.msg) || !strings.Contains(p.Fix, "iconv") || p.File != "x.csv") {
				t.Errorf("problem %+v, want a message with %q and an iconv fix", p, c.msg)
			}
		})
	}
}
