package main

import (
	"encoding/json"
	"io"

	"github.com/onestop/onestop/internal/atomicfile"
)

// writeJSON writes v as indented JSON, atomically.
func writeJSON(path string, v any) error {
	return atomicfile.Write(path, func(w io.Writer) error {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(v)
	})
}
