package data

import (
	"fmt"
	"strings"
)

// Severity tells whether a problem stops the load.
type Severity int

const (
	Error Severity = iota
	Warning
)

// Problem is one finding about the input, precise enough to fix it:
// the file, the record (1-based index and id), the field, what is wrong and how to fix it.
type Problem struct {
	Severity Severity
	File     string
	Record   int    // 1-based feature/row number; 0 when the problem is about the whole file
	ID       string // record id when known
	Field    string
	Msg      string
	Fix      string
}

func (p Problem) String() string {
	var b strings.Builder
	if p.Severity == Warning {
		b.WriteString("warning: ")
	} else {
		b.WriteString("error: ")
	}
	b.WriteString(p.File)
	if p.Record > 0 {
		fmt.Fprintf(&b, ": record %d", p.Record)
		if p.ID != "" {
			fmt.Fprintf(&b, " (id %q)", p.ID)
		}
	}
	if p.Field != "" {
		fmt.Fprintf(&b, ": field %q", p.Field)
	}
	b.WriteString(": ")
	b.WriteString(p.Msg)
	if p.Fix != "" {
		b.WriteString("; fix: ")
		b.WriteString(p.Fix)
	}
	return b.String()
}

// Problems is every finding of one load, in file order.
type Problems []Problem

// Errors counts the problems of severity Error.
func (ps Problems) Errors() int {
	n := 0
	for _, p := range ps {
		if p.Severity == Error {
			n++
		}
	}
	return n
}

// ValidationError is returned by the loaders when the input has at least one
// Error-severity problem; it carries all problems found, not just the first.
type ValidationError struct {
	Problems Problems
}

func (e *ValidationError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d problem(s) in the dataset:", e.Problems.Errors())
	for _, p := range e.Problems {
		b.WriteString("\n  ")
		b.WriteString(p.String())
	}
	return b.String()
}
