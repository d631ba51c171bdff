// Package dossier checks whether an office network that covers everyone also
// works at the counter: it estimates dossier demand per population cell (from
// per-capita rates or a real dossier log), assigns every dossier to exactly one
// office (boundary-free procedures to the nearest open office, the rest to the
// office serving the applicant's commune), checks each office's load against
// the productivity norms and the 15-minute waiting target with Erlang C and a
// seeded discrete-event simulation of a year, rebalances staff between offices
// and writes load.json and load.csv.
//
// The package takes plain inputs: population cells (Point) and the office
// network of the consolidation domain (optimize.Network), whose Serves rule
// says which office handles each commune's dossiers. docs/dossiers.md
// describes the log format, the defaults and every output column.
package dossier
