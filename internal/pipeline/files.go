package pipeline

import (
	"bufio"
	"io"
	"path/filepath"
	"slices"

	"github.com/onestop/onestop/internal/atomicfile"
)

// WriteFiles writes each encoder's output to the file of its name in dir,
// each atomically, in name order. The domain packages return such maps
// (coverage.Files, dossier.Result.Files) and never touch the file system.
func WriteFiles(dir string, files map[string]func(io.Writer) error) error {
	names := make([]string, 0, len(files))
	for name := range files {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		err := atomicfile.Write(filepath.Join(dir, name), func(w io.Writer) error {
			bw := bufio.NewWriterSize(w, 1<<16)
			if err := files[name](bw); err != nil {
				return err
			}
			return bw.Flush()
		})
		if err != nil {
			return err // names the path
		}
	}
	return nil
}
