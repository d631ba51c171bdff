// Package data holds onestop's domain types (districts, communes, offices,
// gridded population, road networks), the dataset.yaml loader that maps
// planners' own files onto them, and the validation that explains bad input.
package data

import (
	"io/fs"

	"github.com/onestop/onestop/data/roads"
	"github.com/paulmach/orb"
)

// CommuneKind is the administrative type of a commune-level unit.
type CommuneKind string

const (
	KindWard    CommuneKind = "ward"    // phường
	KindCommune CommuneKind = "commune" // xã
	KindTown    CommuneKind = "town"    // thị trấn
	// KindSpecialZone is an island special zone (đặc khu), a commune-level
	// unit since 1 July 2025; remote by default.
	KindSpecialZone CommuneKind = "special-zone"
)

// AreaClass selects the productivity norm and the travel speed of a commune.
type AreaClass string

const (
	Urban  AreaClass = "urban"
	Rural  AreaClass = "rural"
	Remote AreaClass = "remote"
)

// OfficeKind is the level of a service point in the one-stop network.
type OfficeKind string

const (
	ProvinceCenter OfficeKind = "province-center" // Trung tâm Phục vụ hành chính công
	Branch         OfficeKind = "branch"          // chi nhánh
	OneStop        OfficeKind = "one-stop"        // Bộ phận Một cửa
	InterWard      OfficeKind = "inter-ward"      // Điểm tiếp nhận liên phường
	// Two-tier local government (since 1 July 2025): every commune-level
	// unit has a service centre, and provinces add reception points where
	// the merged units are large.
	CommuneCenter OfficeKind = "commune-center" // Trung tâm phục vụ hành chính công cấp xã
	Reception     OfficeKind = "reception"      // Điểm tiếp nhận
)

// GroupLevel names the level at which communes are grouped for tables,
// aggregates and scopes: the district before July 2025, the province in a
// two-tier dataset, or any other grouping a dataset names (its label).
type GroupLevel string

const (
	GroupDistrict GroupLevel = "district"
	GroupProvince GroupLevel = "province"
)

// District is a district-level unit (huyện, thị xã, thành phố), or more
// generally one group of communes at the dataset's GroupLevel (a province
// in a two-tier dataset).
type District struct {
	Code string
	Name string
}

// Commune is a commune-level unit with its boundary and resident population.
type Commune struct {
	Code       string
	Name       string
	Kind       CommuneKind
	District   string // District.Code: the code of the commune's group (see Dataset.GroupLevel)
	Class      AreaClass
	Population int64
	Geometry   orb.MultiPolygon // lon/lat degrees; a Polygon is stored as a one-member MultiPolygon
	Bound      orb.Bound
}

// Office is a service point that receives and returns dossiers.
type Office struct {
	ID              string
	Name            string
	Kind            OfficeKind
	Location        orb.Point // lon/lat degrees
	Commune         string    // Commune.Code of the commune it sits in and serves
	Staff           int
	Counters        int
	DossiersPerYear float64 // 0 when unknown
	Locked          bool    // never closed by the optimizer
}

// PopulationCell is one record of gridded population: an H3 cell or a point.
type PopulationCell struct {
	H3    string    // H3 index as hex string; empty when Point is used
	Point orb.Point // lon/lat degrees
	Count int64
}

// Dataset bundles everything one planning run reads.
type Dataset struct {
	Name   string
	Source string // path of the dataset.yaml ("demo" for the embedded demo)
	// Districts are the groups of communes at GroupLevel, sorted by code:
	// the districts of a pre-2025 dataset, the province(s) of a two-tier one.
	Districts []District
	// GroupLevel is what Districts are: GroupDistrict, GroupProvince, or
	// the label of a grouping named by communes.group.
	GroupLevel GroupLevel
	// Selection describes communes.select ("" without it) and SelectedFrom
	// counts the communes of the file before it.
	Selection    string
	SelectedFrom int
	Communes     []Commune
	Offices      []Office
	Population   []PopulationCell // nil when the dataset has no gridded population
	Roads        *roads.Network   // nil when the dataset has no road data
	// Files and DossierLog locate the optional dossier log CSV; the dossier
	// package parses it so the data package does not need its format.
	Files         fs.FS
	DossierLog    string
	DossierSample float64  // fraction of all dossiers the log holds (1: complete)
	Warnings      Problems // non-fatal findings of the loader
	// OfficesGenerated counts the offices the loader made up (no offices
	// file: one per commune) and StaffAssumed the offices whose staff it
	// assumed (no staff count); the report states both as assumptions.
	OfficesGenerated, StaffAssumed int
}

// Group is the code of the commune's group at the dataset's GroupLevel.
func (c Commune) Group() string { return c.District }

// Groups are the dataset's groups of communes (Districts under a name that
// does not assume the level).
func (d *Dataset) Groups() []District { return d.Districts }

// GroupName is the name of the group with this code, or the code itself
// when the dataset does not list it.
func (d *Dataset) GroupName(code string) string {
	for _, g := range d.Districts {
		if g.Code == code {
			return g.Name
		}
	}
	return code
}
