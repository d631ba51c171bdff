package pipeline

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"github.com/onestop/onestop/data"
	"github.com/onestop/onestop/optimize"
)

// ReadPlan reads a plan.json written by `onestop optimize` or `onestop plan`
// (through data.ReadInput: a FIFO or device is refused and the size bounded).
func ReadPlan(path string) (*optimize.Plan, error) {
	b, err := data.ReadInput(path, data.InputLimit(data.MaxConfigBytes))
	if err != nil {
		return nil, fmt.Errorf("plan: %w", err)
	}
	return parsePlan(b, path)
}

// parsePlan decodes plan JSON strictly and cross-checks it; name is the
// file the errors name. Unknown keys are refused: a misspelt "new_points"
// would otherwise drop the new points without a word.
func parsePlan(b []byte, name string) (*optimize.Plan, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	var p optimize.Plan
	if err := dec.Decode(&p); err != nil {
		return nil, fmt.Errorf("plan %s: %w (fix: give the plan.json an optimize or plan run wrote; its keys are in docs/optimize.md)", name, err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("plan %s: data after the plan object (fix: one JSON object per file)", name)
	}
	if err := p.Validate(); err != nil {
		return nil, fmt.Errorf("plan %s: %w", name, err)
	}
	return &p, nil
}
