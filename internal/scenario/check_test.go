package scenario

import (
	"testing"

	"github.com/onestop/onestop/dossier"
)

// scenario.yaml's dossiers section and simulate's flags accept exactly the
// same values: the scenario bounds agree with the dossier engine's checks.
func TestDossierBoundsAgreeWithTheEngine(t *testing.T) {
	for _, c := range []struct {
		key   string
		check func(float64) error
	}{
		{"dossiers.boundary_free_share", dossier.CheckBoundaryFree},
		{"dossiers.wait_target_min", dossier.CheckWaitTarget},
		{"dossiers.log_sample", dossier.CheckLogSample},
	} {
		b, _ := BoundOf(c.key)
		for _, v := range []float64{-1, 0, 1e-9, 0.3, 1, 1.0000001, 2, 15, 480, 481, 1440, 1441} {
			if b.Contains(v) != (c.check(v) == nil) {
				t.Errorf("%s = %v: scenario accepts %v, dossier accepts %v", c.key, v, b.Contains(v), c.check(v) == nil)
			}
		}
	}
}
