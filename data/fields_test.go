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
