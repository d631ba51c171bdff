// Package progress reports the steps of long work on stderr: a live bar on
// a terminal, nothing when quiet or when stderr is not a terminal (logs, CI).
package progress

import (
	"io"
	"os"
	"sync"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"
)

// tick is how often the bar is redrawn while a step runs, so its elapsed
// time moves and a long step does not look like a hang.
const tick = 500 * time.Millisecond

// Reporter shows progress of one multi-step job. The zero value is silent.
// Its methods are safe for concurrent use (a solver may report details
// from its own goroutine).
type Reporter struct {
	bar  *progressbar.ProgressBar
	mu   sync.Mutex
	step string
	// detail is the latest news inside the step ("bound 12 · best 15").
	detail string
	start  time.Time
	stop   chan struct{}
	once   sync.Once
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
		// Steps differ by orders of magnitude: a remaining-time guess from
		// the step count would mislead.
		progressbar.OptionSetPredictTime(false),
	)
	r := &Reporter{bar: bar, step: title, start: time.Now(), stop: make(chan struct{})}
	go r.redraw()
	return r
}

func (r *Reporter) redraw() {
	t := time.NewTicker(tick)
	defer t.Stop()
	for {
		select {
		case <-t.C:
			r.mu.Lock()
			r.bar.Describe(r.label())
			r.mu.Unlock()
		case <-r.stop:
			return
		}
	}
}

// label is the step, the time since the job started and the detail.
func (r *Reporter) label() string {
	s := r.step + " · " + time.Since(r.start).Truncate(time.Second).String()
	if r.detail != "" {
		s += " · " + r.detail
	}
	return s
}

// Step marks the start of a named step and advances the bar by one.
func (r *Reporter) Step(name string) {
	if r == nil || r.bar == nil {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.step, r.detail = name, ""
	r.bar.Describe(r.label())
	r.bar.Add(1)
}

// Detail shows what is happening inside the current step (a solver's bound
// and best plan so far); the next Step clears it.
func (r *Reporter) Detail(text string) {
	if r == nil || r.bar == nil {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.detail = text
	r.bar.Describe(r.label())
}

// Done finishes the bar. It may be called more than once.
func (r *Reporter) Done() {
	if r == nil || r.bar == nil {
		return
	}
	r.once.Do(func() {
		close(r.stop)
		r.mu.Lock()
		defer r.mu.Unlock()
		r.bar.Finish()
	})
}
