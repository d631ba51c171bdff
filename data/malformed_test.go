package data

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"testing/fstest"
	"time"
)

func problemsOf(t *testing.T, err error) Problems {
	t.Helper()
	if err == nil {
		t.Fatal("load succeeded, want a validation error")
	}
	var ve *ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("error %v (%T) is not a *ValidationError", err, err)
	}
	return ve.Problems
}

// miniFiles returns the files of testdata/mini, which each malformed case
// then breaks in exactly one way.
func miniFiles(t *testing.T) map[string]string {
	t.Helper()
	files := map[string]string{}
	entries, err := os.ReadDir(filepath.Join("testdata", "mini"))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join("testdata", "mini", e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		files[e.Name()] = string(b)
	}
	return files
}

// replace edits one file and fails the test when the text to replace is
// absent, so a case cannot silently test the unbroken input.
func replace(t *testing.T, files map[string]string, name, old, new string) {
	t.Helper()
	if !strings.Contains(files[name], old) {
		t.Fatalf("%s does not contain %q", name, old)
	}
	files[name] = strings.Replace(files[name], old, new, 1)
}

const (
	square1 = `[[[106.60,11.00],[106.62,11.00],[106.62,11.02],[106.60,11.02],[106.60,11.00]]]`
	square2 = `[[[106.62,11.00],[106.64,11.00],[106.64,11.02],[106.62,11.02],[106.62,11.00]]]`
)

func TestMalformedInputs(t *testing.T) {
	cases := []struct {
		name   string
		break_ func(t *testing.T, f map[string]string)
		file   string // the problem's file ends with this
		rec    int    // 1-based record; 0 for whole-file problems
		id     string // record id, when there is one
		msg    string // part of the message
	}{
		{"yaml syntax", func(t *testing.T, f map[string]string) {
			replace(t, f, "dataset.yaml", "  file: communes.geojson", "\tfile: communes.geojson")
		}, "dataset.yaml", 5, "", "cannot start any token"},
		{"yaml unknown key", func(t *testing.T, f map[string]string) {
			replace(t, f, "dataset.yaml", "  population: pop\n", "  populaton: pop\n")
		}, "dataset.yaml", 9, "", "unknown key"},
		{"yaml missing communes file", func(t *testing.T, f map[string]string) {
			replace(t, f, "dataset.yaml", "  file: communes.geojson\n", "")
		}, "dataset.yaml", 0, "", "communes.file is required"},
		{"yaml bad kinds target", func(t *testing.T, f map[string]string) {
			replace(t, f, "dataset.yaml", `"Xã": commune`, `"Xã": village`)
		}, "dataset.yaml", 0, "", `unknown value "village"`},
		{"communes file does not exist", func(t *testing.T, f map[string]string) {
			replace(t, f, "dataset.yaml", "file: communes.geojson", "file: commune.geojson")
		}, "commune.geojson", 0, "", "does not exist"},
		{"communes truncated", func(t *testing.T, f map[string]string) {
			f["communes.geojson"] = f["communes.geojson"][:300]
		}, "communes.geojson", 0, "", "truncated"},
		{"communes empty file", func(t *testing.T, f map[string]string) {
			f["communes.geojson"] = ""
		}, "communes.geojson", 0, "", "empty"},
		{"communes invalid JSON", func(t *testing.T, f map[string]string) {
			replace(t, f, "communes.geojson", `"pop":2000,`, `"pop":2000,,`)
		}, "communes.geojson", 0, "", "invalid JSON at line 4"},
		{"communes not a FeatureCollection", func(t *testing.T, f map[string]string) {
			f["communes.geojson"] = `{"type":"Feature","properties":{},"geometry":null}`
		}, "communes.geojson", 0, "", `want "FeatureCollection"`},
		{"communes features not an array", func(t *testing.T, f map[string]string) {
			f["communes.geojson"] = `{"type":"FeatureCollection",` + "\n" + `"features":{"a":1}}`
		}, "communes.geojson", 0, "", "unexpected JSON object at line 2"},
		{"communes feature not an object", func(t *testing.T, f map[string]string) {
			replace(t, f, "communes.geojson", `{"type":"FeatureCollection","features":[`, `{"type":"FeatureCollection","features":[17,`)
		}, "communes.geojson", 1, "", "not a JSON object"},
		{"communes UTM metres", func(t *testing.T, f map[string]string) {
			replace(t, f, "communes.geojson", square2, `[[[680000,1220000],[682000,1220000],[682000,1222000],[680000,1222000],[680000,1220000]]]`)
		}, "communes.geojson", 2, "10002", "projected metres"},
		{"communes lat/lon swapped", func(t *testing.T, f map[string]string) {
			replace(t, f, "communes.geojson", square2, `[[[11.00,106.62],[11.00,106.64],[11.02,106.64],[11.02,106.62],[11.00,106.62]]]`)
		}, "communes.geojson", 2, "10002", "lat/lon"},
		{"communes ring too short", func(t *testing.T, f map[string]string) {
			replace(t, f, "communes.geojson", square2, `[[[106.62,11.00],[106.64,11.00],[106.62,11.00]]]`)
		}, "communes.geojson", 2, "10002", "at least 4"},
		{"communes ring not closed", func(t *testing.T, f map[string]string) {
			replace(t, f, "communes.geojson", square2, `[[[106.62,11.00],[106.64,11.00],[106.64,11.02],[106.62,11.02]]]`)
		}, "communes.geojson", 2, "10002", "not closed"},
		{"communes self-intersecting bow tie", func(t *testing.T, f map[string]string) {
			replace(t, f, "communes.geojson", square2, `[[[106.62,11.00],[106.64,11.02],[106.64,11.00],[106.62,11.02],[106.62,11.00]]]`)
		}, "communes.geojson", 2, "10002", "intersects itself"},
		{"communes empty polygon", func(t *testing.T, f map[string]string) {
			replace(t, f, "communes.geojson", `"type":"Polygon","coordinates":`+square2, `"type":"MultiPolygon","coordinates":[]`)
		}, "communes.geojson", 2, "10002", "empty"},
		{"communes null geometry", func(t *testing.T, f map[string]string) {
			replace(t, f, "communes.geojson", `{"type":"Polygon","coordinates":`+square2+`}`, `null`)
		}, "communes.geojson", 2, "10002", "no geometry"},
		{"communes point geometry", func(t *testing.T, f map[string]string) {
			replace(t, f, "communes.geojson", `{"type":"Polygon","coordinates":`+square2+`}`, `{"type":"Point","coordinates":[106.63,11.01]}`)
		}, "communes.geojson", 2, "10002", "not Polygon or MultiPolygon"},
		{"communes missing id", func(t *testing.T, f map[string]string) {
			replace(t, f, "communes.geojson", `"code":"10002",`, ``)
		}, "communes.geojson", 2, "", "code is missing"},
		{"communes duplicate id", func(t *testing.T, f map[string]string) {
			replace(t, f, "communes.geojson", `"code":"10002"`, `"code":"10001"`)
		}, "communes.geojson", 2, "10001", "duplicate commune code"},
		{"communes missing population", func(t *testing.T, f map[string]string) {
			replace(t, f, "communes.geojson", `"pop":2000,`, ``)
		}, "communes.geojson", 2, "10002", "population is missing"},
		{"communes negative population", func(t *testing.T, f map[string]string) {
			replace(t, f, "communes.geojson", `"pop":2000`, `"pop":-5`)
		}, "communes.geojson", 2, "10002", "negative"},
		{"communes non-numeric population", func(t *testing.T, f map[string]string) {
			replace(t, f, "communes.geojson", `"pop":2000`, `"pop":"2 nghìn"`)
		}, "communes.geojson", 2, "10002", "not a number"},
		{"communes fractional population", func(t *testing.T, f map[string]string) {
			replace(t, f, "communes.geojson", `"pop":2000`, `"pop":2000.5`)
		}, "communes.geojson", 2, "10002", "fractional"},
		{"communes unknown kind", func(t *testing.T, f map[string]string) {
			replace(t, f, "communes.geojson", `"type":"Xã"`, `"type":"Ấp"`)
		}, "communes.geojson", 2, "10002", `unknown commune kind "Ấp"`},
		{"communes unknown district", func(t *testing.T, f map[string]string) {
			replace(t, f, "communes.geojson", `"district":"701"`, `"district":"799"`)
		}, "communes.geojson", 3, "10003", `unknown district "799"`},
		{"districts missing column", func(t *testing.T, f map[string]string) {
			replace(t, f, "districts.csv", "code,name", "ma,name")
		}, "districts.csv", 0, "", `column "code" is missing`},
		{"districts duplicate code", func(t *testing.T, f map[string]string) {
			replace(t, f, "districts.csv", "701,", "700,")
		}, "districts.csv", 2, "700", "duplicate district code"},
		{"offices wrong column count", func(t *testing.T, f map[string]string) {
			replace(t, f, "offices.csv", "OS-10002,Một cửa Hai,", "OS-10002,Một cửa, Hai,")
		}, "offices.csv", 2, "", "has 11 cells"},
		{"offices truncated row", func(t *testing.T, f map[string]string) {
			f["offices.csv"] = strings.TrimSuffix(f["offices.csv"], "106.655,11.025\n")
		}, "offices.csv", 3, "", "has 9 cells"},
		{"offices corrupt quoting", func(t *testing.T, f map[string]string) {
			replace(t, f, "offices.csv", "Một cửa Hai", `Một "cửa" Hai`)
		}, "offices.csv", 2, "", "corrupt CSV"},
		{"offices missing lat column", func(t *testing.T, f map[string]string) {
			replace(t, f, "offices.csv", ",lon,lat\n", ",lon,latitude\n")
		}, "offices.csv", 0, "", `column "lat" is missing`},
		{"offices non-numeric longitude", func(t *testing.T, f map[string]string) {
			replace(t, f, "offices.csv", "106.63,11.01", "106°38',11.01")
		}, "offices.csv", 2, "OS-10002", "longitude is not a number"},
		{"offices UTM coordinates", func(t *testing.T, f map[string]string) {
			replace(t, f, "offices.csv", "106.63,11.01", "681234,1219876")
		}, "offices.csv", 2, "OS-10002", "projected metres"},
		{"offices swapped coordinates", func(t *testing.T, f map[string]string) {
			replace(t, f, "offices.csv", "106.63,11.01", "11.01,106.63")
		}, "offices.csv", 2, "OS-10002", "lat/lon"},
		{"offices outside every commune", func(t *testing.T, f map[string]string) {
			replace(t, f, "offices.csv", "106.655,11.025", "106.9,11.3")
		}, "offices.csv", 3, "OS-10003", "outside every commune"},
		{"offices missing id", func(t *testing.T, f map[string]string) {
			replace(t, f, "offices.csv", "OS-10003,", ",")
		}, "offices.csv", 3, "", "office id is missing"},
		{"offices duplicate id", func(t *testing.T, f map[string]string) {
			replace(t, f, "offices.csv", "OS-10003,", "OS-10002,")
		}, "offices.csv", 3, "OS-10002", "duplicate office id"},
		{"offices unknown kind", func(t *testing.T, f map[string]string) {
			replace(t, f, "offices.csv", ",one-stop,", ",post-office,")
		}, "offices.csv", 2, "OS-10002", `unknown office kind "post-office"`},
		{"offices unknown commune", func(t *testing.T, f map[string]string) {
			replace(t, f, "offices.csv", ",10002,", ",19999,")
		}, "offices.csv", 2, "OS-10002", `unknown commune "19999"`},
		{"offices negative staff", func(t *testing.T, f map[string]string) {
			replace(t, f, "offices.csv", ",10002,3,", ",10002,-3,")
		}, "offices.csv", 2, "OS-10002", "staff is negative"},
		{"offices geojson swapped point", func(t *testing.T, f map[string]string) {
			replace(t, f, "dataset.yaml", "file: offices.csv", "file: offices.geojson")
			f["offices.geojson"] = `{"type":"FeatureCollection","features":[` +
				`{"type":"Feature","properties":{"id":"A"},"geometry":{"type":"Point","coordinates":[106.61,11.01]}},` +
				`{"type":"Feature","properties":{"id":"B"},"geometry":{"type":"Point","coordinates":[11.01,106.63]}}]}`
		}, "offices.geojson", 2, "B", "lat/lon"},
		{"population missing file", func(t *testing.T, f map[string]string) {
			delete(f, "population.csv")
		}, "population.csv", 0, "", "does not exist"},
		{"population negative", func(t *testing.T, f map[string]string) {
			replace(t, f, "population.csv", ",2100", ",-2100")
		}, "population.csv", 2, "", "negative"},
		{"population fractional", func(t *testing.T, f map[string]string) {
			replace(t, f, "population.csv", ",2100", ",2100.25")
		}, "population.csv", 2, "", "fractional"},
		{"population missing count column", func(t *testing.T, f map[string]string) {
			replace(t, f, "population.csv", "lon,lat,population", "lon,lat,dan_so")
		}, "population.csv", 0, "", `column "population" is missing`},
		{"population invalid h3", func(t *testing.T, f map[string]string) {
			f["population.csv"] = "h3,population\n8865a1a64bfffff,100\nzz-not-a-cell,5\n"
		}, "population.csv", 2, "zz-not-a-cell", "not a valid H3 cell"},
		{"population geojson missing count", func(t *testing.T, f map[string]string) {
			replace(t, f, "dataset.yaml", "file: population.csv", "file: population.geojson")
			f["population.geojson"] = `{"type":"FeatureCollection","features":[` +
				`{"type":"Feature","properties":{"population":5},"geometry":{"type":"Point","coordinates":[106.61,11.01]}},` +
				`{"type":"Feature","id":"cell-2","properties":{"pop":5},"geometry":{"type":"Point","coordinates":[106.61,11.01]}}]}`
		}, "population.geojson", 2, "cell-2", "population is missing"},
		{"population geojson swapped point", func(t *testing.T, f map[string]string) {
			replace(t, f, "dataset.yaml", "file: population.csv", "file: population.geojson")
			f["population.geojson"] = `{"type":"FeatureCollection","features":[` +
				`{"type":"Feature","properties":{"population":5},"geometry":{"type":"Point","coordinates":[11.01,106.61]}}]}`
		}, "population.geojson", 1, "", "lat/lon"},
		{"population geojson polygon", func(t *testing.T, f map[string]string) {
			replace(t, f, "dataset.yaml", "file: population.csv", "file: population.geojson")
			f["population.geojson"] = `{"type":"FeatureCollection","features":[` +
				`{"type":"Feature","properties":{"population":5},"geometry":{"type":"Polygon","coordinates":` + square1 + `}}]}`
		}, "population.geojson", 1, "", "not Point"},
		{"roads unsupported type", func(t *testing.T, f map[string]string) {
			replace(t, f, "dataset.yaml", "file: roads.geojson", "file: roads.shp")
		}, "dataset.yaml", 0, "", `unsupported road file type ".shp"`},
		{"dossier log missing", func(t *testing.T, f map[string]string) {
			delete(f, "dossiers.csv")
		}, "dossiers.csv", 0, "", "does not exist"},
		{"roads corrupt geojson", func(t *testing.T, f map[string]string) {
			f["roads.geojson"] = f["roads.geojson"][:120]
		}, "roads.geojson", 0, "", "roads"},
		{"roads corrupt pbf", func(t *testing.T, f map[string]string) {
			replace(t, f, "dataset.yaml", "file: roads.geojson", "file: roads.osm.pbf")
			f["roads.osm.pbf"] = "\x00\x00\x00\x0d\x0a\x09OSMHeader\x18garbage-not-a-blob"
		}, "roads.osm.pbf", 0, "", ""},
		// Issue 11: values that once validated into silently wrong numbers.
		{"communes population max int64", func(t *testing.T, f map[string]string) {
			replace(t, f, "communes.geojson", `"pop":2000`, `"pop":9223372036854775807`)
		}, "communes.geojson", 2, "10002", "implausibly large"},
		{"communes population above the maximum", func(t *testing.T, f map[string]string) {
			replace(t, f, "communes.geojson", `"pop":2000`, `"pop":100000001`)
		}, "communes.geojson", 2, "10002", "the most accepted is 100,000,000"},
		{"communes population 1e15", func(t *testing.T, f map[string]string) {
			replace(t, f, "communes.geojson", `"pop":2000`, `"pop":1e15`)
		}, "communes.geojson", 2, "10002", "implausibly large"},
		{"communes population hex string", func(t *testing.T, f map[string]string) {
			replace(t, f, "communes.geojson", `"pop":2000`, `"pop":"0x7d0"`)
		}, "communes.geojson", 2, "10002", "not a number"},
		{"population max int64", func(t *testing.T, f map[string]string) {
			replace(t, f, "population.csv", ",2100", ",9223372036854775807")
		}, "population.csv", 2, "", "implausibly large"},
		{"population infinite", func(t *testing.T, f map[string]string) {
			replace(t, f, "population.csv", ",2100", ",1e400")
		}, "population.csv", 2, "", "implausibly large"},
		{"population geojson above the maximum", func(t *testing.T, f map[string]string) {
			replace(t, f, "dataset.yaml", "file: population.csv", "file: population.geojson")
			f["population.geojson"] = `{"type":"FeatureCollection","features":[` +
				`{"type":"Feature","properties":{"population":5e9},"geometry":{"type":"Point","coordinates":[106.61,11.01]}}]}`
		}, "population.geojson", 1, "", "implausibly large"},
		{"offices staff above the maximum", func(t *testing.T, f map[string]string) {
			replace(t, f, "offices.csv", ",10002,3,", ",10002,10001,")
		}, "offices.csv", 2, "OS-10002", "staff is implausibly large"},
		{"offices counters above the maximum", func(t *testing.T, f map[string]string) {
			replace(t, f, "offices.csv", ",8,4,", ",8,4000000000,")
		}, "offices.csv", 1, "B-700", "counters is implausibly large"},
		{"offices dossiers per year above the maximum", func(t *testing.T, f map[string]string) {
			replace(t, f, "offices.csv", ",12000,", ",1e12,")
		}, "offices.csv", 1, "B-700", "dossiers per year is implausibly large"},
		{"offices dossiers per year negative", func(t *testing.T, f map[string]string) {
			replace(t, f, "offices.csv", ",2400,", ",-2400,")
		}, "offices.csv", 2, "OS-10002", "dossiers per year is negative"},
		{"offices dossiers per year NaN", func(t *testing.T, f map[string]string) {
			replace(t, f, "offices.csv", ",12000,", ",NaN,")
		}, "offices.csv", 1, "B-700", "dossiers per year is not a number"},
		{"dossier sample NaN", func(t *testing.T, f map[string]string) {
			replace(t, f, "dataset.yaml", "  file: dossiers.csv\n", "  file: dossiers.csv\n  sample: .nan\n")
		}, "dataset.yaml", 0, "", "is not in (0, 1]"},
		// Encodings.
		{"communes in Windows-1258", func(t *testing.T, f map[string]string) {
			replace(t, f, "communes.geojson", "Xã Hai", "X\xe3 Hai") // cp1258 ã
		}, "communes.geojson", 0, "", "not UTF-8 text: byte 0xe3 at line 4"},
		{"offices CSV in Windows-1258", func(t *testing.T, f map[string]string) {
			replace(t, f, "offices.csv", "Chi nhánh Alpha,Chi nhánh", "Chi nh\xe1nh Alpha,Chi nh\xe1nh")
		}, "offices.csv", 0, "", "byte 0xe1 at line 2 is not valid UTF-8"},
		{"offices CSV in UTF-16", func(t *testing.T, f map[string]string) {
			f["offices.csv"] = "\xff\xfei\x00d\x00\n\x00"
		}, "offices.csv", 0, "", "UTF-16"},
		{"dataset.yaml in Windows-1258", func(t *testing.T, f map[string]string) {
			replace(t, f, "dataset.yaml", `"Xã": commune`, "\"X\xe3\": commune")
		}, "dataset.yaml", 0, "", "not UTF-8 text"},
		// yaml.v3 reports parser errors at the enclosing construct, 0-based.
		{"yaml unclosed bracket on line 5", func(t *testing.T, f map[string]string) {
			replace(t, f, "dataset.yaml", "  file: communes.geojson", "  file: [communes.geojson")
		}, "dataset.yaml", 5, "", "line 5: did not find expected"},
		{"yaml unclosed brace on line 11", func(t *testing.T, f map[string]string) {
			replace(t, f, "dataset.yaml", `"Thị trấn": town}`, `"Thị trấn": town`)
		}, "dataset.yaml", 11, "", "line 11: did not find expected"},
		{"yaml tab on line 13", func(t *testing.T, f map[string]string) {
			replace(t, f, "dataset.yaml", "  file: districts.csv", "\tfile: districts.csv")
		}, "dataset.yaml", 13, "", "line 13: found character that cannot start any token"},
		{"yaml stray indent on line 7", func(t *testing.T, f map[string]string) {
			replace(t, f, "dataset.yaml", "  id: code\n  name: name\n  district", "  id: code\n name: name\n  district")
		}, "dataset.yaml", 7, "", "line 7: did not find expected key"},
		{"area class list names unknown commune", func(t *testing.T, f map[string]string) {
			replace(t, f, "dataset.yaml", `remote: ["10002"]`, `remote: ["Xã Không Có"]`)
		}, "dataset.yaml", 0, "Xã Không Có", "not the code or name of any commune"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			files := miniFiles(t)
			tc.break_(t, files)
			dir := t.TempDir()
			for name, content := range files {
				writeFile(t, filepath.Join(dir, name), content)
			}
			_, err := LoadFile(filepath.Join(dir, "dataset.yaml"))
			ps := problemsOf(t, err)
			t.Log(err)
			if !hasProblem(ps, Error, tc.file, tc.rec, tc.id, tc.msg) {
				t.Fatalf("no error for file %s record %d id %q containing %q; got:\n%v", tc.file, tc.rec, tc.id, tc.msg, err)
			}
			for _, p := range ps {
				if p.File == "" || p.Msg == "" || p.Fix == "" {
					t.Errorf("problem lacks file, message or fix: %#v", p)
				}
			}
			if !strings.Contains(err.Error(), tc.file) {
				t.Errorf("error text does not name %s: %v", tc.file, err)
			}
		})
	}
}

// TestAllProblemsCollected breaks several files at once and expects every
// fault reported, not only the first.
func TestAllProblemsCollected(t *testing.T) {
	files := miniFiles(t)
	replace(t, files, "communes.geojson", `"pop":2000`, `"pop":-1`)
	replace(t, files, "communes.geojson", `"type":"Thị trấn"`, `"type":"Huyện"`)
	replace(t, files, "offices.csv", ",one-stop,", ",kiosk,")
	replace(t, files, "population.csv", ",900", ",nine hundred")
	dir := t.TempDir()
	for name, content := range files {
		writeFile(t, filepath.Join(dir, name), content)
	}
	_, err := LoadFile(filepath.Join(dir, "dataset.yaml"))
	ps := problemsOf(t, err)
	for _, w := range []struct {
		file string
		rec  int
		msg  string
	}{
		{"communes.geojson", 2, "negative"},
		{"communes.geojson", 3, "unknown commune kind"},
		{"offices.csv", 2, "unknown office kind"},
		{"population.csv", 1, "not a number"},
	} {
		if !hasProblem(ps, Error, w.file, w.rec, "", w.msg) {
			t.Errorf("missing %s record %d %q in:\n%v", w.file, w.rec, w.msg, err)
		}
	}
}

func TestWarnings(t *testing.T) {
	cases := []struct {
		name   string
		break_ func(t *testing.T, f map[string]string)
		file   string
		rec    int
		msg    string
	}{
		{"slight overlap", func(t *testing.T, f map[string]string) {
			// Commune 2's west edge moves 50 m into commune 1.
			replace(t, f, "communes.geojson", square2, `[[[106.6195,11.00],[106.64,11.00],[106.64,11.02],[106.62,11.02],[106.6195,11.01],[106.6195,11.00]]]`)
		}, "communes.geojson", 0, "overlap slightly"},
		{"deep overlap", func(t *testing.T, f map[string]string) {
			// Commune 2 reaches 1 km into commune 1, 550 m from its nearest border.
			replace(t, f, "communes.geojson", square2, `[[[106.61,11.005],[106.64,11.005],[106.64,11.015],[106.61,11.015],[106.61,11.005]]]`)
		}, "communes.geojson", 1, "overlaps commune 10002 (Xã Hai, record 2) by up to 55"},
		{"sliver", func(t *testing.T, f map[string]string) {
			replace(t, f, "communes.geojson", `[[[106.65,11.02],[106.66,11.02],[106.66,11.03],[106.65,11.03],[106.65,11.02]]]`,
				`[[[106.65,11.02],[106.66,11.02],[106.66,11.02001],[106.65,11.02001],[106.65,11.02]]]`)
			replace(t, f, "offices.csv", "106.655,11.025", "106.62,11.03")
			replace(t, f, "population.csv", "106.655,11.025", "106.62,11.03")
		}, "communes.geojson", 3, "sliver"},
		{"roads elsewhere", func(t *testing.T, f map[string]string) {
			f["roads.geojson"] = strings.ReplaceAll(f["roads.geojson"], "106.6", "105.6")
		}, "roads.geojson", 0, "does not reach the communes"},
		{"zero staff", func(t *testing.T, f map[string]string) {
			replace(t, f, "offices.csv", ",10002,3,", ",10002,0,")
		}, "offices.csv", 2, "0 staff"},
		{"office outside its named commune", func(t *testing.T, f map[string]string) {
			replace(t, f, "offices.csv", ",10002,3,,2400,no,106.63,11.01", ",10002,3,,2400,no,106.61,11.005")
		}, "offices.csv", 2, "outside its commune"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			files := miniFiles(t)
			tc.break_(t, files)
			dir := t.TempDir()
			for name, content := range files {
				writeFile(t, filepath.Join(dir, name), content)
			}
			d, err := LoadFile(filepath.Join(dir, "dataset.yaml"))
			if err != nil {
				t.Fatalf("warnings must not fail the load: %v", err)
			}
			if !hasProblem(d.Warnings, Warning, tc.file, tc.rec, "", tc.msg) {
				t.Errorf("no warning %s record %d %q; got %v", tc.file, tc.rec, tc.msg, d.Warnings)
			}
		})
	}
}

// loadWithin runs LoadFile with a deadline: a FIFO used to block the open
// forever, which a test must report instead of hanging the run.
func loadWithin(t *testing.T, yamlPath string) error {
	t.Helper()
	done := make(chan error, 1)
	go func() {
		_, err := LoadFile(yamlPath)
		done <- err
	}()
	select {
	case err := <-done:
		return err
	case <-time.After(20 * time.Second):
		t.Fatalf("LoadFile(%s) still running after 20 s (blocked on a special file?)", yamlPath)
		return nil
	}
}

// TestSpecialInputFiles: every file the loader reads must be a regular file
// of bounded size; anything else is a Problem naming the file.
func TestSpecialInputFiles(t *testing.T) {
	cases := []struct {
		name  string
		setup func(t *testing.T, dir string, f map[string]string) // before the files are written
		after func(t *testing.T, dir string)                      // after
		file  string
		msg   string
	}{
		{"communes file is a FIFO", nil, func(t *testing.T, dir string) {
			mkfifo(t, filepath.Join(dir, "communes.geojson"))
		}, "communes.geojson", "is a named pipe (FIFO), not a regular file"},
		{"population file is a directory", nil, func(t *testing.T, dir string) {
			mustMkdir(t, filepath.Join(dir, "population.csv"))
		}, "population.csv", "is a directory, not a regular file"},
		{"offices file is /dev/zero", func(t *testing.T, dir string, f map[string]string) {
			replace(t, f, "dataset.yaml", "file: offices.csv", "file: /dev/zero")
		}, nil, "/dev/zero", "is a device, not a regular file"},
		{"roads PBF is a FIFO", func(t *testing.T, dir string, f map[string]string) {
			replace(t, f, "dataset.yaml", "file: roads.geojson", "file: roads.osm.pbf")
		}, func(t *testing.T, dir string) {
			mkfifo(t, filepath.Join(dir, "roads.osm.pbf"))
		}, "roads.osm.pbf", "is a named pipe (FIFO)"},
		{"dossier log is a FIFO", nil, func(t *testing.T, dir string) {
			mkfifo(t, filepath.Join(dir, "dossiers.csv"))
		}, "dossiers.csv", "is a named pipe (FIFO)"},
		{"dataset.yaml is a FIFO", nil, func(t *testing.T, dir string) {
			mkfifo(t, filepath.Join(dir, "dataset.yaml"))
		}, "dataset.yaml", "is a named pipe (FIFO)"},
		{"communes file over the size limit", func(t *testing.T, dir string, f map[string]string) {
			t.Setenv(EnvMaxInput, "1")
			f["communes.geojson"] += strings.Repeat(" ", 1<<20)
		}, nil, "communes.geojson", "larger than 1 MiB"},
		{"dataset.yaml over the size limit", func(t *testing.T, dir string, f map[string]string) {
			t.Setenv(EnvMaxInput, "1")
			f["dataset.yaml"] += strings.Repeat("#", 1<<20)
		}, nil, "dataset.yaml", "larger than 1 MiB"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			files := miniFiles(t)
			dir := t.TempDir()
			if tc.setup != nil {
				tc.setup(t, dir, files)
			}
			for name, content := range files {
				writeFile(t, filepath.Join(dir, name), content)
			}
			if tc.after != nil {
				for name := range files {
					if strings.HasSuffix(tc.file, name) {
						os.Remove(filepath.Join(dir, name))
					}
				}
				tc.after(t, dir)
			}
			err := loadWithin(t, filepath.Join(dir, "dataset.yaml"))
			ps := problemsOf(t, err)
			if !hasProblem(ps, Error, tc.file, 0, "", tc.msg) {
				t.Fatalf("no error for %s containing %q; got:\n%v", tc.file, tc.msg, err)
			}
			for _, p := range ps {
				if p.File == "" || p.Msg == "" || p.Fix == "" {
					t.Errorf("problem lacks file, message or fix: %#v", p)
				}
			}
		})
	}
}

func mkfifo(t *testing.T, path string) {
	t.Helper()
	if err := syscall.Mkfifo(path, 0o644); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
}

func mustMkdir(t *testing.T, path string) {
	t.Helper()
	if err := os.Mkdir(path, 0o755); err != nil {
		t.Fatal(err)
	}
}

// TestSpecialInputFilesFS: an fs.FS dataset gets the same regular-file check
// through fs.Stat.
func TestSpecialInputFilesFS(t *testing.T) {
	fsys := fstest.MapFS{
		"dataset.yaml":          {Data: []byte("communes:\n  file: communes.geojson\n")},
		"communes.geojson/part": {Data: []byte("{}")}, // makes communes.geojson a directory
	}
	_, err := Load(fsys, "dataset.yaml")
	ps := problemsOf(t, err)
	if !hasProblem(ps, Error, "communes.geojson", 0, "", "is a directory, not a regular file") {
		t.Fatalf("got %v", err)
	}
}
