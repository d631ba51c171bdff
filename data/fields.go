package data

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// parseCount parses a count of people or dossiers: a non-negative integer.
// "1234.0" is accepted because spreadsheets write integers that way.
func parseCount(s string) (int64, string) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, "is empty"
	}
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		if n < 0 {
			return 0, fmt.Sprintf("is negative (%s)", s)
		}
		return n, ""
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, fmt.Sprintf("is not a number (%q)", s)
	}
	if f < 0 {
		return 0, fmt.Sprintf("is negative (%s)", s)
	}
	if f != math.Trunc(f) {
		return 0, fmt.Sprintf("is fractional (%s); a count of people must be a whole number", s)
	}
	if f > 1e15 {
		return 0, fmt.Sprintf("is implausibly large (%s)", s)
	}
	return int64(f), ""
}

// countFix is the advice for a bad count.
const countFix = "write a whole number >= 0 without thousands separators (e.g. 18264)"

func parseCoord(s string) (float64, string) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, "is empty"
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		if strings.Count(s, ",") == 1 && !strings.Contains(s, ".") {
			return 0, fmt.Sprintf("is not a number (%q): use a decimal point, not a comma", s)
		}
		return 0, fmt.Sprintf("is not a number (%q)", s)
	}
	return f, ""
}

func parseFloatField(s string) (float64, string) {
	f, msg := parseCoord(s)
	if msg == "" && f < 0 {
		return 0, fmt.Sprintf("is negative (%s)", s)
	}
	return f, msg
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
