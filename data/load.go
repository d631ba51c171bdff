package data

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
)

// LoadFile reads the dataset described by the dataset.yaml at yamlPath.
// Paths inside it are relative to the YAML's directory and may climb out of
// it with ".." or be absolute, which is why this does not go through os.DirFS.
func LoadFile(yamlPath string) (*Dataset, error) {
	return LoadFileContext(context.Background(), yamlPath)
}

// LoadFileContext is LoadFile with cancellation for the long steps (roads).
func LoadFileContext(ctx context.Context, yamlPath string) (*Dataset, error) {
	src := osSource{dir: filepath.Dir(yamlPath)}
	return load(ctx, src, yamlPath)
}

// Load reads the dataset described by the dataset.yaml called name inside
// fsys (the embedded demo is loaded this way). Paths inside it are relative
// to name's directory and must stay inside fsys.
func Load(fsys fs.FS, name string) (*Dataset, error) {
	return LoadContext(context.Background(), fsys, name)
}

// LoadContext is Load with cancellation for the long steps (roads).
func LoadContext(ctx context.Context, fsys fs.FS, name string) (*Dataset, error) {
	if fsys == nil {
		return nil, errors.New("data.Load: nil file system")
	}
	name = path.Clean(filepath.ToSlash(name)) // "./dataset.yaml" is not a valid fs.FS name
	src := fsSource{fsys: fsys, dir: path.Dir(name)}
	return load(ctx, src, name)
}

// source is where the files named by a dataset.yaml come from. Both loaders
// share every other step, so disk and embedded datasets validate alike.
type source interface {
	// resolve maps a path written in dataset.yaml to the name open takes;
	// that name is also the one problems report.
	resolve(written string) (string, error)
	open(name string) (io.ReadCloser, error)
	// dossierFS gives an fs.FS and a name inside it that opens the dossier log.
	dossierFS(name string) (fs.FS, string)
}

type osSource struct{ dir string }

func (s osSource) resolve(written string) (string, error) {
	if written == "" {
		return "", errors.New("empty path")
	}
	if filepath.IsAbs(written) {
		return filepath.Clean(written), nil
	}
	return filepath.Join(s.dir, filepath.FromSlash(written)), nil
}

// open refuses FIFOs, devices and directories before opening: a FIFO would
// block the open forever and a device (/dev/zero) never ends.
func (s osSource) open(name string) (io.ReadCloser, error) { return OpenInput(name) }

func (s osSource) dossierFS(name string) (fs.FS, string) {
	return os.DirFS(filepath.Dir(name)), filepath.Base(name)
}

type fsSource struct {
	fsys fs.FS
	dir  string
}

func (s fsSource) resolve(written string) (string, error) {
	if written == "" {
		return "", errors.New("empty path")
	}
	if strings.HasPrefix(written, "/") || filepath.IsAbs(written) {
		return "", fmt.Errorf("absolute path %q is not allowed inside an embedded or fs.FS dataset", written)
	}
	name := path.Join(s.dir, filepath.ToSlash(written))
	if !fs.ValidPath(name) {
		return "", fmt.Errorf("path %q leaves the dataset's file system", written)
	}
	return name, nil
}

// open applies the regular-file check when the file system can stat; when
// it cannot, Open reports the missing file itself.
func (s fsSource) open(name string) (io.ReadCloser, error) {
	if fi, err := fs.Stat(s.fsys, name); err == nil {
		if err := checkMode(name, fi); err != nil {
			return nil, err
		}
	}
	return s.fsys.Open(name)
}

func (s fsSource) dossierFS(name string) (fs.FS, string) { return s.fsys, name }

// readFile reads a whole input file; a missing or unreadable file becomes a
// Problem naming the dataset.yaml key that points at it.
func (l *loader) readFile(key, written string) (name string, b []byte, ok bool) {
	name, err := l.src.resolve(written)
	if err != nil {
		l.add(Problem{File: l.yamlName, Field: key, Msg: err.Error(),
			Fix: "give a path relative to the dataset.yaml directory"})
		return written, nil, false
	}
	f, err := l.src.open(name)
	if err != nil {
		l.add(openProblem(l.yamlName, key, name, err))
		return name, nil, false
	}
	defer f.Close()
	b, err = ReadLimited(f, name, InputLimit(MaxDataBytes))
	if err != nil {
		p, ok := inputProblem(name, err)
		if !ok {
			p = Problem{File: name, Msg: fmt.Sprintf("cannot read: %v", err),
				Fix: "check that the file is readable and not a directory"}
		}
		l.add(p)
		return name, nil, false
	}
	b, p, ok := checkText(name, b)
	if !ok {
		l.add(p)
		return name, nil, false
	}
	return name, b, true
}

func openProblem(yamlName, key, name string, err error) Problem {
	if p, ok := inputProblem(name, err); ok {
		return p
	}
	if errors.Is(err, fs.ErrNotExist) {
		return Problem{File: name, Msg: "file does not exist (named by " + key + " in " + yamlName + ")",
			Fix: "correct " + key + " in " + yamlName + "; paths are relative to the dataset.yaml directory"}
	}
	return Problem{File: name, Msg: fmt.Sprintf("cannot open: %v", err),
		Fix: "check the file's permissions and the path in " + key}
}

// inputProblem words the input guards' refusals (not a regular file, over
// the size limit, unreadable) as a Problem about the file.
func inputProblem(name string, err error) (Problem, bool) {
	var nr *NotRegularError
	var tl *TooLargeError
	switch {
	case errors.As(err, &nr):
		return Problem{File: name, Msg: fmt.Sprintf("is %s, not a regular file", nr.What),
			Fix: "give the path of an ordinary file; onestop does not read pipes, devices or directories"}, true
	case errors.As(err, &tl):
		return Problem{File: name, Msg: fmt.Sprintf("the file is larger than %d MiB, the most onestop reads from one file", tl.Limit>>20),
			Fix: fmt.Sprintf("check that the path names the right file, or raise the limit with %s=<MiB>", EnvMaxInput)}, true
	}
	return Problem{}, false
}

// loader carries one load: its source, the parsed spec and every problem found.
type loader struct {
	ctx      context.Context
	src      source
	yamlName string
	spec     Spec
	probs    Problems
	ds       *Dataset
	// communeProps keeps each commune's GeoJSON properties for the area-class
	// field, which is applied after all communes are known.
	communeProps []map[string]any
	// communeRecords and districtNames run parallel to ds.Communes: the
	// record number in the communes file and the district name property.
	communeRecords []int
	districtNames  []string
	communeFile    string
	communeIdx     *communeIndex
	codeIdx        map[string]int
	// group is how communes are grouped (district, province, named field).
	group grouping
	// fallbacks lists communes whose population is an estimate.
	fallbacks []fallbackUse
	// unselected holds the codes and names of the communes communes.select
	// left out: references to them are clipped, not errors.
	unselected map[string]bool
	// rejected holds codes of communes dropped for an error, so that later
	// references to them do not repeat the error as "unknown commune".
	rejected map[string]bool
	// rejectedCommunes lists those communes with their boundary when it is
	// usable, so an office or grid cell inside one is not called "outside
	// every commune".
	rejectedCommunes []rejectedCommune
}

func (l *loader) add(p Problem) { l.probs = append(l.probs, p) }

func load(ctx context.Context, src source, yamlName string) (*Dataset, error) {
	l := &loader{ctx: ctx, src: src, yamlName: yamlName, rejected: map[string]bool{}, unselected: map[string]bool{}}
	l.ds = &Dataset{Source: yamlName}
	f, err := src.open(yamlName)
	if err != nil {
		p := Problem{File: yamlName, Msg: fmt.Sprintf("cannot open the dataset file: %v", err),
			Fix: "give the path of an existing dataset.yaml (see docs/dataset.md)"}
		if errors.Is(err, fs.ErrNotExist) {
			p.Msg = "the dataset file does not exist"
		} else if ip, ok := inputProblem(yamlName, err); ok {
			p = ip
		}
		return nil, &ValidationError{Problems: Problems{p}}
	}
	raw, err := ReadLimited(f, yamlName, InputLimit(MaxConfigBytes))
	f.Close()
	if err != nil {
		if p, ok := inputProblem(yamlName, err); ok {
			return nil, &ValidationError{Problems: Problems{p}}
		}
		return nil, fmt.Errorf("read %s: %w", yamlName, err)
	}
	if !l.parseSpec(raw) {
		return nil, &ValidationError{Problems: l.probs}
	}
	l.ds.Name = l.spec.Name
	if l.ds.Name == "" {
		l.ds.Name = strings.TrimSuffix(path.Base(filepath.ToSlash(yamlName)), path.Ext(yamlName))
	}

	steps := []func() error{
		always(l.loadCommunes),
		always(l.loadDistricts),
		always(l.assignAreaClasses),
		always(l.checkCommuneGeometryRelations),
		always(func() {
			if l.spec.Offices != nil {
				l.loadOffices()
			} else {
				l.generateOffices()
			}
		}),
		always(func() {
			if l.spec.Population != nil {
				l.loadPopulation()
			}
		}),
		func() error {
			if l.spec.Roads != nil {
				return l.loadRoads()
			}
			return nil
		},
		always(func() {
			if l.spec.Dossiers != nil {
				l.resolveDossiers()
			}
		}),
	}
	for _, s := range steps {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("load %s: %w", yamlName, err)
		}
		if err := s(); err != nil {
			return nil, err
		}
	}

	var errs, warns Problems
	for _, p := range l.probs {
		if p.Severity == Error {
			errs = append(errs, p)
		} else {
			warns = append(warns, p)
		}
	}
	if len(errs) > 0 {
		// Warnings stay in the report: they often explain the errors.
		return nil, &ValidationError{Problems: l.probs}
	}
	l.ds.Warnings = warns
	return l.ds, nil
}

// always adapts a loading step that only records problems and never aborts.
func always(f func()) func() error {
	return func() error { f(); return nil }
}

func (l *loader) resolveDossiers() {
	key := "dossiers.file"
	name, err := l.src.resolve(l.spec.Dossiers.File)
	if err != nil {
		l.add(Problem{File: l.yamlName, Field: key, Msg: err.Error(),
			Fix: "give a path relative to the dataset.yaml directory"})
		return
	}
	f, err := l.src.open(name)
	if err != nil {
		l.add(openProblem(l.yamlName, key, name, err))
		return
	}
	f.Close()
	l.ds.Files, l.ds.DossierLog = l.src.dossierFS(name)
	l.ds.DossierSample = 1
	switch s := l.spec.Dossiers.Sample; {
	case s == 0:
	case !(s > 0 && s <= 1): // also NaN, which YAML writes as .nan
		l.add(Problem{File: l.yamlName, Field: "dossiers.sample", Msg: fmt.Sprintf("sample %g is not in (0, 1]", s),
			Fix: "give the fraction of all dossiers the log holds, e.g. 0.01 for a 1 % sample, or omit it for a complete log"})
	default:
		l.ds.DossierSample = s
	}
}
