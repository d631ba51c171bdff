package demo

import (
	"bytes"
	"fmt"
	"io/fs"
	"sort"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/onestop/onestop/data"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geo"
)

var wantFiles = []string{fileCommunes, fileDataset, fileDistricts, fileDossiers, fileOffices, filePeople, fileRoads}

func TestFilesAreDeterministic(t *testing.T) {
	t.Parallel()
	a := generate(t, DefaultSeed)
	b, err := Files(DefaultSeed) // a second, uncached generation
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for n := range a {
		names = append(names, n)
	}
	sort.Strings(names)
	if strings.Join(names, ",") != strings.Join(wantFiles, ",") {
		t.Fatalf("files %v, want %v", names, wantFiles)
	}
	for _, n := range names {
		if !bytes.Equal(a[n], b[n]) {
			t.Errorf("%s differs between two calls with the same seed", n)
		}
	}
	c := generate(t, DefaultSeed+1)
	for _, n := range []string{fileCommunes, fileOffices, fileRoads, fileDossiers} {
		if bytes.Equal(a[n], c[n]) {
			t.Errorf("%s is identical for seeds %d and %d", n, DefaultSeed, DefaultSeed+1)
		}
	}
}

// TestProvinceShape checks the pilot-like structure on several seeds.
func TestProvinceShape(t *testing.T) {
	t.Parallel()
	for _, seed := range seeds(t, len(testSeeds)) {
		t.Run(fmt.Sprint("seed", seed), func(t *testing.T) {
			t.Parallel()
			files := generate(t, seed)
			codes, polys, fc := communePolygons(t, files)
			if len(codes) != 91 {
				t.Fatalf("%d communes, want 91", len(codes))
			}
			kinds := map[string]int{}
			classes := map[string]int{}
			districts := map[string]bool{}
			names := map[string]bool{}
			var total int64
			area := 0.0
			for i, f := range fc.Features {
				code := codes[i]
				if len(code) != 5 || strings.Trim(code, "0123456789") != "" {
					t.Errorf("commune code %q is not 5 digits", code)
				}
				name, _ := f.Properties["name"].(string)
				kind, _ := f.Properties["kind"].(string)
				if !strings.HasPrefix(name, kind+" ") {
					t.Errorf("commune %s: name %q does not start with its type %q", code, name, kind)
				}
				if names[name] {
					t.Errorf("commune name %q repeats", name)
				}
				names[name] = true
				kinds[kind]++
				cls, _ := f.Properties["area_class"].(string)
				classes[cls]++
				d, _ := f.Properties["district"].(string)
				if len(d) != 3 || d < "718" || d > "726" {
					t.Errorf("commune %s: district code %q outside 718–726", code, d)
				}
				districts[d] = true
				pop := int64(f.Properties.MustFloat64("population", -1))
				switch {
				case kind == "Phường" && (pop < 20000 || pop > 62000):
					t.Errorf("ward %s has %d residents, want a dense 20–60 k", code, pop)
				case kind == "Xã" && cls == string(data.Remote) && pop > 10000:
					t.Errorf("remote commune %s has %d residents, want a sparse few thousand", code, pop)
				case kind == "Xã" && (pop < 4000 || pop > 25000):
					t.Errorf("rural commune %s has %d residents, want 5–20 k", code, pop)
				}
				total += pop
				area += geo.Area(polys[code]) / 1e6
				b := polys[code].Bound()
				if b.Min[0] < 106.3 || b.Max[0] > 107.0 || b.Min[1] < 10.85 || b.Max[1] > 11.5 {
					t.Errorf("commune %s bound %v leaves lon 106.3–107.0, lat 10.85–11.5", code, b)
				}
			}
			if kinds["Phường"] != 47 || kinds["Xã"] != 39 || kinds["Thị trấn"] != 5 {
				t.Errorf("kinds %v, want 47 Phường, 39 Xã, 5 Thị trấn", kinds)
			}
			if classes[string(data.Remote)] < 2 || classes[string(data.Remote)] > 6 {
				t.Errorf("%d remote communes, want a few", classes[string(data.Remote)])
			}
			if len(districts) != 9 {
				t.Errorf("%d districts, want 9", len(districts))
			}
			if total != targetPopulation {
				t.Errorf("population %d, want %d", total, targetPopulation)
			}
			if area < 2700*0.9 || area > 2700*1.1 {
				t.Errorf("area %.0f km², want about 2,700", area)
			}
			for n, b := range files {
				if !utf8.Valid(b) {
					t.Errorf("%s is not UTF-8", n)
				}
			}
		})
	}
}

// TestSouthIsDenser checks the urban south / rural north gradient.
func TestSouthIsDenser(t *testing.T) {
	t.Parallel()
	_, polys, fc := communePolygons(t, generate(t, DefaultSeed))
	var south, north [2]float64 // population, km²
	for _, f := range fc.Features {
		code, _ := f.Properties["code"].(string)
		p := polys[code]
		c, _ := planarCentroid(p)
		a := geo.Area(p) / 1e6
		pop := f.Properties.MustFloat64("population", 0)
		if c[1] < 11.1 {
			south[0] += pop
			south[1] += a
		} else if c[1] > 11.25 {
			north[0] += pop
			north[1] += a
		}
	}
	ds, dn := south[0]/south[1], north[0]/north[1]
	if ds < 5*dn {
		t.Errorf("south density %.0f/km² is not well above north %.0f/km²", ds, dn)
	}
}

func planarCentroid(p orb.Polygon) (orb.Point, float64) {
	r := p[0]
	var cx, cy, a float64
	for i := 0; i+1 < len(r); i++ {
		c := r[i][0]*r[i+1][1] - r[i+1][0]*r[i][1]
		cx += (r[i][0] + r[i+1][0]) * c
		cy += (r[i][1] + r[i+1][1]) * c
		a += c
	}
	return orb.Point{cx / (3 * a), cy / (3 * a)}, a / 2
}

func TestFS(t *testing.T) {
	t.Parallel()
	fsys := FS()
	want := generate(t, DefaultSeed)
	for name, b := range want {
		got, err := fs.ReadFile(fsys, name)
		if err != nil {
			t.Fatalf("FS: %v", err)
		}
		if !bytes.Equal(got, b) {
			t.Errorf("FS %s differs from Files(DefaultSeed)", name)
		}
	}
	if _, err := fs.ReadFile(fsys, "missing.csv"); err == nil {
		t.Error("FS opened a file the demo does not have")
	}
}

func TestDatasetYAMLDocumentsSample(t *testing.T) {
	t.Parallel()
	y := string(generate(t, DefaultSeed)[fileDataset])
	for _, want := range []string{"communes:", "population:", "offices:", "roads:", "dossiers:", "area_class:", "1 % random", "seed " + strconv.FormatInt(DefaultSeed, 10)} {
		if !strings.Contains(y, want) {
			t.Errorf("dataset.yaml lacks %q", want)
		}
	}
}
