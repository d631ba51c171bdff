package dossier

// Source says where an office's or a cell's dossier count comes from; an
// office whose catchment mixes sources carries several bits.
type Source uint8

// The sources in order of precedence: a commune's recorded count wins over
// the log's measured volume, which wins over the per-capita rates.
const (
	FromRecorded Source = 1 << iota // the offices' recorded yearly counts (offices.dossiers)
	FromLog                         // the commune's volume measured in the dossier log
	FromRate                        // population × per-capita rate of the area class
)

// String is the load_source value of load.csv and load.json: "recorded",
// "log", "rate", "mixed" when several sources feed the office, "none" when
// it receives no dossiers.
func (s Source) String() string {
	switch s {
	case 0:
		return "none"
	case FromRecorded:
		return "recorded"
	case FromLog:
		return "log"
	case FromRate:
		return "rate"
	}
	return "mixed"
}
