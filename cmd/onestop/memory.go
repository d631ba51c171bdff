package main

import (
	"os"
	"runtime/debug"
)

// gcPercent is the collector's target for onestop's runs unless the user
// sets GOGC. A plan's memory is a few long-lived arrays (candidate sets,
// assignment pairs, the search's engine) built once: with Go's default
// (100) the heap may grow to twice them before a collection, so peak RSS
// was about twice what the run holds. At 50 it is 1.5 times, for a few
// percent more CPU (docs/performance.md).
const gcPercent = 50

// tuneGC applies gcPercent when the environment leaves the collector at
// its default; GOGC (and GOMEMLIMIT) keep their documented meaning.
func tuneGC() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(gcPercent)
	}
}
