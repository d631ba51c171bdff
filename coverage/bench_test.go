package coverage

import (
	"context"
	"fmt"
	"testing"

	"github.com/onestop/onestop/data"
	"github.com/onestop/onestop/internal/testenv"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
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

// BenchmarkContainsBinhDuong: the planar centre test of the index, every
// res-9 cell centre against its commune, prepared (strip-indexed) against
// planar.MultiPolygonContains, which recomputes ring bounds and scans every
// edge on each call.
func BenchmarkContainsBinhDuong(b *testing.B) {
	ds := loadBinhDuong(b)
	idx := mustIndex(b, ds, 9)
	prepared := make([]preparedMultiPolygon, len(ds.Communes))
	for i := range ds.Communes {
		prepared[i] = prepareMultiPolygon(ds.Communes[i].Geometry)
	}
	b.Run("prepared", func(b *testing.B) {
		b.ReportAllocs()
		in := 0
		for range b.N {
			for _, c := range idx.Cells {
				if prepared[c.Commune].contains(orb.Point{c.Lon, c.Lat}) {
					in++
				}
			}
		}
		b.ReportMetric(float64(in)/float64(b.N), "inside")
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(idx.Cells)), "ns/point")
	})
	b.Run("planar", func(b *testing.B) {
		b.ReportAllocs()
		in := 0
		for range b.N {
			for _, c := range idx.Cells {
				if planar.MultiPolygonContains(ds.Communes[c.Commune].Geometry, orb.Point{c.Lon, c.Lat}) {
					in++
				}
			}
		}
		b.ReportMetric(float64(in)/float64(b.N), "inside")
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(idx.Cells)), "ns/point")
	})
}

// BenchmarkIndexDanang: Đà Nẵng City after July 2025 (94 units, the former
// Quảng Nam included, ~12,000 km²), res 9, loading excluded.
func BenchmarkIndexDanang(b *testing.B) {
	ds, err := data.LoadFile(testenv.VN2025(b, "danang.yaml"))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	var idx *Index
	for range b.N {
		if idx, err = NewIndex(context.Background(), ds, IndexOptions{Resolution: 9}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(idx.Cells)), "cells")
}

// BenchmarkNationalCoverage: index and coverage of all 3,321 units at res
// 9 by the published centres (2.85 M cells), loading excluded. Slow (tens
// of seconds per op): skipped with -short.
func BenchmarkNationalCoverage(b *testing.B) {
	if testing.Short() {
		b.Skip("national index: tens of seconds")
	}
	ds, err := data.LoadFile(testenv.VN2025(b, "dataset.yaml"))
	if err != nil {
		b.Fatal(err)
	}
	model, _ := NewStraightLine(DefaultTravel())
	b.ReportAllocs()
	b.ResetTimer()
	var idx *Index
	for range b.N {
		if idx, err = NewIndex(context.Background(), ds, IndexOptions{Resolution: 9}); err != nil {
			b.Fatal(err)
		}
		if _, err := Evaluate(context.Background(), idx, ds.Offices, model, DefaultRule()); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(idx.Cells)), "cells")
}
