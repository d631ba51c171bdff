package data

import (
	"context"
	"path/filepath"
)

// LoadOffices reads an offices file (CSV with lon/lat columns or GeoJSON
// points, default column names as in docs/dataset.md) against the communes of
// ds, with the same checks as the dataset's own offices section. It lets a
// planner evaluate another network (`onestop coverage --offices FILE`)
// without editing the dataset. Relative paths are taken from the working
// directory.
func LoadOffices(ctx context.Context, ds *Dataset, path string) ([]Office, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, err
	}
	l := &loader{
		ctx:      ctx,
		src:      osSource{dir: filepath.Dir(abs)},
		yamlName: path,
		rejected: map[string]bool{},
		spec:     Spec{Offices: &OfficeSpec{File: filepath.Base(abs)}},
		ds:       &Dataset{Name: ds.Name, Source: ds.Source, Districts: ds.Districts, Communes: ds.Communes, Selection: ds.Selection},
	}
	l.loadOffices()
	if l.probs.Errors() > 0 {
		return nil, &ValidationError{Problems: l.probs}
	}
	if len(l.ds.Offices) == 0 {
		return nil, &ValidationError{Problems: Problems{{File: path, Msg: "the file lists no office", Fix: "add at least one office row"}}}
	}
	return l.ds.Offices, nil
}
