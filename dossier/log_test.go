package dossier

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/onestop/onestop/data"
)

const header = "id,procedure,received_at,returned_at,due_at,office,applicant_commune,channel\n"

func TestLoadLogReportsBadRows(t *testing.T) {
	rows := []string{
		"HS1,chung-thuc,2025-03-03 08:10,2025-03-03 09:00,2025-03-03 17:00,o1,A,counter",          // 2 ok (Monday)
		"HS2,chung-thuc,2025-13-03 08:10,,,o1,A,counter",                                          // 3 bad month
		"HS3,ho-tich,2025-03-04 09:00,2025-03-03 09:00,,o1,A,counter",                             // 4 returned before received
		"HS4,ho-tich,2025-03-04 09:00,,,o9,A,counter",                                             // 5 unknown office
		"HS5,ho-tich,2025-03-04 09:00,,,o1,Z,counter",                                             // 6 unknown commune
		"HS1,ho-tich,2025-03-04 09:00,,,o1,A,counter",                                             // 7 duplicate of line 2
		"HS7,ho-tich,2025-03-04 09:00,,o1,A,counter",                                              // 8 seven columns
		"HS8,ho-tich,2025-03-04 09:00,,,o1,A,walk-in",                                             // 9 unknown channel
		"HS9,dat-dai,2025-03-04T02:30:00Z,2025-03-10T09:00:00+07:00,2025-03-05 17:00,o2,B,online", // 10 ok; 09:30 ICT
		`HS10,"bad"quote,2025-03-04 09:00,,,o1,A,counter`,                                         // 11 malformed CSV
		"HS11,chung-thuc,2025-03-05 10:59,,,o2,B,postal",                                          // 12 ok
		"HS12,chung-thuc,03/05/2025,,,o2,B,counter",                                               // 13 wrong date format
	}
	content := header + strings.Join(rows, "\n") + "\n"
	// The row checks alone (scanLog): LoadLog refuses this log as a whole,
	// 9 of 12 rows rejected over 3 days, see TestLoadLogPlausibility.
	lr, err := scanLog(strings.NewReader(content), "log.csv", set([]string{"o1", "o2"}), set([]string{"A", "B"}), testNow)
	if err != nil {
		t.Fatal(err)
	}
	log, probs := lr.log, lr.probs
	want := []struct {
		line  int
		field string
		msg   string
	}{
		{3, "received_at", `bad time "2025-13-03 08:10"`},
		{4, "returned_at", "is before received_at"},
		{5, "office", `unknown office "o9"`},
		{6, "applicant_commune", `unknown commune "Z"`},
		{7, "id", `duplicate id "HS1" (first on line 2)`},
		{8, "", "7 columns, want 8 as in the header"},
		{9, "channel", `unknown channel "walk-in"`},
		{11, "", "malformed CSV"},
		{13, "received_at", `bad time "03/05/2025"`},
	}
	if len(probs) != len(want) {
		t.Fatalf("%d problems, want %d:\n%v", len(probs), len(want), probs)
	}
	for i, w := range want {
		p := probs[i]
		if p.Record != w.line || p.Field != w.field || !strings.Contains(p.Msg, w.msg) || p.Fix == "" || p.File != "log.csv" ||
			!strings.Contains(p.Msg, fmt.Sprintf("line %d", w.line)) || p.Severity != data.Error {
			t.Errorf("problem %d = %v; want line %d field %q containing %q with a fix", i, p, w.line, w.field, w.msg)
		}
	}
	if log.Rows != 3 || log.Skipped != 9 {
		t.Errorf("rows %d skipped %d, want 3 and 9", log.Rows, log.Skipped)
	}
	if got := *log.ByCommune["B"]; got != (ChannelCounts{Online: 1, Postal: 1}) {
		t.Errorf("commune B counts %+v", got)
	}
	if log.Arrivals[time.Monday][8] != 1 {
		t.Errorf("Monday 8h counter arrivals %d, want 1", log.Arrivals[time.Monday][8])
	}
	if log.Overdue != 1 || log.Returned != 2 {
		t.Errorf("returned %d overdue %d, want 2 and 1", log.Returned, log.Overdue)
	}
	if d := log.Days(); d != 3 {
		t.Errorf("log spans %d days, want 3 (3–5 March)", d)
	}
	if _, _, err := LoadLog(fstest.MapFS{"log.csv": {Data: []byte(content)}}, "log.csv", []string{"o1", "o2"}, []string{"A", "B"}); err == nil {
		t.Error("LoadLog accepted a log with 9 of 12 rows rejected")
	}
}

// testNow is the clock of the tests that call scanLog or readLog: times up
// to the end of 2026 are plausible.
var testNow = time.Date(2025, time.June, 1, 0, 0, 0, 0, time.UTC)

// scanTestLog reads a log with the row checks only, for tests of what a few
// rows aggregate to (LoadLog would refuse a log of a few days).
func scanTestLog(t *testing.T, content string) *Log {
	t.Helper()
	lr, err := scanLog(strings.NewReader(content), "l.csv", nil, nil, testNow)
	if err != nil {
		t.Fatal(err)
	}
	if len(lr.probs) != 0 {
		t.Fatalf("problems: %v", lr.probs)
	}
	return lr.log
}

func TestLoadLogFatal(t *testing.T) {
	tests := []struct {
		name, content, want string
	}{
		{"empty file", "", "cannot read header"},
		{"missing column", "id,procedure,received_at,returned_at,due_at,office,channel\n", `header lacks column "applicant_commune"`},
		{"no valid row", header + "x,p,never,,,o1,A,counter\n", "no valid dossier row"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			fsys := fstest.MapFS{"log.csv": {Data: []byte(tc.content)}}
			_, probs, err := LoadLog(fsys, "log.csv", nil, nil)
			var ve *data.ValidationError
			if !errors.As(err, &ve) || !strings.Contains(err.Error(), tc.want) || len(probs) == 0 {
				t.Errorf("err %v (problems %v), want a validation error containing %q", err, probs, tc.want)
			}
		})
	}
	if _, _, err := LoadLog(fstest.MapFS{}, "missing.csv", nil, nil); err == nil || !strings.Contains(err.Error(), "missing.csv") {
		t.Errorf("missing file: %v", err)
	}
}

func TestLogAggregates(t *testing.T) {
	// Columns in another order and a BOM: the header is matched by name.
	content := "\ufeffchannel,id,procedure,received_at,returned_at,due_at,office,applicant_commune\n" +
		"counter,1,p,2025-01-06 09:15,,,o1,A\n" + // Monday 9h
		"counter,2,p,2025-01-06 09:45,,,o1,A\n" +
		"counter,3,p,2025-01-06 07:40,,,o1,A\n" + // 7h: only 30 open minutes
		"online,4,p,2025-01-11 22:00,,,o1,A\n" + // Saturday night, online
		"trực tiếp,5,p,2025-01-07 14:10,,,o1,B\n" + // Vietnamese channel name
		"online,6,p,2025-02-02 22:00,,,o1,A\n" // Sunday night, online: the log spans 28 days
	log, probs, err := LoadLog(fstest.MapFS{"l.csv": {Data: []byte(content)}}, "l.csv", nil, nil)
	if err != nil || len(probs) != 0 {
		t.Fatalf("err %v, problems %v", err, probs)
	}
	p, err := log.Profile(DefaultSchedule())
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		d    time.Weekday
		h    int
		want float64
	}{
		{time.Monday, 9, 2.0 / 60},
		{time.Monday, 7, 1.0 / 30},
		{time.Tuesday, 14, 1.0 / 60},
		{time.Saturday, 22, 0}, // closed, and online
	}
	for _, tc := range tests {
		if got := p.Weight[tc.d][tc.h]; got != tc.want {
			t.Errorf("weight %s %dh = %v, want %v", tc.d, tc.h, got, tc.want)
		}
	}
	rates, err := log.CommuneRates(0.5)
	if err != nil {
		t.Fatal(err)
	}
	// 6 Jan to 2 Feb is 28 days: 5 dossiers / 0.5 * 365/28.
	if got, want := rates["A"].PerYear, 5/0.5*365/28.0; got != want {
		t.Errorf("commune A: %v dossiers a year, want %v", got, want)
	}
	if got := rates["A"].CounterShare; got != 0.6 {
		t.Errorf("commune A counter share %v, want 0.6", got)
	}
	if _, err := log.CommuneRates(0); err == nil {
		t.Error("sample 0 accepted")
	}
}
