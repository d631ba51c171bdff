// Package demo generates onestop's embedded demo province: a synthetic
// province shaped like the Binh Duong pilot — 9 districts, 91 communes
// (47 wards, 5 towns, 39 rural communes), about 2.4 M residents on about
// 2,700 km² around lon 106.3–107.0, lat 10.85–11.5 — with its one-stop
// offices, a road network and a sampled dossier log, written in the same
// file formats users give for their own province (see dataset.yaml).
//
// Everything is drawn from one seed in plain Go, so the same seed always
// yields byte-identical files and the demo needs no downloaded data.
//
// The package sits under dossier because it uses package dossier's log
// generator and default rates; only cmd/onestop, internal/pipeline and
// tests import it.
package demo

import (
	"fmt"
	"io/fs"
	"testing/fstest"
)

// DefaultSeed is the seed of the demo users get with --dataset demo.
const DefaultSeed int64 = 74 // Binh Duong's GSO province code

// DatasetFile is the name of the dataset.yaml inside FS and Write's output.
const DatasetFile = fileDataset

// Files generates the demo province for seed and returns its files, keyed
// by file name: dataset.yaml, communes.geojson, districts.csv,
// population.csv, offices.csv, roads.geojson and dossiers.csv.
func Files(seed int64) (map[string][]byte, error) {
	pv, err := build(seed)
	if err != nil {
		return nil, fmt.Errorf("generate demo province (seed %d): %w", seed, err)
	}
	files := map[string][]byte{
		fileDataset:  pv.encodeDataset(seed),
		fileCommunes: pv.encodeCommunes(),
		fileRoads:    pv.encodeRoads(),
		fileDossiers: pv.dossiers,
	}
	for name, enc := range map[string]func() ([]byte, error){
		fileDistricts: pv.encodeDistricts,
		fileOffices:   pv.encodeOffices,
		filePeople:    pv.encodePeople,
	} {
		b, err := enc()
		if err != nil {
			return nil, fmt.Errorf("generate demo %s: %w", name, err)
		}
		files[name] = b
	}
	return files, nil
}

// FS returns the demo for DefaultSeed as a file system; load it with
// data.Load(demo.FS(), demo.DatasetFile). Each call generates it anew. If
// generation fails (a bug, never bad input), every Open returns the error.
func FS() fs.FS {
	files, err := Files(DefaultSeed)
	if err != nil {
		return errFS{err}
	}
	m := fstest.MapFS{}
	for name, b := range files {
		m[name] = &fstest.MapFile{Data: b, Mode: 0o444}
	}
	return m
}

type errFS struct{ err error }

func (e errFS) Open(name string) (fs.File, error) {
	return nil, &fs.PathError{Op: "open", Path: name, Err: e.err}
}
