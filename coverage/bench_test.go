package coverage

import (
	"context"
	"fmt"
	"testing"

	"github.com/onestop/onestop/data"
	"github.com/paulmach/orb"
)

// oneOfficePerCommune puts an office at an interior point of every commune,
// the pilot's phase-1 network.
func oneOfficePerCommune(ds *data.Dataset) []data.Office {
	out := make([]data.Office, len(ds.Communes))
	for i, c := range ds.Communes {
		out[i] = data.Office{ID: "UB" + c.Code, Name: "UBND " + c.Name, Kind: data.OneStop,
			Location: interiorPoint(c.Geometry), Commune: c.Code, Staff: 4}
	}
	return out
}

// BenchmarkEvaluateBinhDuong is the target: ≤ 300 ms for the 91 real
// communes at res 9 with one office each, after loading and indexing.
func BenchmarkEvaluateBinhDuong(b *testing.B) {
	ds := loadBinhDuong(b)
	idx := mustIndex(b, ds, 9)
	offices := oneOfficePerCommune(ds)
	model, _ := NewStraightLine(DefaultTravel())
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		if _, err := Evaluate(context.Background(), idx, offices, model, DefaultRule()); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(idx.Cells)), "cells")
}

func BenchmarkIndexBinhDuong(b *testing.B) {
	ds := loadBinhDuong(b)
	for _, res := range []int{8, 9} {
		b.Run(fmt.Sprintf("res%d", res), func(b *testing.B) {
			b.ReportAllocs()
			for range b.N {
				if _, err := NewIndex(context.Background(), ds, IndexOptions{Resolution: res}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkCandidateSetsBinhDuong: 2,000 candidates over the province,
// default rule (30 min or 5 km), straight-line model.
func BenchmarkCandidateSetsBinhDuong(b *testing.B) {
	ds := loadBinhDuong(b)
	idx := mustIndex(b, ds, 9)
	model, _ := NewStraightLine(DefaultTravel())
	var bound orb.Bound
	for i, c := range ds.Communes {
		if i == 0 {
			bound = c.Geometry.Bound()
		}
		bound = bound.Union(c.Geometry.Bound())
	}
	cands := candidateGrid(2000, bound.Min[0], bound.Min[1], bound.Max[0]-bound.Min[0], bound.Max[1]-bound.Min[1])
	b.ReportAllocs()
	b.ResetTimer()
	var s *CandidateSets
	for range b.N {
		var err error
		if s, err = NewCandidateSets(context.Background(), idx, cands, model, CandidateOptions{Rule: DefaultRule()}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(s.Cell)), "entries")
}
