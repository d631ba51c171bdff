package demo

import "testing"

// BenchmarkFiles measures generating and encoding the whole demo; the
// target is well under a second, since every run on --dataset demo pays it.
func BenchmarkFiles(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Files(DefaultSeed); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRoads isolates the road network, the costliest stage.
func BenchmarkRoads(b *testing.B) {
	pv, err := build(DefaultSeed)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := pv.buildRoads(stageRNG(DefaultSeed, streamRoads)); err != nil {
			b.Fatal(err)
		}
	}
}
