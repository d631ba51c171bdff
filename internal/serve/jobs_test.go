package serve

import (
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"
)

func getJSON(t *testing.T, url string, out any) int {
	t.Helper()
	r, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Body.Close()
	if err := json.NewDecoder(r.Body).Decode(out); err != nil {
		t.Fatal(err)
	}
	return r.StatusCode
}

// waitJob polls a job until it is no longer running.
func waitJob(t *testing.T, url, id string) job {
	t.Helper()
	deadline := time.Now().Add(3 * time.Minute)
	for time.Now().Before(deadline) {
		var j job
		if code := getJSON(t, url+"/api/optimize/"+id, &j); code != 200 {
			t.Fatalf("job %s: status %d", id, code)
		}
		if j.Status != "running" {
			return j
		}
		time.Sleep(200 * time.Millisecond)
	}
	t.Fatalf("job %s still running after 3 minutes", id)
	return job{}
}

func TestOptimizeJobs(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the optimizer twice")
	}
	s, ts := demoServer(t)
	s.sc.Optimize.Work = 500 // a small budget: the test is about the jobs, not the plan
	locked := s.base.Offices[0].ID
	var started map[string]string
	if code := post(t, ts.URL+"/api/optimize", Edits{Locked: []string{locked}}, &started); code != http.StatusAccepted {
		t.Fatalf("start: status %d", code)
	}
	var busy map[string]string
	if code := post(t, ts.URL+"/api/optimize", Edits{}, &busy); code != http.StatusConflict {
		t.Errorf("a second job while one runs: status %d, want 409", code)
	}
	j := waitJob(t, ts.URL, started["job"])
	if j.Status != "done" || j.Result == nil {
		t.Fatalf("job: %+v", j)
	}
	for _, id := range j.Result.Closed {
		if id == locked {
			t.Errorf("the optimizer closed locked office %s", id)
		}
	}
	if j.Closes != len(j.Result.Closed) || j.Closes == 0 {
		t.Errorf("closes %d, result closes %d offices (the demo's phase 3 closes some)", j.Closes, len(j.Result.Closed))
	}
	// The result is a valid body for /api/evaluate.
	var ev Evaluation
	if code := post(t, ts.URL+"/api/evaluate", Edits{Closed: j.Result.Closed, Open: j.Result.Open, Add: j.Result.Add}, &ev); code != 200 {
		t.Fatalf("evaluate the optimized network: status %d", code)
	}
	if want := len(s.base.Offices) - len(j.Result.Closed) + len(j.Result.Add); ev.Offices != want {
		t.Errorf("optimized network: %d offices, want %d", ev.Offices, want)
	}
	// Cancel: the job stops and says so.
	if code := post(t, ts.URL+"/api/optimize", Edits{}, &started); code != http.StatusAccepted {
		t.Fatalf("restart: status %d", code)
	}
	req, _ := http.NewRequest(http.MethodDelete, ts.URL+"/api/optimize/"+started["job"], nil)
	r, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	r.Body.Close()
	if j := waitJob(t, ts.URL, started["job"]); j.Status != "cancelled" {
		t.Errorf("cancelled job: status %q (%s)", j.Status, j.Error)
	}
	var missing map[string]string
	if code := getJSON(t, ts.URL+"/api/optimize/99", &missing); code != http.StatusNotFound {
		t.Errorf("unknown job: status %d", code)
	}
}

// TestSaveWithNewPoint saves a network with a closed office and an added
// point and checks that `onestop plan` on the saved files opens exactly
// the page's offices with the same coverage.
func TestSaveWithNewPoint(t *testing.T) {
	if testing.Short() {
		t.Skip("runs onestop plan")
	}
	s, ts := demoServer(t)
	o := s.base.Offices[len(s.base.Offices)/2]
	e := Edits{Closed: []string{s.base.Offices[1].ID},
		Add: []Point{{ID: "new-1", Lon: o.Location[0] + 0.0123456789, Lat: o.Location[1] - 0.00987654321, Kind: "inter-ward"}}}
	var ev Evaluation
	if code := post(t, ts.URL+"/api/evaluate", e, &ev); code != 200 {
		t.Fatalf("evaluate: status %d", code)
	}
	var saved struct{ Files []SavedFile }
	if code := post(t, ts.URL+"/api/save", e, &saved); code != 200 || len(saved.Files) != 2 {
		t.Fatalf("save: status %d, %d files", code, len(saved.Files))
	}
	dir := t.TempDir()
	for _, f := range saved.Files {
		if err := os.WriteFile(filepath.Join(dir, f.Name), []byte(f.Text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	checkPlanReproduces(t, s, filepath.Join(dir, ScenarioFile), e, ev)
}

// TestOptimizeCounts recomputes a job's "closes" and "opens" from its
// result when the page had already closed an office: only the changes the
// optimizer made count, not the page's own.
func TestOptimizeCounts(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the optimizer")
	}
	s, ts := demoServer(t)
	s.sc.Optimize.Work = 500
	e := Edits{Closed: []string{s.base.Offices[1].ID}}
	var started map[string]string
	if code := post(t, ts.URL+"/api/optimize", e, &started); code != http.StatusAccepted {
		t.Fatalf("start: status %d", code)
	}
	j := waitJob(t, ts.URL, started["job"])
	if j.Status != "done" || j.Result == nil {
		t.Fatalf("job: %+v", j)
	}
	pageClosed := map[string]bool{}
	for _, id := range e.Closed {
		pageClosed[id] = true
	}
	closes, kept := 0, 0
	for _, id := range j.Result.Closed {
		if pageClosed[id] {
			kept++
		} else {
			closes++
		}
	}
	if kept != len(e.Closed) {
		t.Errorf("the result keeps %d of the page's %d closures", kept, len(e.Closed))
	}
	if j.Closes != closes {
		t.Errorf("closes %d, the result closes %d offices beyond the page's", j.Closes, closes)
	}
	if j.Opens != len(j.Result.Add) {
		t.Errorf("opens %d, the result adds %d points", j.Opens, len(j.Result.Add))
	}
}
