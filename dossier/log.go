package dossier

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"sort"
	"strings"
	"time"

	"github.com/onestop/onestop/data"
)

// Channel is how a dossier reached the office. Only counter dossiers queue.
type Channel string

const (
	Online  Channel = "online"  // trực tuyến
	Counter Channel = "counter" // trực tiếp
	Postal  Channel = "postal"  // bưu chính công ích
)

// logHeader is the dossier log's header, in the order GenerateLog writes it.
const (
	logHeader   = "id,procedure,received_at,returned_at,due_at,office,applicant_commune,channel"
	logColumnsN = 8
)

// Plausibility checks of a dossier log (docs/dossiers.md, "Plausibility
// checks"). A log's yearly volumes are its counts scaled by 365 / days
// covered, so one mistyped date or a log of one day turns into a wrong
// number that looks like any other; these checks refuse such logs instead.
const (
	// EarliestLogYear is the first year a log's times may fall in; later
	// than the end of next year (from the clock) is rejected too.
	EarliestLogYear = 2000
	// MinLogDays is the shortest span, first to last received day inclusive,
	// from which a yearly volume is estimated.
	MinLogDays = 28
	// MaxRejectedShare is the largest share of rejected rows a log may have;
	// above it the log is refused, at or below it a warning gives the count.
	MaxRejectedShare = 0.05
	// maxRowProblems bounds the row problems listed one by one, so a log of
	// a million bad rows gives a readable report; the rest are counted.
	maxRowProblems = 200
)

// LogHeader returns the dossier log's CSV columns.
func LogHeader() []string { return strings.Split(logHeader, ",") }

// ict is Vietnam's time zone; the log's wall-clock times are read in it and
// RFC 3339 times are converted to it, so hours of day are local hours.
func ict() *time.Location { return time.FixedZone("ICT", 7*3600) }

// Log is a dossier log aggregated while it is read: only what the demand and
// queue models need is kept, so a log of millions of rows fits in memory.
type Log struct {
	File    string
	Rows    int // valid rows loaded
	Skipped int // rows rejected with a problem
	// First and Last are the calendar days (ICT) of the earliest and latest received_at.
	First, Last time.Time
	// ByCommune counts dossiers per applicant commune code and channel.
	ByCommune map[string]*ChannelCounts
	// ByOffice counts dossiers per receiving office id and channel.
	ByOffice map[string]*ChannelCounts
	// Arrivals counts counter dossiers by weekday (time.Weekday) and hour received.
	Arrivals [7][24]int64
	Returned int64 // dossiers with a returned_at
	Overdue  int64 // returned after due_at
}

// ChannelCounts counts dossiers by channel.
type ChannelCounts struct {
	Online, Counter, Postal int64
}

// Total is the count over all channels.
func (c ChannelCounts) Total() int64 { return c.Online + c.Counter + c.Postal }

func (c *ChannelCounts) add(ch Channel) {
	switch ch {
	case Online:
		c.Online++
	case Counter:
		c.Counter++
	case Postal:
		c.Postal++
	}
}

// LoadLog reads a dossier log CSV (format in docs/dossiers.md). Columns are
// found by header name; extra columns are ignored. Malformed rows, and rows
// with a time before EarliestLogYear or after the end of next year, are
// reported as problems with their line number and skipped; the other rows
// still load, with a warning giving the count. knownOffices and
// knownCommunes, when non-nil, are the valid office ids and commune codes.
// The error is non-nil when the file cannot be used at all (missing,
// unreadable, bad header, no valid row) or cannot give yearly volumes (more
// than MaxRejectedShare of its rows rejected, or fewer than MinLogDays days
// covered); it is then a *data.ValidationError when problems explain it.
func LoadLog(fsys fs.FS, name string, knownOffices, knownCommunes []string) (*Log, data.Problems, error) {
	f, err := fsys.Open(name)
	if err != nil {
		return nil, nil, fmt.Errorf("dossier log %s: %w", name, err)
	}
	defer f.Close()
	return readLog(f, name, set(knownOffices), set(knownCommunes), time.Now())
}

// LoadDatasetLog loads the dataset's dossier log, checking offices and
// communes against the dataset. It returns (nil, nil, nil) when the dataset
// names no log.
func LoadDatasetLog(ds *data.Dataset) (*Log, data.Problems, error) {
	if ds.DossierLog == "" {
		return nil, nil, nil
	}
	if ds.Files == nil {
		return nil, nil, fmt.Errorf("dossier log %s: dataset has no file system to read it from", ds.DossierLog)
	}
	return LoadLogFor(ds, ds.Files, ds.DossierLog)
}

// LoadLogFor loads the dossier log name from fsys (any log, not only the
// dataset's), checking offices and communes against the dataset.
func LoadLogFor(ds *data.Dataset, fsys fs.FS, name string) (*Log, data.Problems, error) {
	offices := make([]string, len(ds.Offices))
	for i, o := range ds.Offices {
		offices[i] = o.ID
	}
	communes := make([]string, len(ds.Communes))
	for i, c := range ds.Communes {
		communes[i] = c.Code
	}
	return LoadLog(fsys, name, offices, communes)
}

func set(xs []string) map[string]bool {
	if xs == nil {
		return nil
	}
	m := make(map[string]bool, len(xs))
	for _, x := range xs {
		m[x] = true
	}
	return m
}

// logReader carries the state of one log read.
type logReader struct {
	file     string
	offices  map[string]bool
	communes map[string]bool
	col      [logColumnsN]int
	loc      *time.Location
	// width is the header's column count: every row must have it, extra
	// columns included.
	width int
	// Times outside [earliest, latest) are rejected as implausible.
	earliest, latest time.Time
	seen             map[string]int // id -> line of first occurrence
	probs            data.Problems
	unlisted         int // row problems beyond maxRowProblems, counted only
	log              *Log
}

// readLog reads a log and applies the plausibility checks; now sets the
// latest plausible time (the end of next year).
func readLog(r io.Reader, name string, offices, communes map[string]bool, now time.Time) (*Log, data.Problems, error) {
	lr, err := scanLog(r, name, offices, communes, now)
	if err != nil {
		return nil, lr.probs, err
	}
	if !lr.plausible() {
		return nil, lr.probs, &data.ValidationError{Problems: lr.probs}
	}
	return lr.log, lr.probs, nil
}

// scanLog reads and aggregates the rows, reporting each bad one. The error
// is non-nil when the file cannot be read or has no valid row.
func scanLog(r io.Reader, name string, offices, communes map[string]bool, now time.Time) (*logReader, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1 // column count is checked per row, to report it with the line
	cr.ReuseRecord = true
	loc := ict()
	lr := &logReader{
		file: name, offices: offices, communes: communes,
		seen: map[string]int{}, loc: loc,
		earliest: time.Date(EarliestLogYear, time.January, 1, 0, 0, 0, 0, loc),
		latest:   time.Date(now.In(loc).Year()+2, time.January, 1, 0, 0, 0, 0, loc),
		log:      &Log{File: name, ByCommune: map[string]*ChannelCounts{}, ByOffice: map[string]*ChannelCounts{}},
	}
	header, err := cr.Read()
	if err != nil {
		if errors.Is(err, io.EOF) {
			err = errors.New("file is empty")
		}
		lr.fail(1, "", "", fmt.Sprintf("cannot read header: %v", err), "start the file with the header "+logHeader)
		return lr, &data.ValidationError{Problems: lr.probs}
	}
	if !lr.mapHeader(header) {
		return lr, &data.ValidationError{Problems: lr.probs}
	}
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				lr.fail(pe.StartLine, "", "", fmt.Sprintf("line %d: malformed CSV: %v", pe.StartLine, pe.Err), "quote fields containing commas or quotes and double inner quotes")
				lr.log.Skipped++
				continue
			}
			return lr, fmt.Errorf("dossier log %s: %w", name, err)
		}
		line, _ := cr.FieldPos(0)
		if lr.row(line, rec) {
			lr.log.Rows++
		} else {
			lr.log.Skipped++
		}
	}
	if lr.unlisted > 0 {
		lr.probs = append(lr.probs, data.Problem{Severity: data.Warning, File: name,
			Msg: fmt.Sprintf("%d more row problem(s) not listed (only the first %d are)", lr.unlisted, maxRowProblems),
			Fix: "fix the rows listed and run again to see the rest"})
	}
	if lr.log.Rows == 0 {
		lr.fail(0, "", "", "no valid dossier row", "fix the rows reported above or add rows")
		return lr, &data.ValidationError{Problems: lr.probs}
	}
	return lr, nil
}

// plausible applies the whole-log checks to a log with valid rows; it
// reports why the log cannot give yearly volumes, or warns of the rows lost.
func (lr *logReader) plausible() bool {
	l := lr.log
	ok := true
	if l.Skipped > 0 {
		all := l.Rows + l.Skipped
		share := float64(l.Skipped) / float64(all)
		msg := fmt.Sprintf("%d of %d rows rejected (%.3g %%); %d used", l.Skipped, all, 100*share, l.Rows)
		if float64(l.Skipped) > MaxRejectedShare*float64(all) { // not share > …: no rounding at exactly 5 %
			lr.fail(0, "", "", fmt.Sprintf("%s: more than %g %% rejected, so the volumes measured from the rest would be too low", msg, 100*MaxRejectedShare),
				"fix the rejected rows (listed above) or remove them from the log if they are not dossiers")
			ok = false
		} else {
			lr.probs = append(lr.probs, data.Problem{Severity: data.Warning, File: lr.file,
				Msg: msg + ": the yearly volumes count only the rows used",
				Fix: "fix the rejected rows listed above"})
		}
	}
	if d := l.Days(); d < MinLogDays {
		lr.fail(0, "", "received_at", fmt.Sprintf("dossiers received from %s to %s, %d day(s): too short to estimate a yearly volume (at least %d days)",
			l.First.Format(time.DateOnly), l.Last.Format(time.DateOnly), d, MinLogDays),
			fmt.Sprintf("give a log covering at least %d days, ideally a whole year", MinLogDays))
		ok = false
	}
	return ok
}

func (lr *logReader) fail(line int, id, field, msg, fix string) {
	if line > 1 && len(lr.probs) >= maxRowProblems {
		lr.unlisted++
		return
	}
	lr.probs = append(lr.probs, data.Problem{Severity: data.Error, File: lr.file, Record: line, ID: id, Field: field, Msg: msg, Fix: fix})
}

// mapHeader finds the required columns by name; other columns are ignored.
func (lr *logReader) mapHeader(h []string) bool {
	lr.width = len(h)
	idx := map[string]int{}
	ok := true
	for i, name := range h {
		name = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(name, "\ufeff")))
		if first, dup := idx[name]; dup && strings.Contains(","+logHeader+",", ","+name+",") {
			// Which of the two holds the data is a guess; refuse to guess.
			lr.fail(1, "", name, fmt.Sprintf("line 1: header has column %q twice (columns %d and %d)", name, first+1, i+1), "keep one column of each name")
			ok = false
		}
		idx[name] = i
	}
	for j, name := range LogHeader() {
		i, found := idx[name]
		if !found {
			lr.fail(1, "", name, fmt.Sprintf("line 1: header lacks column %q", name), "use the header "+logHeader)
			ok = false
		}
		lr.col[j] = i
	}
	return ok
}

// row validates and aggregates one record; it reports every problem of the row.
func (lr *logReader) row(line int, rec []string) bool {
	const (
		cID = iota
		cProc
		cRecv
		cRet
		cDue
		cOffice
		cCommune
		cChannel
	)
	// Rows are checked against the header, not logColumnsN: extra columns
	// are allowed, and a row shorter than the header may lack a required one.
	if len(rec) != lr.width {
		id := ""
		if lr.col[cID] < len(rec) {
			id = strings.TrimSpace(rec[lr.col[cID]])
		}
		lr.fail(line, id, "", fmt.Sprintf("line %d: %d columns, want %d as in the header", line, len(rec), lr.width),
			"give every row the header's columns (quote values that contain commas)")
		return false
	}
	get := func(c int) string { return strings.TrimSpace(rec[lr.col[c]]) }
	id := get(cID)
	ok := true
	bad := func(field, msg, fix string) {
		lr.fail(line, id, field, fmt.Sprintf("line %d: %s", line, msg), fix)
		ok = false
	}
	if id == "" {
		bad("id", "empty id", "give every dossier a unique id")
	} else if first, dup := lr.seen[id]; dup {
		bad("id", fmt.Sprintf("duplicate id %q (first on line %d)", id, first), "remove the repeated row or give it its own id")
	} else {
		lr.seen[id] = line
	}
	recv, err := parseTime(get(cRecv), lr.loc)
	if err != nil {
		bad("received_at", err.Error(), "write received_at as RFC 3339 (2024-10-01T08:15:00+07:00) or 2006-01-02 15:04")
	} else if !lr.plausibleTime(recv) {
		bad("received_at", lr.implausible("received_at", get(cRecv)), "correct the date (a mistyped year?) or remove the row")
		recv = time.Time{}
	}
	var ret, due time.Time
	if s := get(cRet); s != "" {
		if ret, err = parseTime(s, lr.loc); err != nil {
			bad("returned_at", err.Error(), "write returned_at as RFC 3339 or 2006-01-02 15:04, or leave it empty while in process")
		} else if !lr.plausibleTime(ret) {
			bad("returned_at", lr.implausible("returned_at", s), "correct the date (a mistyped year?), or leave it empty while in process")
		} else if !recv.IsZero() && ret.Before(recv) {
			bad("returned_at", fmt.Sprintf("returned_at %s is before received_at %s", s, get(cRecv)), "correct one of the two times")
		}
	}
	if s := get(cDue); s != "" {
		if due, err = parseTime(s, lr.loc); err != nil {
			bad("due_at", err.Error(), "write due_at as RFC 3339 or 2006-01-02 15:04, or leave it empty")
		} else if !lr.plausibleTime(due) {
			bad("due_at", lr.implausible("due_at", s), "correct the date (a mistyped year?), or leave it empty")
		}
	}
	office := get(cOffice)
	if office == "" {
		bad("office", "empty office", "give the id of the office that received the dossier")
	} else if lr.offices != nil && !lr.offices[office] {
		bad("office", fmt.Sprintf("unknown office %q", office), "use an office id of the dataset's offices file")
	}
	commune := get(cCommune)
	if commune == "" {
		bad("applicant_commune", "empty applicant_commune", "give the applicant's commune code")
	} else if lr.communes != nil && !lr.communes[commune] {
		bad("applicant_commune", fmt.Sprintf("unknown commune %q", commune), "use a commune code of the dataset's communes file")
	}
	ch, err := parseChannel(get(cChannel))
	if err != nil {
		bad("channel", err.Error(), "use online, counter or postal")
	}
	if !ok {
		return false
	}
	l := lr.log
	day := time.Date(recv.Year(), recv.Month(), recv.Day(), 0, 0, 0, 0, time.UTC)
	if l.First.IsZero() || day.Before(l.First) {
		l.First = day
	}
	if day.After(l.Last) {
		l.Last = day
	}
	counts(l.ByCommune, commune).add(ch)
	counts(l.ByOffice, office).add(ch)
	if ch == Counter {
		l.Arrivals[recv.Weekday()][recv.Hour()]++
	}
	if !ret.IsZero() {
		l.Returned++
		if !due.IsZero() && ret.After(due) {
			l.Overdue++
		}
	}
	return true
}

func (lr *logReader) plausibleTime(t time.Time) bool {
	return !t.Before(lr.earliest) && t.Before(lr.latest)
}

func (lr *logReader) implausible(field, s string) string {
	return fmt.Sprintf("%s %s is outside the plausible range %s to %s", field, s,
		lr.earliest.Format(time.DateOnly), lr.latest.AddDate(0, 0, -1).Format(time.DateOnly))
}

func counts(m map[string]*ChannelCounts, k string) *ChannelCounts {
	c := m[k]
	if c == nil {
		c = &ChannelCounts{}
		m[k] = c
	}
	return c
}

// parseTime accepts RFC 3339 (converted to ICT) or a wall-clock
// "2006-01-02 15:04[:05]" read as ICT.
func parseTime(s string, loc *time.Location) (time.Time, error) {
	if s == "" {
		return time.Time{}, errors.New("empty time")
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t.In(loc), nil
	}
	for _, layout := range []string{"2006-01-02 15:04", "2006-01-02 15:04:05"} {
		if t, err := time.ParseInLocation(layout, s, loc); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("bad time %q", s)
}

func parseChannel(s string) (Channel, error) {
	switch strings.ToLower(s) {
	case "online", "trực tuyến", "truc tuyen":
		return Online, nil
	case "counter", "trực tiếp", "truc tiep":
		return Counter, nil
	case "postal", "post", "bưu chính", "buu chinh":
		return Postal, nil
	}
	return "", fmt.Errorf("unknown channel %q", s)
}

// Days is the number of calendar days from the first to the last received day, inclusive.
func (l *Log) Days() int {
	return int(l.Last.Sub(l.First).Hours()/24) + 1
}

// Profile is the measured counter arrival profile: counts per weekday and
// hour divided by the minutes the offices are open in that hour, so partly
// open hours are not under-weighted. Arrivals outside opening hours still
// count in the yearly volume but cannot shape the profile.
func (l *Log) Profile(s Schedule) (Profile, error) {
	var p Profile
	for d := range p.Weight {
		for h := range p.Weight[d] {
			if m := s.OpenMinutes(time.Weekday(d), h); m > 0 {
				p.Weight[d][h] = float64(l.Arrivals[d][h]) / float64(m)
			}
		}
	}
	if err := p.Validate(s); err != nil {
		return Profile{}, fmt.Errorf("dossier log %s: no counter dossier received during opening hours: %w", l.File, err)
	}
	return p, nil
}

// CommuneRate is a commune's demand measured from a log.
type CommuneRate struct {
	PerYear      float64 // dossiers per year, all channels, scaled back from the sample
	CounterShare float64
}

// CommuneRates turns the log into yearly dossiers per applicant commune:
// counts are divided by the sample fraction the log was drawn with (1 for a
// complete log) and annualised by 365 / Days().
func (l *Log) CommuneRates(sample float64) (map[string]CommuneRate, error) {
	if err := CheckLogSample(sample); err != nil {
		return nil, fmt.Errorf("dossier log %s: %w", l.File, err)
	}
	// LoadLog refuses short logs; a Log built otherwise is checked here,
	// where the span divides the counts.
	if d := l.Days(); d < MinLogDays {
		return nil, fmt.Errorf("dossier log %s: dossiers received over %d day(s), too few to estimate a yearly volume; fix: give a log covering at least %d days", l.File, d, MinLogDays)
	}
	scale := 365 / float64(l.Days()) / sample
	out := make(map[string]CommuneRate, len(l.ByCommune))
	for code, c := range l.ByCommune {
		t := c.Total()
		out[code] = CommuneRate{PerYear: float64(t) * scale, CounterShare: float64(c.Counter) / float64(t)}
	}
	return out, nil
}

// LogInfo summarises a loaded log for the outputs: the span its volumes are
// annualised over and how many rows they rest on.
type LogInfo struct {
	File         string `json:"file"`
	FirstDay     string `json:"first_day"` // YYYY-MM-DD, Vietnam time
	LastDay      string `json:"last_day"`
	Days         int    `json:"days"`
	RowsUsed     int    `json:"rows_used"`
	RowsRejected int    `json:"rows_rejected"`
}

// Info summarises the log.
func (l *Log) Info() LogInfo {
	return LogInfo{
		File: l.File, FirstDay: l.First.Format(time.DateOnly), LastDay: l.Last.Format(time.DateOnly),
		Days: l.Days(), RowsUsed: l.Rows, RowsRejected: l.Skipped,
	}
}

func (i LogInfo) String() string {
	return fmt.Sprintf("dossier log %s: %s to %s (%d days), %d rows used, %d rejected",
		i.File, i.FirstDay, i.LastDay, i.Days, i.RowsUsed, i.RowsRejected)
}

// Communes lists the applicant communes of the log, sorted.
func (l *Log) Communes() []string {
	out := make([]string, 0, len(l.ByCommune))
	for k := range l.ByCommune {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
