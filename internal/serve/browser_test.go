package serve

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/onestop/onestop/internal/pipeline"
	"github.com/onestop/onestop/internal/scenario"
	"github.com/onestop/onestop/internal/testenv"
	"github.com/onestop/onestop/optimize"
)

// TestPageInBrowser loads the page in headless Chromium with every host but
// the loopback server unreachable, closes an office by clicking it on the
// map, waits for the covered-residents figure to show the API's value,
// saves, and runs `onestop plan` (pipeline.Plan) on the saved scenario:
// the same open offices and the same covered residents.
func TestPageInBrowser(t *testing.T) {
	chrome := testenv.Chromium(t)
	s, ts := demoServer(t)

	// The office to close: the first whose closing changes the covered
	// residents, so the figure must move.
	var target string
	var want Evaluation
	for _, o := range s.base.Offices {
		var ev Evaluation
		if code := post(t, ts.URL+"/api/evaluate", Edits{Closed: []string{o.ID}}, &ev); code != 200 {
			t.Fatalf("evaluate: status %d", code)
		}
		if ev.CoveredPopulation != s.startSum.CoveredPopulation {
			target, want = o.ID, ev
			break
		}
	}
	if target == "" {
		t.Fatal("no office of the demo changes the covered residents when closed")
	}
	var lon, lat float64
	for _, o := range s.base.Offices {
		if o.ID == target {
			lon, lat = o.Location[0], o.Location[1]
		}
	}

	dir := t.TempDir()
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(chrome), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.NoFirstRun, chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-extensions", true),
		// No name resolves and no host but the loopback is reachable.
		chromedp.Flag("host-resolver-rules", "MAP * ~NOTFOUND , EXCLUDE 127.0.0.1"),
		chromedp.Flag("proxy-server", "http://0.0.0.0:9"),
		chromedp.Flag("proxy-bypass-list", "127.0.0.1"),
		chromedp.UserDataDir(filepath.Join(dir, "profile")),
		chromedp.WindowSize(1200, 900),
	)
	defer cancelAlloc()
	bctx, cancelB := chromedp.NewContext(alloc)
	defer cancelB()
	ctx, cancel := context.WithTimeout(bctx, 3*time.Minute)
	defer cancel()
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	var mu sync.Mutex
	var problems []string
	if err := chromedp.Listen(ctx, func(ev any) {
		mu.Lock()
		defer mu.Unlock()
		switch e := ev.(type) {
		case *runtime.EventExceptionThrown:
			msg := e.ExceptionDetails.Text
			if e.ExceptionDetails.Exception != nil {
				msg += " " + e.ExceptionDetails.Exception.Description
			}
			problems = append(problems, "exception: "+msg)
		case *network.EventRequestWillBeSent:
			if u := e.Request.URL; !strings.HasPrefix(u, ts.URL+"/") && !strings.HasPrefix(u, "blob:") && !strings.HasPrefix(u, "data:") {
				problems = append(problems, "request off the loopback server: "+u)
			}
		}
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Call(ctx, network.Enable, network.EnableParams{}); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Call(ctx, runtime.Enable, cdp.Empty{}); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(ts.URL+"/")); err != nil {
		t.Fatalf("open the page: %v", err)
	}
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`document.body.dataset.ready === "1"`, chromedp.WithPollingTimeout(60*time.Second))); err != nil {
		t.Fatalf("the page never got ready: %v", err)
	}
	covered := func() string {
		v, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.getElementById('covered').dataset.value || ''`))
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	if got := covered(); got != strconv.FormatInt(s.startSum.CoveredPopulation, 10) {
		t.Fatalf("covered residents shown at the start %q, the API says %d", got, s.startSum.CoveredPopulation)
	}
	js := fmt.Sprintf(`(() => { const el = document.getElementById('map'); const c = echarts.getInstanceByDom(el);
		const p = c.convertToPixel({geoIndex: 0}, [%v, %v]); const r = el.getBoundingClientRect(); return [p[0] + r.left, p[1] + r.top]; })()`, lon, lat)
	xy, err := chromedp.Run(ctx, chromedp.Evaluate[[]float64](js))
	if err != nil || len(xy) != 2 {
		t.Fatalf("office %s on screen: %v %v", target, xy, err)
	}
	wantText := strconv.FormatInt(want.CoveredPopulation, 10)
	if err := chromedp.Do(ctx, chromedp.MouseClickXY(xy[0], xy[1])); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](fmt.Sprintf(`document.getElementById('covered').dataset.value === %q`, wantText),
		chromedp.WithPollingTimeout(30*time.Second))); err != nil {
		t.Fatalf("after clicking office %s the page shows %s residents covered, the API %s: %v", target, covered(), wantText, err)
	}
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.getElementById('save').click(), true`)); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`document.getElementById('saved').textContent.length > 0`, chromedp.WithPollingTimeout(30*time.Second))); err != nil {
		t.Fatalf("save: %v", err)
	}
	saved, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.getElementById('saved').textContent`))
	if err != nil {
		t.Fatal(err)
	}
	// Undo brings the start's figure back.
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.getElementById('undo').click(), true`)); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](fmt.Sprintf(`document.getElementById('covered').dataset.value === %q`, strconv.FormatInt(s.startSum.CoveredPopulation, 10)),
		chromedp.WithPollingTimeout(30*time.Second))); err != nil {
		t.Errorf("after undo the page shows %s residents covered, the start %d: %v", covered(), s.startSum.CoveredPopulation, err)
	}
	// Add a point: "Add point" mode, click the map beside an office.
	o2 := s.base.Offices[len(s.base.Offices)/3]
	px := func(lon, lat float64) []float64 {
		js := fmt.Sprintf(`(() => { const el = document.getElementById('map'); const c = echarts.getInstanceByDom(el);
			const p = c.convertToPixel({geoIndex: 0}, [%v, %v]); const r = el.getBoundingClientRect(); return [p[0] + r.left, p[1] + r.top]; })()`, lon, lat)
		xy, err := chromedp.Run(ctx, chromedp.Evaluate[[]float64](js))
		if err != nil || len(xy) != 2 {
			t.Fatalf("pixel of %v,%v: %v %v", lon, lat, xy, err)
		}
		return xy
	}
	at := px(o2.Location[0], o2.Location[1])
	at[0] += 18
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.querySelector('input[name=mode][value=add]').click(), true`)); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.MouseClickXY(at[0], at[1])); err != nil {
		t.Fatal(err)
	}
	wantOffices := strconv.Itoa(s.startSum.Offices + 1)
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](fmt.Sprintf(`document.getElementById('offices').dataset.value === %q`, wantOffices),
		chromedp.WithPollingTimeout(30*time.Second))); err != nil {
		msg, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.getElementById('error').textContent`))
		t.Fatalf("after a click in add mode: offices never became %s (%v; page error %q)", wantOffices, err, msg)
	}
	edited := func() Edits {
		raw, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.body.dataset.edits || '{}'`))
		if err != nil {
			t.Fatal(err)
		}
		var e Edits
		if err := json.Unmarshal([]byte(raw), &e); err != nil {
			t.Fatalf("edits %q: %v", raw, err)
		}
		return e
	}
	added := edited().Add
	if len(added) != 1 {
		t.Fatalf("edits after adding: %+v", added)
	}
	// Drag it 40 px to the right: it moves east.
	from := px(added[0].Lon, added[0].Lat)
	if err := chromedp.Do(ctx,
		chromedp.MouseEvent(input.DispatchMouseEventTypeMousePressed, from[0], from[1], chromedp.ButtonLeft, chromedp.ClickCount(1)),
		chromedp.MouseEvent(input.DispatchMouseEventTypeMouseMoved, from[0]+20, from[1], chromedp.ButtonLeft),
		chromedp.MouseEvent(input.DispatchMouseEventTypeMouseMoved, from[0]+40, from[1], chromedp.ButtonLeft),
		chromedp.MouseEvent(input.DispatchMouseEventTypeMouseReleased, from[0]+40, from[1], chromedp.ButtonLeft, chromedp.ClickCount(1))); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](fmt.Sprintf(`(JSON.parse(document.body.dataset.edits || '{}').add || []).some(p => p.lon > %v)`, added[0].Lon),
		chromedp.WithPollingTimeout(30*time.Second))); err != nil {
		t.Errorf("dragging the new point did not move it east: edits %+v (%v)", edited(), err)
	} else if e := edited(); len(e.Add) != 1 || e.Add[0].ID != added[0].ID {
		t.Errorf("after the drag: %+v, want the one point %s moved", e.Add, added[0].ID)
	}
	mu.Lock()
	if len(problems) > 0 {
		t.Errorf("page problems: %s", strings.Join(problems, "; "))
	}
	mu.Unlock()

	var files []SavedFile
	if err := json.Unmarshal([]byte(saved), &files); err != nil {
		t.Fatalf("saved files %q: %v", saved, err)
	}
	for _, f := range files {
		if err := os.WriteFile(filepath.Join(dir, f.Name), []byte(f.Text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	checkPlanReproduces(t, s, filepath.Join(dir, ScenarioFile), Edits{Closed: []string{target}}, want)
}

// checkPlanReproduces runs the plan of a saved scenario and compares its
// network and coverage with the page's.
func checkPlanReproduces(t *testing.T, s *Server, path string, e Edits, want Evaluation) {
	t.Helper()
	sc, err := scenario.Load(path)
	if err != nil {
		t.Fatalf("saved scenario: %v", err)
	}
	out := filepath.Join(filepath.Dir(path), "plan")
	if err := os.MkdirAll(out, 0o755); err != nil {
		t.Fatal(err)
	}
	if _, err := pipeline.Plan(context.Background(), sc, out, pipeline.PlanOptions{FixedSeconds: true, LoadDataset: loadDemo}); err != nil {
		t.Fatalf("onestop plan on the saved scenario: %v", err)
	}
	b, err := os.ReadFile(filepath.Join(out, "summary.json"))
	if err != nil {
		t.Fatal(err)
	}
	var sum struct {
		After pipeline.NetSummary `json:"after"`
	}
	if err := json.Unmarshal(b, &sum); err != nil {
		t.Fatal(err)
	}
	if sum.After.Offices != want.Offices || sum.After.CoveredPopulation != want.CoveredPopulation || sum.After.Minutes != want.Minutes || sum.After.Km != want.Km {
		t.Errorf("plan of the saved scenario: %d offices, %d covered, minutes %+v, km %+v; the page: %d, %d, %+v, %+v",
			sum.After.Offices, sum.After.CoveredPopulation, sum.After.Minutes, sum.After.Km, want.Offices, want.CoveredPopulation, want.Minutes, want.Km)
	}
	plan, err := pipeline.ReadPlan(filepath.Join(out, "plan.json"))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, k := range plan.Kept {
		got = append(got, k.ID)
	}
	for _, n := range plan.New {
		got = append(got, n.ID)
	}
	wantIDs := openIDs(s, e)
	slices.Sort(got)
	if !slices.Equal(got, wantIDs) {
		t.Errorf("plan keeps/opens %v, the page has %v open", got, wantIDs)
	}
	_ = optimize.Plan{}
}

func openIDs(s *Server, e Edits) []string {
	var ids []string
	for _, o := range s.base.Offices {
		if !slices.Contains(e.Closed, o.ID) {
			ids = append(ids, o.ID)
		}
	}
	for _, p := range e.Add {
		ids = append(ids, p.ID)
	}
	slices.Sort(ids)
	return ids
}
