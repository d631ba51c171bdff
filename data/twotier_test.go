package data

import (
	"errors"
	"strings"
	"testing"
)

// dropDistricts turns the mini dataset into a two-tier one: no district
// property, no districts file.
func dropDistricts(t *testing.T, f map[string]string) {
	t.Helper()
	replace(t, f, "dataset.yaml", "  district: district\n", "")
	replace(t, f, "dataset.yaml", "districts:\n  file: districts.csv\n  id: code\n  name: name\n", "")
	for _, d := range []string{`"district":"700",`, `"district":"700",`, `"district":"701",`} {
		replace(t, f, "communes.geojson", d, "")
	}
}

// TestTwoTier loads the mini dataset edited into the forms a two-tier
// (post-2025) dataset takes and checks what each form controls.
func TestTwoTier(t *testing.T) {
	cases := []struct {
		name    string
		edit    func(t *testing.T, f map[string]string)
		wantErr string // substring of one error; "" for a successful load
		check   func(t *testing.T, d *Dataset)
	}{
		{name: "pre-2025: district level", check: func(t *testing.T, d *Dataset) {
			if d.GroupLevel != GroupDistrict || len(d.Groups()) != 2 || d.Communes[2].Group() != "701" || d.GroupName("701") != "Huyện Beta" {
				t.Errorf("level %q groups %+v", d.GroupLevel, d.Groups())
			}
		}},
		{name: "no district: one province named after the dataset", edit: dropDistricts, check: func(t *testing.T, d *Dataset) {
			if d.GroupLevel != GroupProvince || len(d.Districts) != 1 || d.Districts[0] != (District{"Mini province", "Mini province"}) {
				t.Fatalf("level %q groups %+v", d.GroupLevel, d.Districts)
			}
			for _, c := range d.Communes {
				if c.Group() != "Mini province" {
					t.Errorf("commune %s in group %q", c.Code, c.Group())
				}
			}
			if s := d.Summary().String(); !strings.Contains(s, "provinces:   1\n") {
				t.Errorf("summary:\n%s", s)
			}
		}},
		{name: "province property", edit: func(t *testing.T, f map[string]string) {
			dropDistricts(t, f)
			replace(t, f, "dataset.yaml", "  kind: type\n", "  kind: type\n  province: prov\n  province_name: pname\n")
			f["communes.geojson"] = strings.ReplaceAll(f["communes.geojson"], `"code":`, `"prov":"79","pname":"Hồ Chí Minh","code":`)
		}, check: func(t *testing.T, d *Dataset) {
			if d.GroupLevel != GroupProvince || len(d.Districts) != 1 || d.Districts[0] != (District{"79", "Hồ Chí Minh"}) {
				t.Errorf("level %q groups %+v", d.GroupLevel, d.Districts)
			}
		}},
		{name: "group property with its label", edit: func(t *testing.T, f map[string]string) {
			dropDistricts(t, f)
			replace(t, f, "dataset.yaml", "  kind: type\n", "  kind: type\n  group: cum\n  group_level: cluster\n")
			replace(t, f, "communes.geojson", `"code":"10001",`, `"code":"10001","cum":"A",`)
			replace(t, f, "communes.geojson", `"code":"10002",`, `"code":"10002","cum":"A",`)
			replace(t, f, "communes.geojson", `"code":"10003",`, `"code":"10003","cum":"B",`)
		}, check: func(t *testing.T, d *Dataset) {
			if d.GroupLevel != "cluster" || len(d.Districts) != 2 || d.Communes[2].Group() != "B" {
				t.Errorf("level %q groups %+v", d.GroupLevel, d.Districts)
			}
			if s := d.Summary().String(); !strings.Contains(s, "groups:      2 (cluster)\n") {
				t.Errorf("summary:\n%s", s)
			}
		}},
		{name: "group property missing on a commune", edit: func(t *testing.T, f map[string]string) {
			dropDistricts(t, f)
			replace(t, f, "dataset.yaml", "  kind: type\n", "  kind: type\n  group: cum\n")
			replace(t, f, "communes.geojson", `"code":"10001",`, `"code":"10001","cum":"A",`)
		}, wantErr: `cum code is missing`},
		{name: "district and province both set", edit: func(t *testing.T, f map[string]string) {
			replace(t, f, "dataset.yaml", "  kind: type\n", "  kind: type\n  province: prov\n")
		}, wantErr: "communes.district and communes.province are both set"},
		{name: "group_name without group", edit: func(t *testing.T, f map[string]string) {
			replace(t, f, "dataset.yaml", "  kind: type\n", "  kind: type\n  group_name: ten\n")
		}, wantErr: "communes.group_name is set without communes.group"},
		{name: "special zone is remote by default", edit: func(t *testing.T, f map[string]string) {
			replace(t, f, "dataset.yaml", `"Xã": commune`, `"Xã": special-zone`)
			replace(t, f, "dataset.yaml", `  remote: ["10002"]`+"\n", "")
		}, check: func(t *testing.T, d *Dataset) {
			if c := d.Communes[1]; c.Kind != KindSpecialZone || c.Class != Remote {
				t.Errorf("commune %s: kind %s class %s, want special-zone remote", c.Code, c.Kind, c.Class)
			}
			if s := d.Summary().String(); !strings.Contains(s, "1 special-zone)") {
				t.Errorf("summary:\n%s", s)
			}
		}},
		{name: "special zone in by_kind", edit: func(t *testing.T, f map[string]string) {
			replace(t, f, "dataset.yaml", `"Xã": commune`, `"Xã": special-zone`)
			replace(t, f, "dataset.yaml", `commune: rural}`, `commune: rural, special-zone: rural}`)
			replace(t, f, "dataset.yaml", `  remote: ["10002"]`+"\n", "")
		}, check: func(t *testing.T, d *Dataset) {
			if c := d.Communes[1]; c.Class != Rural {
				t.Errorf("commune %s class %s, want rural", c.Code, c.Class)
			}
		}},
		{name: "commune-center and reception offices", edit: func(t *testing.T, f map[string]string) {
			replace(t, f, "offices.csv", ",Chi nhánh,", ",commune-center,")
			replace(t, f, "offices.csv", ",one-stop,", ",Điểm tiếp nhận,")
			replace(t, f, "dataset.yaml", `"Một cửa": one-stop}`, `"Một cửa": one-stop, "Điểm tiếp nhận": reception}`)
		}, check: func(t *testing.T, d *Dataset) {
			if d.Offices[0].Kind != CommuneCenter || d.Offices[1].Kind != Reception {
				t.Errorf("kinds %s, %s", d.Offices[0].Kind, d.Offices[1].Kind)
			}
			if s := d.Summary().String(); !strings.Contains(s, "0 inter-ward, 1 commune-center, 1 reception), ") {
				t.Errorf("summary:\n%s", s)
			}
		}},
		{name: "fixed kind ignores the kind column", edit: func(t *testing.T, f map[string]string) {
			replace(t, f, "dataset.yaml", `  kinds: {"Chi nhánh": branch, "Một cửa": one-stop}`, "  fixed_kind: commune-center")
			replace(t, f, "offices.csv", ",Chi nhánh,", ",Phường,")
		}, check: func(t *testing.T, d *Dataset) {
			for _, o := range d.Offices {
				if o.Kind != CommuneCenter {
					t.Errorf("office %s kind %s", o.ID, o.Kind)
				}
			}
		}},
		{name: "fixed kind with kinds", edit: func(t *testing.T, f map[string]string) {
			replace(t, f, "dataset.yaml", `  kinds: {"Chi nhánh": branch`, "  fixed_kind: reception\n  kinds: {\"Chi nhánh\": branch")
		}, wantErr: "offices.fixed_kind is set together with offices.kind or offices.kinds"},
		{name: "unknown fixed kind", edit: func(t *testing.T, f map[string]string) {
			replace(t, f, "dataset.yaml", `  kinds: {"Chi nhánh": branch, "Một cửa": one-stop}`, "  fixed_kind: centre")
		}, wantErr: `unknown office kind "centre"`},
		{name: "estimated population from the fallback", edit: func(t *testing.T, f map[string]string) {
			replace(t, f, "dataset.yaml", "  population: pop\n", "  population: pop\n  population_fallback: est\n")
			replace(t, f, "communes.geojson", `"pop":2000,`, `"pop":null,"est":1999,`)
		}, check: func(t *testing.T, d *Dataset) {
			if d.Communes[1].Population != 1999 {
				t.Errorf("population %d, want the fallback 1999", d.Communes[1].Population)
			}
			wantWarning(t, d, `1 commune(s) have no "pop"; their population (1,999 people) is read from "est" instead: 10002 Xã Hai`)
		}},
		{name: "office outside its commune: distance", edit: func(t *testing.T, f map[string]string) {
			replace(t, f, "offices.csv", "10002,3,,2400,no,106.63,11.01", "10002,3,,2400,no,106.61,11.01")
		}, check: func(t *testing.T, d *Dataset) {
			wantWarning(t, d, "the office point lies outside its commune 10002 (Xã Hai), 1.09 km from its boundary")
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d, err := loadMini(t, c.edit)
			checkLoad(t, d, err, c.wantErr, c.check)
		})
	}
}

// checkLoad expects either an error with wantErr among the problems, or a
// dataset that check accepts.
func checkLoad(t *testing.T, d *Dataset, err error, wantErr string, check func(*testing.T, *Dataset)) {
	t.Helper()
	if wantErr != "" {
		var ve *ValidationError
		if !errors.As(err, &ve) {
			t.Fatalf("err = %v, want a ValidationError with %q", err, wantErr)
		}
		for _, p := range ve.Problems {
			if p.Severity == Error && strings.Contains(p.String(), wantErr) {
				return
			}
		}
		t.Fatalf("no error contains %q:\n%v", wantErr, err)
	}
	if err != nil {
		t.Fatal(err)
	}
	if check != nil {
		check(t, d)
	}
}

func wantWarning(t *testing.T, d *Dataset, sub string) {
	t.Helper()
	for _, w := range d.Warnings {
		if strings.Contains(w.String(), sub) {
			return
		}
	}
	t.Errorf("no warning contains %q; warnings:\n%v", sub, d.Warnings)
}

// TestSelect keeps part of the communes with communes.select and checks
// that offices, population and lists are clipped to them with counts.
func TestSelect(t *testing.T) {
	selectLine := func(sel string) func(t *testing.T, f map[string]string) {
		return func(t *testing.T, f map[string]string) {
			replace(t, f, "dataset.yaml", "  kind: type\n", "  kind: type\n  select: "+sel+"\n")
		}
	}
	cases := []struct {
		name    string
		edit    func(t *testing.T, f map[string]string)
		wantErr string
		check   func(t *testing.T, d *Dataset)
	}{
		{name: "by district: offices and population clipped", edit: selectLine(`{district: ["700"]}`), check: func(t *testing.T, d *Dataset) {
			if len(d.Communes) != 2 || d.SelectedFrom != 3 || d.Selection != "district in [700]" {
				t.Fatalf("%d communes of %d, selection %q", len(d.Communes), d.SelectedFrom, d.Selection)
			}
			if len(d.Districts) != 1 || d.Districts[0].Code != "700" {
				t.Errorf("districts %+v: the unselected district should be dropped silently", d.Districts)
			}
			if len(d.Offices) != 2 || len(d.Population) != 2 {
				t.Errorf("%d offices, %d population records; want 2, 2", len(d.Offices), len(d.Population))
			}
			wantWarning(t, d, "dropped 1 of 3 office(s): 0 whose commune is not selected, 1 lying outside every selected commune")
			wantWarning(t, d, "dropped 2 of 4 population record(s) (3,000 people) lying outside every selected commune; 2 kept")
			for _, w := range d.Warnings {
				if strings.Contains(w.Msg, "district has no communes") {
					t.Errorf("unexpected warning %v", w)
				}
			}
			if s := d.Summary().String(); !strings.Contains(s, "selection:   2 of 3 communes (district in [700])\n") {
				t.Errorf("summary:\n%s", s)
			}
		}},
		{name: "office clipped by its commune code", edit: func(t *testing.T, f map[string]string) {
			selectLine(`{district: ["700"]}`)(t, f)
			replace(t, f, "offices.csv", "Một cửa,,,,,,106.655", "Một cửa,10003,,,,,106.655")
		}, check: func(t *testing.T, d *Dataset) {
			wantWarning(t, d, "dropped 1 of 3 office(s): 1 whose commune is not selected, 0 lying outside")
		}},
		{name: "several properties must all match", edit: selectLine(`{district: ["700"], type: ["Xã"]}`), check: func(t *testing.T, d *Dataset) {
			if len(d.Communes) != 1 || d.Communes[0].Code != "10002" {
				t.Errorf("communes %d", len(d.Communes))
			}
		}},
		{name: "area class list naming an unselected commune", edit: selectLine(`{code: ["10001"]}`), check: func(t *testing.T, d *Dataset) {
			if len(d.Communes) != 1 {
				t.Errorf("%d communes", len(d.Communes))
			}
		}},
		{name: "number in the file, text in the select", edit: func(t *testing.T, f map[string]string) {
			selectLine(`{prov: ["01"]}`)(t, f)
			f["communes.geojson"] = strings.ReplaceAll(f["communes.geojson"], `"code":`, `"prov":1,"code":`)
		}, wantErr: `keeps none of the 3 communes; fix: values are compared as text, exactly as the file writes them (prov values in the file: 1 (a number))`},
		{name: "a number matches its text", edit: func(t *testing.T, f map[string]string) {
			selectLine(`{prov: ["1"]}`)(t, f)
			f["communes.geojson"] = strings.ReplaceAll(f["communes.geojson"], `"code":`, `"prov":1,"code":`)
		}, check: func(t *testing.T, d *Dataset) {
			if len(d.Communes) != 3 {
				t.Errorf("%d communes", len(d.Communes))
			}
		}},
		{name: "no values", edit: selectLine(`{district: []}`), wantErr: "communes.select.district lists no values"},
		{name: "unknown property", edit: selectLine(`{tinh: ["79"]}`), wantErr: `no commune has a property "tinh"`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d, err := loadMini(t, c.edit)
			checkLoad(t, d, err, c.wantErr, c.check)
		})
	}
}
