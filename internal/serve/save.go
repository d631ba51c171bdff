package serve

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/onestop/onestop/internal/scenario"
	"gopkg.in/yaml.v3"
)

// Names of the files "save" returns. The scenario names the candidates
// file relative to itself, so both are saved into one directory.
const (
	ScenarioFile   = "scenario.yaml"
	CandidatesFile = "candidates.csv"
)

// savedScenario is the scenario.yaml "save" writes: the session's settings
// and, when the page changed the network, a phase-3 run that can only
// reproduce it (docs/serve.md, "Save").
type savedScenario struct {
	Name     string            `yaml:"name"`
	Dataset  string            `yaml:"dataset"`
	Phase    int               `yaml:"phase"`
	Rule     scenario.Rule     `yaml:"rule"`
	H3Res    int               `yaml:"h3_resolution"`
	Travel   scenario.Travel   `yaml:"travel"`
	Optimize *savedOptimize    `yaml:"optimize,omitempty"`
	Dossiers scenario.Dossiers `yaml:"dossiers"`
	Report   scenario.Report   `yaml:"report"`
	Seed     int64             `yaml:"seed"`
}

type savedOptimize struct {
	Model      string   `yaml:"model"`
	P          int      `yaml:"p"`
	Scope      string   `yaml:"scope"`
	Candidates string   `yaml:"candidates,omitempty"`
	ForceOpen  []string `yaml:"force_open,omitempty"`
	TimeLimit  string   `yaml:"time_limit"`
}

// SavedFile is one file of the save answer.
type SavedFile struct {
	Name string `json:"name"`
	Text string `json:"text"`
}

func (s *Server) handleSave(w http.ResponseWriter, r *http.Request) {
	var e Edits
	if err := decode(w, r, &e); err != nil {
		fail(w, http.StatusBadRequest, err)
		return
	}
	files, err := s.save(e)
	if err != nil {
		fail(w, http.StatusUnprocessableEntity, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string][]SavedFile{"files": files})
}

// save writes the edits as a scenario `onestop plan` reproduces: with no
// change, phase 2 (the network the page starts from without a run); else
// phase 3 with the p-median model at p = the number of open points, every
// office the page keeps out of the scope (fixed open), the closed ones the
// only closable offices and the added points forced open from
// candidates.csv. With no free choice left, the optimizer's plan is
// exactly the page's network.
func (s *Server) save(e Edits) ([]SavedFile, error) {
	want, err := s.openSet(e)
	if err != nil {
		return nil, err
	}
	sc := s.sc
	d := sc.Dossiers
	d.Log = sc.Resolve(d.Log)
	out := savedScenario{
		Name: sc.Name + " (edited on the planning page)", Dataset: s.datasetRef(), Phase: 2,
		Rule: sc.Rule, H3Res: sc.H3Res, Travel: sc.Travel, Dossiers: d, Report: sc.Report, Seed: sc.Seed,
	}
	var closed, keep []string
	for _, o := range s.base.Offices {
		if _, ok := want["o:"+o.ID]; ok {
			keep = append(keep, o.ID)
			continue
		}
		if o.Locked {
			return nil, fmt.Errorf("office %s is locked in the dataset, so `onestop plan` can never close it; reopen it before saving (or unlock it in the offices file)", o.ID)
		}
		closed = append(closed, o.ID)
	}
	files := []SavedFile{}
	if len(closed) > 0 || len(e.Add) > 0 {
		opt := &savedOptimize{Model: "pmedian", P: len(want), TimeLimit: sc.Optimize.TimeLimit.String()}
		if len(closed) > 0 {
			opt.Scope = "offices=" + strings.Join(closed, ",")
		} else {
			opt.Scope = "keep=" + strings.Join(keep, ",")
		}
		if len(e.Add) > 0 {
			var b bytes.Buffer
			cw := csv.NewWriter(&b)
			cw.Write([]string{"id", "name", "lon", "lat"})
			for _, p := range e.Add {
				cw.Write([]string{p.ID, p.ID, strconv.FormatFloat(p.Lon, 'f', -1, 64), strconv.FormatFloat(p.Lat, 'f', -1, 64)})
				opt.ForceOpen = append(opt.ForceOpen, p.ID)
			}
			cw.Flush()
			opt.Candidates = CandidatesFile
			files = append(files, SavedFile{Name: CandidatesFile, Text: b.String()})
		}
		out.Phase, out.Optimize = 3, opt
	}
	var b bytes.Buffer
	b.WriteString("# Saved by `onestop serve`. Run it with: onestop plan --scenario " + ScenarioFile + " --out DIR\n")
	if len(files) > 0 {
		b.WriteString("# Keep " + CandidatesFile + " beside this file: it holds the points added on the page.\n")
	}
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(out); err != nil {
		return nil, fmt.Errorf("save: %w", err)
	}
	// The file must read back: the same checks `onestop plan` applies.
	if _, err := scenario.Parse(b.Bytes(), ScenarioFile); err != nil {
		return nil, fmt.Errorf("save: the scenario written does not read back: %w", err)
	}
	return slices.Insert(files, 0, SavedFile{Name: ScenarioFile, Text: b.String()}), nil
}
