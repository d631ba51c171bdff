package reports

import (
	"context"
	"testing"
)

// Targets: a report of the full province in well under a second, exports
// (with the GeoPackage) in a few seconds, so the CLI stays interactive.

func BenchmarkRender(b *testing.B) {
	r := syntheticRun(1, Vietnamese)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Render(r); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkCatchments(b *testing.B) {
	r := syntheticRun(1, Vietnamese)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Catchments(context.Background(), r.Cells); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkWriteExports(b *testing.B) {
	r := syntheticRun(1, Vietnamese)
	dir := b.TempDir()
	b.ReportAllocs()
	for b.Loop() {
		if err := writeExports(context.Background(), dir, r); err != nil {
			b.Fatal(err)
		}
	}
}
