// Package progress reports the steps of long work on stderr: a live bar on
// a terminal, nothing when quiet or when stderr is not a terminal (logs, CI).
package progress

import (
	"io"
	"os"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"
)

// Reporter shows progress of one multi-step job. The zero value is silent.
type Reporter struct {
	bar *progressbar.ProgressBar
}

// New returns a reporter for a job of total steps. It is silent when quiet is
// set or w is not a terminal.
func New(w io.Writer, total int, title string, quiet bool) *Reporter {
	f, ok := w.(*os.File)
	if quiet || !ok || !term.IsTerminal(int(f.Fd())) {
		return &Reporter{}
	}
	bar := progressbar.NewOptions(total,
		progressbar.OptionSetWriter(w),
		progressbar.OptionSetDescription(title),
		progressbar.OptionShowCount(),
		progressbar.OptionSetWidth(30),
		progressbar.OptionClearOnFinish(),
		progressbar.OptionShowElapsedTimeOnFinish(),
	)
	return &Reporter{bar: bar}
}

// Step marks the start of a named step and advances the bar by one.
func (r *Reporter) Step(name string) {
	if r == nil || r.bar == nil {
		return
	}
	r.bar.Describe(name)
	r.bar.Add(1)
}

// Done finishes the bar.
func (r *Reporter) Done() {
	if r == nil || r.bar == nil {
		return
	}
	r.bar.Finish()
}
