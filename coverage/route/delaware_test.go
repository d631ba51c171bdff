package route

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/onestop/onestop/data/roads"
)

// delawarePath finds the Delaware extract shipped in paulmach/osm's module
// (fetch it with `go mod download github.com/paulmach/osm@v0.8.0`).
func delawarePath(tb testing.TB) string {
	tb.Helper()
	out, err := exec.Command("go", "env", "GOMODCACHE").Output()
	if err != nil {
		tb.Skipf("cannot ask go for GOMODCACHE: %v", err)
	}
	p := filepath.Join(strings.TrimSpace(string(out)), "github.com/paulmach/osm@v0.8.0/testdata/delaware-latest.osm.pbf")
	if _, err := os.Stat(p); err != nil {
		tb.Skipf("Delaware extract absent (%v); run `go mod download github.com/paulmach/osm@v0.8.0`", err)
	}
	return p
}

func loadDelaware(tb testing.TB) (*roads.Network, *Graph) {
	tb.Helper()
	net, err := roads.LoadPBFFile(context.Background(), delawarePath(tb), roads.Options{})
	if err != nil {
		tb.Fatal(err)
	}
	return net, New(net)
}
