package reports

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	cdplog "github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	cdppage "github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/onestop/onestop/internal/testenv"
)

// pageProblems collects what the browser reports while the page loads.
type pageProblems struct {
	mu       sync.Mutex
	problems []string
}

func (p *pageProblems) add(format string, a ...any) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.problems = append(p.problems, fmt.Sprintf(format, a...))
}

func (p *pageProblems) list() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.problems...)
}

// listen records JavaScript exceptions, console errors, browser log errors
// and any request that leaves the file (the page must need no network).
func (p *pageProblems) listen(ev any) {
	switch e := ev.(type) {
	case *runtime.EventExceptionThrown:
		msg := e.ExceptionDetails.Text
		if e.ExceptionDetails.Exception != nil {
			msg += " " + e.ExceptionDetails.Exception.Description
		}
		p.add("JavaScript exception: %s (line %d)", msg, e.ExceptionDetails.LineNumber)
	case *runtime.EventConsoleAPICalled:
		if e.Type == "error" || e.Type == "assert" {
			var parts []string
			for _, a := range e.Args {
				parts = append(parts, string(a.Value)+a.Description)
			}
			p.add("console.%s: %s", e.Type, strings.Join(parts, " "))
		}
	case *cdplog.EventEntryAdded:
		if e.Entry != nil && e.Entry.Level == "error" {
			p.add("browser log error: %s %s", e.Entry.Text, e.Entry.URL)
		}
	case *network.EventRequestWillBeSent:
		if e.Request != nil && !strings.HasPrefix(e.Request.URL, "file:") && !strings.HasPrefix(e.Request.URL, "data:") {
			p.add("network request: %s", e.Request.URL)
		}
	}
}

// chartPixels asks each chart container how many non-transparent pixels its
// canvases hold: a chart that failed to draw has none.
const chartPixels = `(() => {
  const out = {};
  document.querySelectorAll('.item[id]').forEach(el => {
    let n = 0;
    el.querySelectorAll('canvas').forEach(cv => {
      const ctx = cv.getContext('2d');
      if (!ctx || cv.width === 0 || cv.height === 0) { return; }
      const d = ctx.getImageData(0, 0, cv.width, cv.height).data;
      for (let i = 3; i < d.length; i += 4) { if (d[i] !== 0) { n++; } }
    });
    out[el.id] = n;
  });
  return JSON.stringify(out);
})()`

// showTips opens the tooltip of the first item of every series, which runs
// the formatter functions (a broken one throws), and returns the text the
// first map's tooltip shows.
const showTips = `(() => {
  let first = '';
  document.querySelectorAll('.item[id]').forEach(el => {
    const c = echarts.getInstanceByDom(el);
    (c.getOption().series || []).forEach((s, i) => {
      if (s.data && s.data.length) {
        c.dispatchAction({type: 'showTip', seriesIndex: i, dataIndex: 0});
        if (!first && s.type === 'map') { first = el.innerText; }
      }
    });
    c.dispatchAction({type: 'hideTip'});
  });
  return first;
})()`

// trapScripts runs before any script of the page: alert() only counts, and
// both it and the payloads of the hostile names (onerror=window.__pwned=1)
// leave a mark that injectionMarks reads.
const trapScripts = `window.__alerts = 0;
window.alert = function () { window.__alerts++; window.__pwned = 1; };`

// injectionMarks reports whether any injected script ran.
const injectionMarks = `JSON.stringify({alerts: window.__alerts || 0, pwned: window.__pwned || 0})`

// allTips opens the tooltip of every data item of every series of every
// chart, so every formatter runs on every name, and returns the distinct
// tooltip texts and how many elements other than text and line breaks
// (an injected <img>, <svg>, <script>…) the tooltips ever held.
const allTips = `(() => {
  const out = {items: 0, texts: [], markup: []};
  const seen = new Set();
  document.querySelectorAll('.item[id]').forEach(el => {
    const c = echarts.getInstanceByDom(el);
    (c.getOption().series || []).forEach((s, i) => {
      (s.data || []).forEach((d, j) => {
        c.dispatchAction({type: 'showTip', seriesIndex: i, dataIndex: j});
        out.items++;
        el.querySelectorAll('img, svg, script, iframe, object, embed, a, b').forEach(m => out.markup.push(el.id + ': ' + m.outerHTML));
        const text = el.textContent;
        if (!seen.has(text)) { seen.add(text); out.texts.push(text); }
      });
    });
    c.dispatchAction({type: 'hideTip'});
  });
  return JSON.stringify(out);
})()`

// tipReport is what allTips returns.
type tipReport struct {
	Items  int      `json:"items"`
	Texts  []string `json:"texts"`
	Markup []string `json:"markup"`
}

// checkHostileTips shows every tooltip of a page built from hostileRun and
// fails if one held markup from a name or if one of names is not shown as text.
func checkHostileTips(t *testing.T, tab context.Context, names []string) {
	t.Helper()
	raw, err := chromedp.Run(tab, chromedp.Evaluate[string](allTips))
	if err != nil {
		t.Fatalf("tooltips: %v", err)
	}
	var tips tipReport
	if err := json.Unmarshal([]byte(raw), &tips); err != nil {
		t.Fatal(err)
	}
	t.Logf("showed %d tooltips, %d distinct", tips.Items, len(tips.Texts))
	if tips.Items < 100 {
		t.Errorf("only %d tooltips shown: the charts lost their data", tips.Items)
	}
	for _, m := range tips.Markup {
		t.Errorf("tooltip holds an element from a name: %s", m)
	}
	all := strings.Join(tips.Texts, "\n")
	for _, name := range names {
		if !strings.Contains(all, name) {
			t.Errorf("no tooltip shows the name %q as text", name)
		}
	}
}

func TestReportInBrowser(t *testing.T) {
	t.Parallel()
	chrome := testenv.Chromium(t)
	dir := t.TempDir()
	tests := []struct {
		name   string
		page   func(t *testing.T) ([]byte, error)
		charts []string
		// broken pages prove the harness sees errors: they must report these
		wantProblems []string
		tip          string // text the first map tooltip must show
		// hostile pages are built from hostileRun: every tooltip is shown and
		// must show these names as text
		hostile []string
		// layout pages are also shot at phone width (no sideways overflow)
		// and printed to an A4 PDF whose page count must lie in pdfPages
		layout   bool
		pdfPages [2]int
	}{
		{"report_vi", func(*testing.T) ([]byte, error) { return Render(syntheticRun(11, Vietnamese)) },
			[]string{"map_before", "map_after", "travel_hist", "office_load"}, nil, syntheticRun(11, Vietnamese).Communes[0].Name, nil, true, [2]int{5, 20}},
		{"report_en", func(*testing.T) ([]byte, error) {
			return Render(withCurve(withUnstableQueue(syntheticRun(11, English))))
		},
			[]string{"map_before", "map_after", "travel_hist", "office_load", "tradeoff_curve"}, nil, syntheticRun(11, English).Communes[0].Name, nil, true, [2]int{5, 20}},
		{"compare_en", func(*testing.T) ([]byte, error) {
			a, b := syntheticRun(11, English), syntheticRun(12, English)
			b.Scenario = "Variant B"
			return Compare(a, b)
		}, []string{"map_a", "map_b", "compare_hist"}, nil, syntheticRun(11, English).Communes[0].Name, nil, true, [2]int{3, 12}},
		{"binhduong_vi", func(t *testing.T) ([]byte, error) { return Render(binhDuongRun(binhDuongDataset(t), Vietnamese)) },
			[]string{"map_before", "map_after", "travel_hist", "office_load"}, nil, "Phường", nil, true, [2]int{6, 30}},
		{"binhduong_en", func(t *testing.T) ([]byte, error) { return Render(binhDuongRun(binhDuongDataset(t), English)) },
			[]string{"map_before", "map_after", "travel_hist", "office_load"}, nil, "Phường", nil, true, [2]int{6, 30}},
		{"empty_run_en", func(*testing.T) ([]byte, error) { return Render(Run{Lang: English}) },
			[]string{"map_before", "map_after", "travel_hist", "office_load"}, nil, "", nil, false, [2]int{}},
		{"harness_sees_errors", func(*testing.T) ([]byte, error) {
			page, err := Render(syntheticRun(11, English))
			broken := `<script>fetch("http://127.0.0.1:9/x").catch(function () {}); throw new Error("boom");</script></body>`
			i := strings.LastIndex(string(page), "</body>")
			return []byte(string(page[:i]) + broken + string(page[i+len("</body>"):])), err
		}, []string{"map_before", "map_after", "travel_hist", "office_load"}, []string{"boom", "network request: http://127.0.0.1:9/x"}, "", nil, false, [2]int{}},
		{"hostile_report_en", func(*testing.T) ([]byte, error) { return Render(withUnstableQueue(hostileRun(11, English))) },
			[]string{"map_before", "map_after", "travel_hist", "office_load", "tradeoff_curve"}, nil, "", hostileNames, false, [2]int{}},
		{"hostile_compare_vi", func(*testing.T) ([]byte, error) { return Compare(hostileCompare(Vietnamese, false)) },
			[]string{"map_a", "map_b", "compare_hist"}, nil, "", hostileNames, false, [2]int{}},
		{"hostile_marker_compare_en", func(*testing.T) ([]byte, error) { return Compare(hostileCompare(English, true)) },
			[]string{"map_a", "map_b", "compare_hist"}, nil, "", append([]string{markerName}, hostileNames...), false, [2]int{}},
	}
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(chrome),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.UserDataDir(filepath.Join(dir, "profile")),
		chromedp.WindowSize(1400, 1000),
	)
	defer cancelAlloc()
	browserCtx, cancelBrowser := chromedp.NewContext(allocCtx)
	defer cancelBrowser()
	// ten pages on a shared machine; each takes 5–30 s with its layouts
	ctx, cancel := context.WithTimeout(browserCtx, 8*time.Minute)
	defer cancel()
	if err := chromedp.Do(ctx); err != nil { // start the browser once for all pages
		t.Fatalf("start chromium %s: %v", chrome, err)
	}

	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			page, err := tc.page(t)
			if err != nil {
				t.Fatal(err)
			}
			file := filepath.Join(dir, tc.name+".html")
			if err := os.WriteFile(file, page, 0o644); err != nil {
				t.Fatal(err)
			}
			tab, closeTab := chromedp.NewContext(ctx)
			defer closeTab()
			if err := chromedp.Do(tab); err != nil { // open the tab before listening
				t.Fatal(err)
			}
			var probs pageProblems
			if err := chromedp.Listen(tab, probs.listen); err != nil {
				t.Fatal(err)
			}
			block := []*network.BlockPattern{}
			for _, scheme := range []string{"http", "https", "ws", "wss"} {
				block = append(block, &network.BlockPattern{URLPattern: scheme + "://*:*/*", Block: true})
			}
			if _, err := chromedp.Call(tab, network.Enable, network.EnableParams{}); err != nil {
				t.Fatal(err)
			}
			if _, err := chromedp.Call(tab, network.SetBlockedURLs, network.SetBlockedURLsParams{URLPatterns: block}); err != nil {
				t.Fatal(err)
			}
			if _, err := chromedp.Call(tab, network.OverrideNetworkState, network.OverrideNetworkStateParams{Offline: true, DownloadThroughput: -1, UploadThroughput: -1}); err != nil {
				t.Fatal(err)
			}
			if _, err := chromedp.Call(tab, cdplog.Enable, cdp.Empty{}); err != nil {
				t.Fatal(err)
			}
			if _, err := chromedp.Call(tab, runtime.Enable, cdp.Empty{}); err != nil {
				t.Fatal(err)
			}
			if _, err := chromedp.Call(tab, cdppage.AddScriptToEvaluateOnNewDocument, cdppage.AddScriptToEvaluateOnNewDocumentParams{Source: trapScripts}); err != nil {
				t.Fatal(err)
			}
			u := url.URL{Scheme: "file", Path: file}
			if err := chromedp.Do(tab, chromedp.Navigate(u.String()), chromedp.WaitReady("footer")); err != nil {
				t.Fatalf("open %s: %v", u.String(), err)
			}
			// wait for the charts to finish drawing (animations included)
			var counts map[string]int
			deadline := time.Now().Add(20 * time.Second)
			for {
				raw, err := chromedp.Run(tab, chromedp.Evaluate[string](chartPixels))
				if err != nil {
					t.Fatal(err)
				}
				counts = map[string]int{}
				if err := json.Unmarshal([]byte(raw), &counts); err != nil {
					t.Fatal(err)
				}
				drawn := 0
				for _, id := range tc.charts {
					if counts[id] > 1000 {
						drawn++
					}
				}
				if drawn == len(tc.charts) || time.Now().After(deadline) {
					break
				}
				time.Sleep(300 * time.Millisecond)
			}
			if err := chromedp.Do(tab, chromedp.Sleep(1200*time.Millisecond)); err != nil {
				t.Fatal(err)
			}
			for _, id := range tc.charts {
				if counts[id] <= 1000 {
					t.Errorf("chart %s drew %d pixels: it did not render", id, counts[id])
				}
			}
			if len(counts) != len(tc.charts) {
				t.Errorf("page has charts %v, want exactly %v", counts, tc.charts)
			}
			shot, err := chromedp.Run(tab, chromedp.FullScreenshot(100))
			if err != nil {
				t.Fatal(err)
			}
			if tc.wantProblems != nil {
				got := strings.Join(probs.list(), "\n")
				for _, w := range tc.wantProblems {
					if !strings.Contains(got, w) {
						t.Errorf("the harness missed %q; it saw:\n%s", w, got)
					}
				}
				return
			}
			out := filepath.Join(artifactDir(t), tc.name+".png")
			if err := os.WriteFile(out, shot, 0o644); err != nil {
				t.Fatal(err)
			}
			t.Logf("screenshot: %s (%d bytes); chart pixels %v", out, len(shot), counts)
			// tooltips after the screenshot, so they do not cover the maps
			tip, err := chromedp.Run(tab, chromedp.Evaluate[string](showTips))
			if err != nil {
				t.Fatalf("tooltips: %v", err)
			}
			if tc.tip != "" && !strings.Contains(tip, tc.tip) {
				t.Errorf("map tooltip shows %q, want it to name %q", tip, tc.tip)
			}
			if tc.hostile != nil {
				checkHostileTips(t, tab, tc.hostile)
			}
			if tc.layout {
				checkPhoneLayout(t, tab, tc.name)
				checkPrintLayout(t, tab, tc.name, tc.pdfPages)
			}
			// late errors, and the error events of injected images, arrive now
			if err := chromedp.Do(tab, chromedp.Sleep(500*time.Millisecond)); err != nil {
				t.Fatal(err)
			}
			marks, err := chromedp.Run(tab, chromedp.Evaluate[string](injectionMarks))
			if err != nil {
				t.Fatal(err)
			}
			if marks != `{"alerts":0,"pwned":0}` {
				t.Errorf("a script injected through a name ran: %s", marks)
			}
			for _, p := range probs.list() {
				t.Error(p)
			}
		})
	}
}

// withCurve adds a trade-off curve with the plan's office count marked, so
// the browser draws the curve chart too.
func withCurve(r Run) Run {
	open := 0
	for _, o := range r.Offices {
		if o.Status != Closed {
			open++
		}
	}
	c := &Curve{Chosen: CurvePoint{Offices: open, MeanMinutes: r.After.MeanMinutes}}
	for k := -5; k <= 5; k++ {
		c.Points = append(c.Points, CurvePoint{Offices: open + k, MeanMinutes: max(0, r.After.MeanMinutes-0.4*float64(k))})
	}
	r.Curve = c
	return r
}

// withUnstableQueue marks the first open office's queue as growing without
// end, so the browser also draws the "∞" series of the load chart.
func withUnstableQueue(r Run) Run {
	for i, o := range r.Offices {
		if o.Status != Closed {
			r.Offices[i].WaitErlangMin, r.Offices[i].WaitSimMeanMin = UnstableWait, UnstableWait
			break
		}
	}
	return r
}

// overflowX reports how much wider than the window the page is, in CSS px
// (0 when nothing sticks out sideways), and the widest element that does.
const overflowX = `(() => {
  const w = document.documentElement.clientWidth, sw = document.scrollingElement.scrollWidth;
  let worst = '';
  if (sw > w) {
    let max = w;
    document.querySelectorAll('body *').forEach(el => {
      const r = el.getBoundingClientRect();
      if (r.right > max + 1) {
        max = r.right;
        let path = '';
        for (let e = el; e && e !== document.body; e = e.parentElement) { path = e.tagName + (e.id ? '#' + e.id : '') + (typeof e.className === 'string' && e.className ? '.' + e.className.split(' ')[0] : '') + ' ' + path; }
        worst = path + '(' + Math.round(r.right) + ' px)';
      }
    });
  }
  return JSON.stringify({width: w, innerWidth: window.innerWidth, scrollWidth: sw, worst: worst});
})()`

// settle waits for the charts to redraw after a resize.
func settle(t *testing.T, tab context.Context) {
	t.Helper()
	if err := chromedp.Do(tab, chromedp.Sleep(1500*time.Millisecond)); err != nil {
		t.Fatal(err)
	}
}

// checkPhoneLayout shows the page at 412 CSS px, a common phone width:
// nothing may overflow sideways (tables scroll in their own box), and the
// screenshot is kept as NAME_412.png.
func checkPhoneLayout(t *testing.T, tab context.Context, name string) {
	t.Helper()
	if _, err := chromedp.Call(tab, emulation.SetDeviceMetricsOverride, emulation.SetDeviceMetricsOverrideParams{
		Width: 412, Height: 915, DeviceScaleFactor: 1, Mobile: true}); err != nil {
		t.Fatal(err)
	}
	defer chromedp.Call(tab, emulation.ClearDeviceMetricsOverride, cdp.Empty{})
	settle(t, tab)
	raw, err := chromedp.Run(tab, chromedp.Evaluate[string](overflowX))
	if err != nil {
		t.Fatal(err)
	}
	var o struct {
		Width, InnerWidth, ScrollWidth int
		Worst                          string
	}
	if err := json.Unmarshal([]byte(raw), &o); err != nil {
		t.Fatal(err)
	}
	if o.Width != 412 {
		t.Errorf("phone view is %d px wide, want 412", o.Width)
	}
	if o.ScrollWidth > o.Width || o.ScrollWidth > o.InnerWidth {
		t.Errorf("at %d px the page is %d px wide: it overflows sideways (widest: %s)", o.Width, o.ScrollWidth, o.Worst)
	}
	shot, err := chromedp.Run(tab, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(artifactDir(t), name+"_412.png")
	if err := os.WriteFile(out, shot, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("phone screenshot: %s", out)
}

// a4Width is the printable width of A4 with the page's 10 mm margins, in
// CSS px (190 mm at 96 px per inch).
const a4Width = 718

// checkPrintLayout prints the page to an A4 PDF as Chromium's "Print → PDF"
// does, keeps it as NAME.pdf with a screenshot of the print layout
// (NAME_print.png), and checks the page count lies in pages.
func checkPrintLayout(t *testing.T, tab context.Context, name string, pages [2]int) {
	t.Helper()
	// the print media query makes the page draw its charts at paper width
	if _, err := chromedp.Call(tab, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"}); err != nil {
		t.Fatal(err)
	}
	defer chromedp.Call(tab, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{})
	settle(t, tab)
	yes := true
	res, err := chromedp.Call(tab, cdppage.PrintToPDF, cdppage.PrintToPDFParams{PaperWidth: 8.27, PaperHeight: 11.69,
		PrintBackground: &yes, PreferCSSPageSize: &yes})
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(artifactDir(t), name+".pdf")
	if err := os.WriteFile(out, res.Data, 0o644); err != nil {
		t.Fatal(err)
	}
	n := pdfPageCount(res.Data)
	t.Logf("PDF: %s, %d A4 pages", out, n)
	if n < pages[0] || n > pages[1] {
		t.Errorf("the A4 PDF has %d pages, want %d to %d", n, pages[0], pages[1])
	}
	// a picture of the print layout at paper width, to look at the pages
	if _, err := chromedp.Call(tab, emulation.SetDeviceMetricsOverride, emulation.SetDeviceMetricsOverrideParams{
		Width: a4Width, Height: 1000, DeviceScaleFactor: 1}); err != nil {
		t.Fatal(err)
	}
	defer chromedp.Call(tab, emulation.ClearDeviceMetricsOverride, cdp.Empty{})
	// a loaded machine may deliver the resize before layout settles: resize
	// once more, as a window change would
	if _, err := chromedp.Run(tab, chromedp.Evaluate[bool](`window.dispatchEvent(new Event('resize'))`)); err != nil {
		t.Fatal(err)
	}
	settle(t, tab)
	raw, err := chromedp.Run(tab, chromedp.Evaluate[string](overflowX))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(raw, fmt.Sprintf(`"scrollWidth":%d,`, a4Width)) {
		t.Errorf("print layout overflows the A4 width: %s", raw)
	}
	shot, err := chromedp.Run(tab, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(artifactDir(t), name+"_print.png"), shot, 0o644); err != nil {
		t.Fatal(err)
	}
}

// pdfPageCount counts the page objects of a PDF (Chromium writes them
// uncompressed as "/Type /Page").
func pdfPageCount(pdf []byte) int {
	return len(regexp.MustCompile(`/Type\s*/Page\b[^s]`).FindAll(pdf, -1))
}
