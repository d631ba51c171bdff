package data

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Upper bounds of the counts a dataset may give. They are far above any real
// value and far below where sums could overflow, so a typo or a sentinel
// (9223372036854775807, 1e15) is refused instead of turning into a
// plausible-looking total. Vietnam has about 101 million residents; its
// largest commune-level units a few hundred thousand.
const (
	// MaxPopulation bounds one commune's or one grid record's residents.
	MaxPopulation int64 = 100_000_000
	// MaxStaff bounds one office's staff and its counters.
	MaxStaff int64 = 10_000
	// MaxDossiersPerYear bounds one office's yearly dossiers.
	MaxDossiersPerYear = 100_000_000.0
)

// parseCount parses a count of people, staff or counters: a whole number in
// [0, max]. "1234.0" is accepted because spreadsheets write integers that way.
func parseCount(s string, max int64) (int64, string) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, "is empty"
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		f, ferr := strconv.ParseFloat(s, 64)
		switch {
		// ParseFloat also reads "Inf", "NaN" and hex ("0x10"), which no
		// spreadsheet writes for a count; out-of-range decimals (1e400)
		// come back as ±Inf with ErrRange and are judged by size below.
		case ferr != nil && !errors.Is(ferr, strconv.ErrRange), ferr == nil && math.IsInf(f, 0),
			math.IsNaN(f), strings.ContainsAny(s, "xX"):
			return 0, fmt.Sprintf("is not a number (%q)", s)
		case f < 0:
			return 0, fmt.Sprintf("is negative (%s)", s)
		case f > float64(max): // also ±Inf and out-of-range values
			return 0, tooLarge(s, max)
		case f != math.Trunc(f):
			return 0, fmt.Sprintf("is fractional (%s); a count must be a whole number", s)
		}
		n = int64(f)
	}
	if n < 0 {
		return 0, fmt.Sprintf("is negative (%s)", s)
	}
	if n > max {
		return 0, tooLarge(s, max)
	}
	return n, ""
}

func tooLarge(s string, max int64) string {
	return fmt.Sprintf("is implausibly large (%s); the most accepted is %s", s, Thousands(max))
}

// countFix is the advice for a bad count of people.
// It spells out MaxPopulation (TestCountFixNamesMax keeps them in step).
const countFix = "write a whole number from 0 to 100,000,000 without thousands separators (e.g. 18264)"

func parseCoord(s string) (float64, string) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, "is empty"
	}
	f, err := strconv.ParseFloat(s, 64)
	// ParseFloat reads hex ("0x6a" is 106) and "Inf"; neither is a decimal.
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) || strings.ContainsAny(s, "xX") {
		if strings.Count(s, ",") == 1 && !strings.Contains(s, ".") {
			return 0, fmt.Sprintf("is not a number (%q): use a decimal point, not a comma", s)
		}
		return 0, fmt.Sprintf("is not a number (%q)", s)
	}
	return f, ""
}

// parseFloatField parses a finite decimal in [0, max].
func parseFloatField(s string, max float64) (float64, string) {
	f, msg := parseCoord(s)
	switch {
	case msg != "":
		return 0, msg
	case f < 0:
		return 0, fmt.Sprintf("is negative (%s)", s)
	case f > max:
		return 0, fmt.Sprintf("is implausibly large (%s); the most accepted is %s", s, Thousands(int64(max)))
	}
	return f, ""
}

func parseBool(s string) (bool, string) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", "0", "false", "no", "n", "f":
		return false, ""
	case "1", "true", "yes", "y", "t":
		return true, ""
	}
	return false, fmt.Sprintf("is not true/false (%q)", s)
}
