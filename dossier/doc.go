// Package dossier checks whether an office network that covers everyone also
// works at the counter: it estimates dossier demand per population cell (the
// offices' recorded yearly counts first, then a real dossier log, then
// per-capita rates; each office's load_source says which), assigns every
// dossier to exactly one office (boundary-free procedures to the nearest open
// office, the rest to the office serving the applicant's commune), checks
// each office against the two targets — productivity_vs_norm, a staffing
// standard (under-used below the norm), and the 15-minute waiting target at
// the peak hour with Erlang C (wait_min, peak_occupancy; overloaded above it)
// — and a seeded discrete-event simulation of a year, derives the staff each
// target asks for (queue_min, staff_standard), rebalances staff between
// offices and writes load.json and load.csv.
//
// The package takes plain inputs: population cells (Point) and the office
// network of the consolidation domain (optimize.Network), whose Serves rule
// says which office handles each commune's dossiers. docs/dossiers.md
// describes the log format, the defaults and every output column.
package dossier
