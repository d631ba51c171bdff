package serve

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"sync"

	"github.com/onestop/onestop/data"
	"github.com/onestop/onestop/internal/pipeline"
	"github.com/onestop/onestop/optimize"
)

// jobs runs at most one optimize job at a time; the last one stays
// readable until the next starts.
type jobs struct {
	ctx context.Context // cancelled when the server shuts down
	mu  sync.Mutex
	cur *job
	n   int
	wg  sync.WaitGroup
}

// job is one "optimize from here" run.
type job struct {
	ID       string `json:"id"`
	Status   string `json:"status"` // running, done, failed, cancelled
	Progress string `json:"progress"`
	Error    string `json:"error,omitempty"`
	// Result is the optimizer's network as edits of the start network,
	// ready for /api/evaluate; Closes and Opens count its changes.
	Result *Edits `json:"result,omitempty"`
	Closes int    `json:"closes,omitempty"`
	Opens  int    `json:"opens,omitempty"`
	cancel context.CancelFunc
}

func (j *jobs) wait() { j.wg.Wait() }

// snapshot copies the current job under the lock.
func (j *jobs) snapshot(id string) (job, bool) {
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.cur == nil || j.cur.ID != id {
		return job{}, false
	}
	return *j.cur, true
}

func (j *jobs) update(f func(*job)) {
	j.mu.Lock()
	defer j.mu.Unlock()
	f(j.cur)
}

func (s *Server) handleOptimize(w http.ResponseWriter, r *http.Request) {
	var e Edits
	if err := decode(w, r, &e); err != nil {
		fail(w, http.StatusBadRequest, err)
		return
	}
	base, err := s.optimizeBase(e) // checks e (openSet)
	if err != nil {
		fail(w, http.StatusUnprocessableEntity, err)
		return
	}
	s.jobs.mu.Lock()
	if s.jobs.cur != nil && s.jobs.cur.Status == "running" {
		id := s.jobs.cur.ID
		s.jobs.mu.Unlock()
		fail(w, http.StatusConflict, fmt.Errorf("optimize job %s is still running; wait for it or cancel it (DELETE /api/optimize/%s)", id, id))
		return
	}
	parent := s.jobs.ctx
	if parent == nil {
		parent = context.Background()
	}
	ctx, cancel := context.WithCancel(parent)
	s.jobs.n++
	jb := &job{ID: strconv.Itoa(s.jobs.n), Status: "running", Progress: "starting", cancel: cancel}
	s.jobs.cur = jb
	s.jobs.wg.Add(1)
	s.jobs.mu.Unlock()
	go func() {
		defer s.jobs.wg.Done()
		defer cancel()
		res, err := s.runOptimize(ctx, e, base)
		s.jobs.update(func(j *job) {
			switch {
			case errors.Is(err, context.Canceled) || (err != nil && ctx.Err() != nil):
				j.Status, j.Error = "cancelled", "cancelled"
			case err != nil:
				j.Status, j.Error = "failed", err.Error()
			default:
				j.Status, j.Result = "done", res
				j.Closes, j.Opens = len(res.Closed)-len(e.Closed), len(res.Add)-len(e.Add)
			}
		})
	}()
	writeJSON(w, http.StatusAccepted, map[string]string{"job": jb.ID, "status": "running"})
}

func (s *Server) handleJob(w http.ResponseWriter, r *http.Request) {
	j, ok := s.jobs.snapshot(r.PathValue("job"))
	if !ok {
		fail(w, http.StatusNotFound, fmt.Errorf("no optimize job %q (only the latest job is kept)", clip(r.PathValue("job"))))
		return
	}
	writeJSON(w, http.StatusOK, j)
}

func (s *Server) handleCancel(w http.ResponseWriter, r *http.Request) {
	j, ok := s.jobs.snapshot(r.PathValue("job"))
	if !ok {
		fail(w, http.StatusNotFound, fmt.Errorf("no optimize job %q", clip(r.PathValue("job"))))
		return
	}
	if j.cancel != nil {
		j.cancel()
	}
	writeJSON(w, http.StatusAccepted, map[string]string{"job": j.ID, "status": "cancelling"})
}

// optimizeBase is the network the optimizer starts from: the edited
// network, with the locked offices and points marked locked.
func (s *Server) optimizeBase(e Edits) (optimize.Network, error) {
	want, err := s.openSet(e)
	if err != nil {
		return optimize.Network{}, err
	}
	locked := map[string]bool{}
	for _, id := range e.Locked {
		locked[id] = true
	}
	var open []data.Office
	for _, o := range s.base.Offices {
		if w, ok := want["o:"+o.ID]; ok {
			open = append(open, w.office)
		}
	}
	for _, p := range e.Add {
		open = append(open, want["a:"+p.ID].office)
	}
	n := s.network(e, open)
	for k := range n.Offices {
		if locked[n.Offices[k].ID] {
			n.Offices[k].Locked = true
		}
	}
	return n, nil
}

// badIDChars are what an id of a new point may not hold on the page.
var badIDChars = regexp.MustCompile(`[^A-Za-z0-9._-]`)

// runOptimize runs pipeline.Optimize from base with the scenario's
// optimizer settings and turns its network into edits.
func (s *Server) runOptimize(ctx context.Context, e Edits, base optimize.Network) (*Edits, error) {
	op := pipeline.ScenarioOptimizeParams(s.sc)
	op.FixedSeconds = true
	op.ExportLP = "" // the server writes no file
	op.Curve = false
	op.Load = pipeline.ScenarioLoadParams(s.sc) // premises and norms as `onestop plan` sizes them
	// Forced-open ids of the scenario that the page closed are dropped:
	// the page's closures win.
	var force []string
	for _, id := range op.ForceOpen {
		for _, o := range base.Offices {
			if o.ID == id {
				force = append(force, id)
				break
			}
		}
	}
	op.ForceOpen = force
	op.Progress = func(p optimize.Progress) {
		s.jobs.update(func(j *job) { j.Progress = p.String() })
	}
	opz, err := pipeline.Optimize(ctx, s.ds, s.idx, s.model, s.rule, base, s.demand, op)
	if err != nil {
		return nil, err
	}
	open := map[string]bool{}
	for _, o := range opz.Network.Offices {
		open[o.ID] = true
	}
	out := &Edits{Locked: e.Locked}
	for _, o := range s.base.Offices {
		switch {
		case !open[o.ID] && !s.startClosed[o.ID]:
			out.Closed = append(out.Closed, o.ID)
		case open[o.ID] && s.startClosed[o.ID]:
			out.Open = append(out.Open, o.ID)
		}
	}
	for _, p := range e.Add {
		if open[p.ID] {
			out.Add = append(out.Add, p)
		}
	}
	for _, np := range opz.Plan.New {
		out.Add = append(out.Add, Point{ID: pointID(np.ID), Lon: np.Lon, Lat: np.Lat, Kind: string(data.InterWard)})
	}
	return out, nil
}
