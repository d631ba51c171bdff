package data

// Spec is the schema of dataset.yaml: it names the files of a dataset and
// maps their fields onto onestop's types, so real files load unedited.
// Paths are relative to the YAML file. Every key is documented in docs/dataset.md.
type Spec struct {
	Name       string          `yaml:"name"`
	Communes   CommuneSpec     `yaml:"communes"`
	Districts  *DistrictSpec   `yaml:"districts,omitempty"`
	Offices    *OfficeSpec     `yaml:"offices,omitempty"`
	Population *PopulationSpec `yaml:"population,omitempty"`
	Roads      *RoadSpec       `yaml:"roads,omitempty"`
	AreaClass  *AreaClassSpec  `yaml:"area_class,omitempty"`
	Dossiers   *DossierSpec    `yaml:"dossiers,omitempty"`
}

// CommuneSpec maps a GeoJSON FeatureCollection of (Multi)Polygons.
type CommuneSpec struct {
	File         string `yaml:"file"`
	ID           string `yaml:"id"`                      // property holding the commune code
	Name         string `yaml:"name"`                    // property holding the name
	District     string `yaml:"district"`                // property holding the district code
	DistrictName string `yaml:"district_name,omitempty"` // property holding the district name (optional)
	Population   string `yaml:"population"`              // property holding residents (integer >= 0)
	// PopulationFallback is read where population is null or absent (an
	// estimate); the communes that needed it are listed in a warning.
	PopulationFallback string            `yaml:"population_fallback,omitempty"`
	Kind               string            `yaml:"kind"`            // property holding the unit type
	Kinds              map[string]string `yaml:"kinds,omitempty"` // file value -> ward|commune|town|special-zone
	// Grouping when there is no district level (two-tier datasets): the
	// property holding the province code (and name), or any other property
	// named by group (with its name property and the label reports use).
	Province     string `yaml:"province,omitempty"`
	ProvinceName string `yaml:"province_name,omitempty"`
	Group        string `yaml:"group,omitempty"`
	GroupName    string `yaml:"group_name,omitempty"`
	GroupLevel   string `yaml:"group_level,omitempty"`
	// Select keeps only the features whose property PROPERTY has one of the
	// listed values (compared as text); several properties must all match.
	Select map[string][]string `yaml:"select,omitempty"`
}

// DistrictSpec optionally lists districts (else they are derived from communes).
type DistrictSpec struct {
	File string `yaml:"file"` // GeoJSON or CSV
	ID   string `yaml:"id"`
	Name string `yaml:"name"`
}

// OfficeSpec maps a CSV (lon/lat columns) or GeoJSON Point file of offices.
// Empty field names take the default in brackets.
type OfficeSpec struct {
	File  string            `yaml:"file"`
	ID    string            `yaml:"id,omitempty"`    // [id]
	Name  string            `yaml:"name,omitempty"`  // [name]
	Kind  string            `yaml:"kind,omitempty"`  // [kind]
	Kinds map[string]string `yaml:"kinds,omitempty"` // file value -> province-center|branch|one-stop|inter-ward|commune-center|reception
	// FixedKind gives every office of the file this kind; the file's kind
	// column is not read (centres_2025.csv's "kind" is the commune's type).
	FixedKind string `yaml:"fixed_kind,omitempty"`
	Commune   string `yaml:"commune,omitempty"`  // [commune]; empty cells are filled by point-in-polygon
	Staff     string `yaml:"staff,omitempty"`    // [staff]
	Counters  string `yaml:"counters,omitempty"` // [counters]
	Dossiers  string `yaml:"dossiers,omitempty"` // [dossiers_per_year]
	Locked    string `yaml:"locked,omitempty"`   // [locked] true/false/1/0/yes/no
	Lon       string `yaml:"lon,omitempty"`      // [lon] CSV only
	Lat       string `yaml:"lat,omitempty"`      // [lat] CSV only
}

// PopulationSpec maps gridded population: a CSV with an H3 column or lon/lat
// columns, or GeoJSON points.
type PopulationSpec struct {
	File  string `yaml:"file"`
	H3    string `yaml:"h3,omitempty"`    // [h3]
	Lon   string `yaml:"lon,omitempty"`   // [lon]
	Lat   string `yaml:"lat,omitempty"`   // [lat]
	Count string `yaml:"count,omitempty"` // [population]
}

// RoadSpec names the road file: OSM .pbf, or GeoJSON LineStrings.
type RoadSpec struct {
	File    string `yaml:"file"`
	Profile string `yaml:"profile,omitempty"` // motorbike (default) | car
	// GeoJSON only: property names; speed (km/h) wins over class when both are present.
	Class  string `yaml:"class,omitempty"`  // [highway]
	Speed  string `yaml:"speed,omitempty"`  // [maxspeed]
	Oneway string `yaml:"oneway,omitempty"` // [oneway]
}

// AreaClassSpec decides urban/rural/remote per commune: a field, else the
// rules (kind defaults, then explicit lists by code or name).
type AreaClassSpec struct {
	Field  string            `yaml:"field,omitempty"`   // property holding urban|rural|remote
	ByKind map[string]string `yaml:"by_kind,omitempty"` // ward|commune|town|special-zone -> class; default ward,town: urban, commune: rural, special-zone: remote
	Urban  []string          `yaml:"urban,omitempty"`   // commune codes or names forced urban
	Rural  []string          `yaml:"rural,omitempty"`
	Remote []string          `yaml:"remote,omitempty"`
}

// DossierSpec names an optional dossier log CSV (format: docs/dossiers.md).
type DossierSpec struct {
	File string `yaml:"file"`
	// Sample is the fraction of all dossiers the log holds (0 < sample <= 1;
	// default 1, a complete log): a 1 % sample has sample: 0.01.
	Sample float64 `yaml:"sample,omitempty"`
}
