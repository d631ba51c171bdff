package dossier

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/onestop/onestop/data"
)

// dailyRows writes n valid counter rows, one a day at 09:00 from 2025-01-06,
// ids prefixed by p, each followed by extra (e.g. ",x" for an extra column).
func dailyRows(p string, n int, extra string) string {
	var b strings.Builder
	day := time.Date(2025, time.January, 6, 9, 0, 0, 0, time.UTC)
	for i := range n {
		fmt.Fprintf(&b, "%s%d,p,%s,,,o1,A,counter%s\n", p, i, day.AddDate(0, 0, i).Format("2006-01-02 15:04"), extra)
	}
	return b.String()
}

func TestLoadLogPlausibility(t *testing.T) {
	hdr := strings.TrimSuffix(header, "\n")
	tests := []struct {
		name    string
		content string
		wantErr string // "" when the log loads
		rows    int    // rows used, when it loads
		days    int
		// a problem containing probLine ("line N") and probMsg, if probMsg != ""
		probLine int
		probMsg  string
		warn     string // a whole-log warning containing this
	}{
		{
			name:    "extra column is ignored",
			content: hdr + ",note\n" + dailyRows("a", 40, ",hello"),
			rows:    40, days: 40,
		},
		{
			name:    "extra column first, columns by name",
			content: "note," + hdr + "\n" + prefixRows(dailyRows("a", 40, ""), "x,"),
			rows:    40, days: 40,
		},
		{
			name: "extra column and a short row: rejected by line, no panic",
			// line 2..41 good, line 42 has 8 fields where the header has 9.
			content: hdr + ",note\n" + dailyRows("a", 40, ",n") + "z,p,2025-01-07 09:00,,,o1,A,counter\n",
			rows:    40, days: 40,
			probLine: 42, probMsg: "8 columns, want 9 as in the header",
			warn: "1 of 41 rows rejected",
		},
		{
			name:    "long row rejected",
			content: header + dailyRows("a", 40, "") + "z,p,2025-01-07 09:00,,,o1,A,counter,x\n",
			rows:    40, days: 40,
			probLine: 42, probMsg: "9 columns, want 8",
			warn: "1 of 41 rows rejected",
		},
		{
			name:    "row dated 1900 is rejected, not stretching the span",
			content: header + dailyRows("a", 365, "") + "old,p,1900-01-01 09:00,,,o1,A,counter\n",
			rows:    365, days: 365,
			probLine: 367, probMsg: "received_at 1900-01-01 09:00 is outside the plausible range 2000-01-01 to 2026-12-31",
			warn: "1 of 366 rows rejected",
		},
		{
			name:    "row dated after next year is rejected",
			content: header + dailyRows("a", 365, "") + "new,p,2027-01-01T09:00:00+07:00,,,o1,A,counter\n",
			rows:    365, days: 365,
			probLine: 367, probMsg: "outside the plausible range",
			warn: "1 of 366 rows rejected",
		},
		{
			name:    "implausible due date rejects the row",
			content: header + dailyRows("a", 365, "") + "due,p,2025-03-03 09:00,,3025-03-03 17:00,o1,A,counter\n",
			rows:    365, days: 365,
			probLine: 367, probMsg: "due_at 3025-03-03 17:00 is outside",
			warn: "1 of 366 rows rejected",
		},
		{
			name:    "one-day log refused",
			content: header + sameDayRows(50),
			wantErr: "2025-01-06 to 2025-01-06, 1 day(s): too short to estimate a yearly volume",
		},
		{
			name:    "27 days refused",
			content: header + dailyRows("a", 27, ""),
			wantErr: "27 day(s)",
		},
		{
			name:    "28 days accepted",
			content: header + dailyRows("a", 28, ""),
			rows:    28, days: 28,
		},
		{
			name:    "99 % rejected refused",
			content: header + dailyRows("a", 40, "") + strings.Repeat("bad,p,never,,,o1,A,counter\n", 3960),
			wantErr: "3960 of 4000 rows rejected (99 %); 40 used: more than 5 % rejected",
		},
		{
			name:    "just above 5 % refused",
			content: header + dailyRows("a", 94, "") + dailyRows("b", 6, ",x"),
			wantErr: "6 of 100 rows rejected (6 %)",
		},
		{
			name:    "5 % loads with a warning",
			content: header + dailyRows("a", 95, "") + dailyRows("b", 5, ",x"),
			rows:    95, days: 95,
			warn: "5 of 100 rows rejected (5 %); 95 used",
		},
		{
			name:    "required column twice refused",
			content: hdr + ",office\n" + dailyRows("a", 40, ",o1"),
			wantErr: `header has column "office" twice (columns 6 and 9)`,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			log, probs, err := readLog(strings.NewReader(tc.content), "f.csv", set([]string{"o1"}), set([]string{"A"}), testNow)
			if tc.wantErr != "" {
				var ve *data.ValidationError
				if !errors.As(err, &ve) || !strings.Contains(err.Error(), tc.wantErr) || !strings.Contains(err.Error(), "f.csv") {
					t.Fatalf("err %v, want a validation error naming f.csv containing %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if log.Rows != tc.rows || log.Days() != tc.days {
				t.Errorf("rows %d over %d days, want %d over %d", log.Rows, log.Days(), tc.rows, tc.days)
			}
			found, warned := tc.probMsg == "", tc.warn == ""
			for _, p := range probs {
				if tc.probMsg != "" && p.Record == tc.probLine && strings.Contains(p.Msg, tc.probMsg) &&
					strings.Contains(p.Msg, fmt.Sprintf("line %d", tc.probLine)) && p.Severity == data.Error {
					found = true
				}
				if tc.warn != "" && p.Record == 0 && p.Severity == data.Warning && strings.Contains(p.Msg, tc.warn) {
					warned = true
				}
			}
			if !found || !warned {
				t.Errorf("problems %v: want line %d %q (found %v), warning %q (found %v)", probs, tc.probLine, tc.probMsg, found, tc.warn, warned)
			}
			if tc.warn == "" && tc.probMsg == "" && len(probs) != 0 {
				t.Errorf("unexpected problems %v", probs)
			}
		})
	}
}

// TestLoadLogOldDateKeepsVolume: one row dated 1900 in a year of daily rows
// used to stretch the span to 125 years, dividing the yearly volume by 125.
func TestLoadLogOldDateKeepsVolume(t *testing.T) {
	content := header + dailyRows("a", 365, "") + "old,p,1900-01-01 09:00,,,o1,A,counter\n"
	log, _, err := readLog(strings.NewReader(content), "f.csv", nil, nil, testNow)
	if err != nil {
		t.Fatal(err)
	}
	r, err := log.CommuneRates(1)
	if err != nil {
		t.Fatal(err)
	}
	if got := r["A"].PerYear; math.Abs(got-365) > 1e-9 {
		t.Errorf("commune A: %v dossiers a year, want 365", got)
	}
}

// TestLoadLogListsFirstProblems: a log with many bad rows lists the first
// maxRowProblems and counts the rest.
func TestLoadLogListsFirstProblems(t *testing.T) {
	var bad strings.Builder
	for i := range 1000 {
		fmt.Fprintf(&bad, "b%d,p,1999-12-31 09:00,,,o1,A,counter\n", i)
	}
	content := header + dailyRows("a", 40, "") + bad.String()
	_, probs, err := readLog(strings.NewReader(content), "f.csv", nil, nil, testNow)
	if err == nil {
		t.Fatal("a log with 1000 of 1040 rows rejected loaded")
	}
	rows := 0
	more := false
	for _, p := range probs {
		if p.Record > 0 {
			rows++
		}
		if strings.Contains(p.Msg, fmt.Sprintf("%d more row problem(s) not listed", 1000-maxRowProblems)) {
			more = true
		}
	}
	if rows != maxRowProblems || !more {
		t.Errorf("%d row problems listed (want %d), count of the rest given: %v", rows, maxRowProblems, more)
	}
}

func TestCommuneRatesRefuses(t *testing.T) {
	day := time.Date(2025, 1, 6, 0, 0, 0, 0, time.UTC)
	year := &Log{File: "y.csv", First: day, Last: day.AddDate(0, 0, 364), ByCommune: map[string]*ChannelCounts{"A": {Counter: 10}}}
	oneDay := &Log{File: "d.csv", First: day, Last: day, ByCommune: map[string]*ChannelCounts{"A": {Counter: 10}}}
	tests := []struct {
		name   string
		log    *Log
		sample float64
		want   string
	}{
		{"sample 0", year, 0, "log_sample 0 is out of range"},
		{"sample NaN", year, math.NaN(), "log_sample NaN"},
		{"sample +Inf", year, math.Inf(1), "log_sample +Inf"},
		{"sample above 1", year, 1.5, "log_sample 1.5"},
		{"negative sample", year, -0.1, "log_sample -0.1"},
		{"one day", oneDay, 1, "d.csv: dossiers received over 1 day(s)"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := tc.log.CommuneRates(tc.sample); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err %v, want it to contain %q", err, tc.want)
			}
		})
	}
}

// sameDayRows writes n valid counter rows all received on 2025-01-06.
func sameDayRows(n int) string {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, "s%d,p,2025-01-06 %02d:%02d,,,o1,A,counter\n", i, 8+i/60, i%60)
	}
	return b.String()
}

// prefixRows puts p before every line of rows.
func prefixRows(rows, p string) string {
	lines := strings.SplitAfter(rows, "\n")
	for i, l := range lines {
		if l != "" {
			lines[i] = p + l
		}
	}
	return strings.Join(lines, "")
}
