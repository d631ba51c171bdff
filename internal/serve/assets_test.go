package serve

import (
	"io"
	"net/http"
	"testing"

	"github.com/onestop/onestop/reports"
)

// TestEChartsIsTheReportsCopy: the page loads the report's vendored ECharts,
// byte for byte, and the page's own assets are still served.
func TestEChartsIsTheReportsCopy(t *testing.T) {
	_, ts := demoServer(t)
	for _, tc := range []struct {
		path, want string
	}{
		{"/assets/echarts.min.js", reports.ECharts()},
		{"/assets/app.js", ""},
	} {
		r, err := http.Get(ts.URL + tc.path)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(r.Body)
		r.Body.Close()
		if r.StatusCode != http.StatusOK || len(b) == 0 {
			t.Fatalf("%s: status %d, %d bytes", tc.path, r.StatusCode, len(b))
		}
		if tc.want != "" && string(b) != tc.want {
			t.Errorf("%s: %d bytes, not the report's %d-byte copy", tc.path, len(b), len(tc.want))
		}
	}
}
