package data

import (
	"fmt"
	"math"
	"path"
	"slices"
	"strconv"
	"strings"

	"github.com/paulmach/orb"
)

// officeFields are the office column/property names after defaults.
type officeFields struct {
	id, name, kind, commune, staff, counters, dossiers, locked, lon, lat string
}

func (l *loader) officeFields() officeFields {
	o := l.spec.Offices
	return officeFields{
		id: field(o.ID, "id"), name: field(o.Name, "name"), kind: field(o.Kind, "kind"),
		commune: field(o.Commune, "commune"), staff: field(o.Staff, "staff"),
		counters: field(o.Counters, "counters"), dossiers: field(o.Dossiers, "dossiers_per_year"),
		locked: field(o.Locked, "locked"), lon: field(o.Lon, "lon"), lat: field(o.Lat, "lat"),
	}
}

// officeRecord is one office row of either file format.
type officeRecord struct {
	rec   int
	get   func(name string) string
	point orb.Point
	// pointField and pointErr describe a location that could not be read.
	pointField, pointErr, pointFix string
}

func (l *loader) loadOffices() {
	file, b, ok := l.readFile("offices.file", l.spec.Offices.File)
	if !ok {
		return
	}
	fl := l.officeFields()
	var recs []officeRecord
	if strings.EqualFold(path.Ext(file), ".csv") {
		recs, ok = l.officeCSV(file, b, fl)
	} else {
		recs, ok = l.officeGeoJSON(file, b)
	}
	if !ok {
		return
	}
	seen := map[string]int{}
	defaulted := 0
	var clip officeClip
	for _, r := range recs {
		id := r.get(fl.id)
		bad := func(f, msg, fix string) {
			l.add(Problem{File: file, Record: r.rec, ID: id, Field: f, Msg: msg, Fix: fix})
		}
		warn := func(f, msg, fix string) {
			l.add(Problem{Severity: Warning, File: file, Record: r.rec, ID: id, Field: f, Msg: msg, Fix: fix})
		}
		ok := true
		if id == "" {
			bad(fl.id, "office id is missing", fmt.Sprintf("fill %q with a unique id, or set offices.id", fl.id))
			ok = false
		} else if first, dup := seen[id]; dup {
			bad(fl.id, fmt.Sprintf("duplicate office id %q (also record %d)", id, first), "give every office its own id")
			ok = false
		} else {
			seen[id] = r.rec
		}
		o := Office{ID: id, Name: r.get(fl.name)}
		if o.Name == "" {
			o.Name = id
		}
		kv := r.get(fl.kind)
		switch k, known := l.spec.Offices.Kinds[kv]; {
		case l.spec.Offices.FixedKind != "": // the file's kind column is not an office kind
			o.Kind = OfficeKind(l.spec.Offices.FixedKind)
		case kv == "":
			o.Kind = OneStop
		case known:
			o.Kind = OfficeKind(k)
		case slices.Contains(officeKindNames(), kv):
			o.Kind = OfficeKind(kv)
		default:
			acc := officeKindNames()
			for _, k := range sortedKeys(l.spec.Offices.Kinds) {
				acc = append(acc, strconv.Quote(k))
			}
			bad(fl.kind, fmt.Sprintf("unknown office kind %q", kv),
				"accepted values: "+strings.Join(acc, ", ")+"; map other values under offices.kinds in dataset.yaml")
			ok = false
		}
		if r.pointErr != "" {
			bad(r.pointField, r.pointErr, r.pointFix)
			continue
		}
		o.Location = r.point
		ci := -1
		// Without communes (their file failed, already reported) the
		// office's commune cannot be checked.
		code := r.get(fl.commune)
		switch {
		case len(l.ds.Communes) == 0:
		case code != "":
			ci = l.communeByCode(code)
			switch {
			case ci < 0 && l.rejected[code]:
				ok = false
			case ci < 0 && l.unselected[code]:
				clip.byCode++
				continue
			case ci < 0:
				bad(fl.commune, fmt.Sprintf("unknown commune %q", code), "use a commune code from the communes file, or leave the cell empty to locate the office by its point")
				ok = false
			case !l.index().contains(ci, o.Location):
				km := l.index().edgesOf(ci).distanceKm(o.Location)
				warn(fl.commune, fmt.Sprintf("the office point lies outside its commune %s (%s), %s km from its boundary", code, l.ds.Communes[ci].Name, formatKm(km)),
					"check the coordinates or the commune code")
			}
		default:
			ci = l.index().locate(o.Location)
			if ci >= 0 {
				break
			}
			ok = false
			// A commune rejected above is missing from the index; blaming
			// the office's coordinates would send the user after a fault
			// that is not there.
			rc := l.inRejectedCommune(o.Location)
			if l.ds.Selection != "" && rc == nil {
				clip.outside++
				continue
			}
			if rc != nil {
				warn(fl.lon, fmt.Sprintf("the office lies in commune %s (%s, record %d of %s), which was rejected above; it is checked once that commune loads",
					rc.code, rc.name, rc.record, l.communeFile),
					"fix the errors reported for that commune")
			} else if n := l.rejectedWithoutGeometry(); n > 0 {
				warn(fl.lon, fmt.Sprintf("office at lon %.6f, lat %.6f is outside every commune that loaded; %d commune(s) with unusable boundaries were rejected above and it may lie in one of them",
					o.Location[0], o.Location[1], n),
					"fix the rejected communes first; if this becomes an error, correct the coordinates")
			} else {
				bad(fl.lon, fmt.Sprintf("office at lon %.6f, lat %.6f is outside every commune", o.Location[0], o.Location[1]),
					"correct the coordinates, or fill the commune column for an office just across the border")
			}
		}
		if ci >= 0 {
			o.Commune = l.ds.Communes[ci].Code
		}
		if v := r.get(fl.staff); v != "" {
			n, msg := parseCount(v, MaxStaff)
			if msg != "" {
				bad(fl.staff, "staff "+msg, "write the number of one-stop staff as a whole number from 0 to "+Thousands(MaxStaff))
				ok = false
			} else if n == 0 {
				warn(fl.staff, "office has 0 staff: it cannot receive dossiers", "set the staff count, or remove the office")
			}
			o.Staff = int(n)
		} else if ci >= 0 {
			o.Staff = DefaultStaff(l.ds.Communes[ci].Population, l.ds.Communes[ci].Class)
			defaulted++
		}
		if v := r.get(fl.counters); v != "" {
			n, msg := parseCount(v, MaxStaff)
			if msg != "" {
				bad(fl.counters, "counters "+msg, "write the number of counters as a whole number from 0 to "+Thousands(MaxStaff))
				ok = false
			}
			o.Counters = int(n)
		} else {
			o.Counters = o.Staff
		}
		if v := r.get(fl.dossiers); v != "" {
			f, msg := parseFloatField(v, MaxDossiersPerYear)
			if msg != "" {
				bad(fl.dossiers, "dossiers per year "+msg, "write the yearly dossier count as a number from 0 to "+Thousands(int64(MaxDossiersPerYear))+", or leave it empty")
				ok = false
			} else if f == 0 {
				// Recorded counts replace the demand model (real counts
				// first), so a 0 that means "none" must not pass silently.
				warn(fl.dossiers, "0 dossiers per year reads as unknown: the commune's demand comes from the dossier log or per-capita rates",
					"write the office's recorded yearly count, or leave the cell empty")
			}
			o.DossiersPerYear = f
		}
		if v := r.get(fl.locked); v != "" {
			lk, msg := parseBool(v)
			if msg != "" {
				bad(fl.locked, "locked "+msg, "write true/false, yes/no or 1/0")
				ok = false
			}
			o.Locked = lk
		}
		if ok {
			l.ds.Offices = append(l.ds.Offices, o)
		}
	}
	if clip.byCode+clip.outside > 0 {
		l.add(Problem{Severity: Warning, File: file,
			Msg: fmt.Sprintf("communes.select (%s): dropped %d of %d office(s): %d whose commune is not selected, %d lying outside every selected commune",
				l.ds.Selection, clip.byCode+clip.outside, len(recs), clip.byCode, clip.outside),
			Fix: "nothing to do if these offices serve other provinces; an office of the selection dropped here has wrong coordinates or commune code"})
	}
	l.ds.StaffAssumed = defaulted
	if defaulted > 0 {
		l.add(Problem{Severity: Warning, File: file, Field: fl.staff,
			Msg: fmt.Sprintf("%d office(s) have no staff count; assumed %s", defaulted, staffRule),
			Fix: "fill the staff column with the real numbers"})
	}
}

// officeClip counts the offices communes.select left out.
type officeClip struct{ byCode, outside int }

// formatKm prints a distance with a precision that suits it: metres matter
// near a border, not 80 km away.
func formatKm(km float64) string {
	if km < 10 {
		return fmt.Sprintf("%.2f", km)
	}
	return fmt.Sprintf("%.0f", km)
}

func (l *loader) communeByCode(code string) int {
	if l.codeIdx == nil {
		l.codeIdx = make(map[string]int, len(l.ds.Communes))
		for i, c := range l.ds.Communes {
			l.codeIdx[c.Code] = i
		}
	}
	if i, ok := l.codeIdx[code]; ok {
		return i
	}
	return -1
}

func (l *loader) officeCSV(file string, b []byte, fl officeFields) ([]officeRecord, bool) {
	t := l.readCSV(file, b)
	if t == nil {
		return nil, false
	}
	o := l.spec.Offices
	missing := false
	// Required columns, and optional ones the spec names explicitly, must exist.
	for _, c := range []struct{ name, configured, key string }{
		{fl.id, "x", "offices.id"}, {fl.lon, "x", "offices.lon"}, {fl.lat, "x", "offices.lat"},
		{fl.name, o.Name, "offices.name"}, {fl.kind, o.Kind, "offices.kind"}, {fl.commune, o.Commune, "offices.commune"},
		{fl.staff, o.Staff, "offices.staff"}, {fl.counters, o.Counters, "offices.counters"},
		{fl.dossiers, o.Dossiers, "offices.dossiers"}, {fl.locked, o.Locked, "offices.locked"},
	} {
		if c.configured != "" && t.col(c.name) < 0 {
			l.add(Problem{File: file, Field: c.name, Msg: fmt.Sprintf("column %q is missing (header: %s)", c.name, t.header()),
				Fix: fmt.Sprintf("add the column, or set %s in dataset.yaml to the column that holds it", c.key)})
			missing = true
		}
	}
	if missing {
		return nil, false
	}
	lonC, latC := t.col(fl.lon), t.col(fl.lat)
	recs := make([]officeRecord, 0, len(t.rows))
	for _, row := range t.rows {
		r := officeRecord{rec: row.Record, get: func(name string) string { return t.cell(row, t.col(name)) }}
		lon, m1 := parseCoord(t.cell(row, lonC))
		lat, m2 := parseCoord(t.cell(row, latC))
		switch {
		case m1 != "":
			r.pointField, r.pointErr, r.pointFix = fl.lon, "longitude "+m1, "write decimal degrees, e.g. 106.6519"
		case m2 != "":
			r.pointField, r.pointErr, r.pointFix = fl.lat, "latitude "+m2, "write decimal degrees, e.g. 10.9804"
		default:
			r.point = orb.Point{lon, lat}
			if msg, fix := checkDegrees(orb.Bound{Min: r.point, Max: r.point}); msg != "" {
				r.pointField, r.pointErr, r.pointFix = fl.lon, msg, fix
			}
		}
		recs = append(recs, r)
	}
	return recs, true
}

func (l *loader) officeGeoJSON(file string, b []byte) ([]officeRecord, bool) {
	feats, probs := decodeFeatures(file, b)
	l.probs = append(l.probs, probs...)
	if feats == nil && len(probs) > 0 {
		return nil, false
	}
	idF := field(l.spec.Offices.ID, "id")
	recs := make([]officeRecord, 0, len(feats))
	for i := range feats {
		f := &feats[i]
		r := officeRecord{rec: f.Record, get: func(name string) string {
			v, _ := f.prop(name)
			if v == "" && name == idF {
				return f.ID // the Feature's own id member stands in for a missing id property
			}
			return v
		}}
		if !f.HasGeom {
			r.pointField, r.pointErr, r.pointFix = "geometry", "office has no geometry", "give the office a Point geometry"
		} else if p, err := f.pointGeometry(); err != nil {
			r.pointField, r.pointErr, r.pointFix = "geometry", err.Error(), "offices must be Point features with [lon, lat]"
		} else if msg, fix := checkDegrees(orb.Bound{Min: p, Max: p}); msg != "" {
			r.pointField, r.pointErr, r.pointFix = "geometry", msg, fix
		} else {
			r.point = p
		}
		recs = append(recs, r)
	}
	return recs, true
}

// Yearly dossiers per resident and the minimum team used when a staff count
// is unknown: a commune one-stop department is staffed by at least two
// officers so that it stays open when one is absent.
const (
	DossiersPerResident = 0.5
	MinStaff            = 2
	staffRule           = "ceil(commune population × 0.5 dossiers/person/year ÷ norm of its class (urban 1600, rural 1200, remote 800)), at least 2"
)

// DefaultStaff is the staff assumed for an office whose count is unknown.
func DefaultStaff(pop int64, c AreaClass) int {
	n := int(math.Ceil(float64(pop) * DossiersPerResident / DefaultNorms().For(c)))
	if n < MinStaff {
		return MinStaff
	}
	return n
}

// generateOffices gives every commune its one-stop department at an interior
// point, for datasets without an offices file.
func (l *loader) generateOffices() {
	for i, c := range l.ds.Communes {
		pt, ok := InteriorPoint(c.Geometry)
		if !ok {
			l.add(Problem{File: l.communeFile, Record: l.communeRecords[i], ID: c.Code, Field: "geometry",
				Msg: "cannot place the commune's one-stop office: no interior point", Fix: ringFix})
			continue
		}
		staff := DefaultStaff(c.Population, c.Class)
		l.ds.Offices = append(l.ds.Offices, Office{
			ID: "OS-" + c.Code, Name: "Bộ phận Một cửa " + c.Name, Kind: OneStop,
			Location: pt, Commune: c.Code, Staff: staff, Counters: staff,
		})
	}
	l.ds.OfficesGenerated, l.ds.StaffAssumed = len(l.ds.Offices), len(l.ds.Offices)
	if len(l.ds.Offices) > 0 {
		l.add(Problem{Severity: Warning, File: l.yamlName, Field: "offices",
			Msg: fmt.Sprintf("no offices file: generated %d one-stop offices, one per commune at its pole of inaccessibility, staff = %s", len(l.ds.Offices), staffRule),
			Fix: "add an offices: section naming the real offices file"})
	}
}
