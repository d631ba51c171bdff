package pipeline

import (
	"github.com/onestop/onestop/data"
	"github.com/onestop/onestop/optimize"
)

// Phase1 is optimize.Phase1.
//
// Deprecated: call optimize.Phase1; this forward stays only until
// cmd/onestop/optimize.go, edited on another branch, switches to it.
func Phase1(ds *data.Dataset) optimize.Network { return optimize.Phase1(ds) }

// Phase2 is optimize.Phase2.
//
// Deprecated: call optimize.Phase2; this forward stays only until
// cmd/onestop/optimize.go, edited on another branch, switches to it.
func Phase2(ds *data.Dataset) optimize.Network { return optimize.Phase2(ds) }
