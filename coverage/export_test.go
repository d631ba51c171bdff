package coverage

import (
	"testing"

	"github.com/onestop/onestop/data"
)

// The demo tests live in package coverage_test: the demo province comes
// from dossier/demo, which sits above coverage (dossier reads the office
// network of optimize, which reads coverage). These give them the helpers.

func MustIndex(t testing.TB, ds *data.Dataset, res int) *Index { return mustIndex(t, ds, res) }

func CheckIndex(t *testing.T, ds *data.Dataset, idx *Index) { checkIndex(t, ds, idx) }

func CandidateGrid(n int, lon0, lat0, w, h float64) []Site {
	return candidateGrid(n, lon0, lat0, w, h)
}
