package pipeline

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/onestop/onestop/data"
	"github.com/onestop/onestop/optimize"
)

func officeWithID(id string) data.Office { return data.Office{ID: id} }

// FuzzParsePlan: any bytes give a plan or an error, never a panic; a plan
// accepted is valid, applies to the network it names without a panic, and
// reads back the same after being written.
func FuzzParsePlan(f *testing.F) {
	p := validPlan()
	b, err := json.Marshal(p)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(b)
	for _, s := range []string{"{}", "null", `{"kept":[{"id":"A"}]}`, `{"closed":[{"id":"A","absorbed_by":"A"}]}`,
		`{"new_points":[{"id":"N","lon":1e999}]}`, `{"kept":[]} {}`, `[`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		pl, err := parsePlan(b, "fuzz.json")
		if err != nil {
			return
		}
		if err := pl.Validate(); err != nil {
			t.Fatalf("accepted plan is invalid: %v", err)
		}
		var buf bytes.Buffer
		if err := pl.WriteJSON(&buf); err != nil {
			t.Fatalf("accepted plan does not encode: %v", err)
		}
		if _, err := parsePlan(buf.Bytes(), "again.json"); err != nil {
			t.Fatalf("written plan does not read back: %v", err)
		}
		// The network the plan was made for: its kept and closed offices.
		var base optimize.Network
		for _, k := range pl.Kept {
			base.Offices = append(base.Offices, officeWithID(k.ID))
		}
		for _, c := range pl.Closed {
			base.Offices = append(base.Offices, officeWithID(c.ID))
		}
		_, _ = optimize.ApplyPlan(base, pl, "fuzz")
	})
}
