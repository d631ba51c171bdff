package roads

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/onestop/onestop/internal/testenv"

	"github.com/paulmach/osm"
	"github.com/paulmach/osm/osmpbf"
)

// Independent counts of delaware-latest.osm.pbf from
// `osmium fileinfo -e` (osmium-tool 1.15, Debian bookworm).
const (
	osmiumNodes     = 723870
	osmiumWays      = 73144
	osmiumRelations = 1644
)

// What this loader keeps of Delaware (largest SCC). A previous measurement
// found 297,200 nodes / 586,238 arcs. The difference is the class list:
// the car classes without track give 297,242 / 585,853 here (measured once
// with a temporary profile), within 0.1 %; track adds ~12k nodes, and the
// motorbike profile drops motorways.
const (
	delawareMotorbikeNodes = 302017
	delawareMotorbikeArcs  = 602265
	delawareCarNodes       = 309779
	delawareCarArcs        = 611497
)

func delawarePath(tb testing.TB) string { return testenv.DelawarePBF(tb) }

// countPBF counts every element with the osmpbf scanner.
func countPBF(t *testing.T, path string) (nodes, ways, relations int) {
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := osmpbf.New(context.Background(), f, 2)
	defer sc.Close()
	for sc.Scan() {
		switch sc.Object().(type) {
		case *osm.Node:
			nodes++
		case *osm.Way:
			ways++
		case *osm.Relation:
			relations++
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return nodes, ways, relations
}

func TestDelawareCountsMatchOsmium(t *testing.T) {
	path := delawarePath(t)
	n, w, r := countPBF(t, path)
	if n != osmiumNodes || w != osmiumWays || r != osmiumRelations {
		t.Fatalf("scanner counts %d nodes, %d ways, %d relations; osmium recorded %d, %d, %d", n, w, r, osmiumNodes, osmiumWays, osmiumRelations)
	}
	bin, err := exec.LookPath("osmium")
	if err != nil {
		t.Log("osmium not on PATH; compared with the recorded counts only (apt-get install osmium-tool)")
		return
	}
	out, err := exec.Command(bin, "fileinfo", "-e", path).Output()
	if err != nil {
		t.Fatalf("osmium fileinfo: %v", err)
	}
	for _, c := range []struct {
		label string
		got   int
	}{{"nodes", n}, {"ways", w}, {"relations", r}} {
		m := regexp.MustCompile(`Number of ` + c.label + `: (\d+)`).FindSubmatch(out)
		if m == nil {
			t.Fatalf("osmium output has no %s count:\n%s", c.label, out)
		}
		if live, _ := strconv.Atoi(string(m[1])); live != c.got {
			t.Errorf("%s: osmium says %d, scanner %d", c.label, live, c.got)
		}
	}
}

func TestLoadDelaware(t *testing.T) {
	path := delawarePath(t)
	for _, tc := range []struct {
		profile     string
		nodes, arcs int
	}{
		{ProfileMotorbike, delawareMotorbikeNodes, delawareMotorbikeArcs},
		{ProfileCar, delawareCarNodes, delawareCarArcs},
	} {
		t.Run(tc.profile, func(t *testing.T) {
			net, err := LoadPBFFile(context.Background(), path, Options{Profile: tc.profile})
			if err != nil {
				t.Fatal(err)
			}
			if len(net.Nodes) != tc.nodes || len(net.Arcs) != tc.arcs {
				t.Errorf("got %d nodes / %d arcs, want %d / %d", len(net.Nodes), len(net.Arcs), tc.nodes, tc.arcs)
			}
			if net.DroppedNodes <= 0 || net.Ways <= 0 || net.Profile != tc.profile || net.Source != path {
				t.Errorf("dropped %d, ways %d, profile %q, source %q", net.DroppedNodes, net.Ways, net.Profile, net.Source)
			}
			checkArcs(t, net)
			checkStronglyConnected(t, net)
			for _, a := range net.Arcs {
				if tc.profile == ProfileMotorbike && a.Class == Motorway {
					t.Fatal("motorway arc in the motorbike network")
				}
			}
			// Delaware's bounding box from its header, with a margin for clipped ways.
			for i, p := range net.Nodes {
				if p[0] < -76.2 || p[0] > -74.4 || p[1] < 38.0 || p[1] > 40.0 {
					t.Fatalf("node %d at %v is outside Delaware", i, p)
				}
			}
		})
	}
}

// checkStronglyConnected searches forward and backward from node 0: both
// must reach every node.
func checkStronglyConnected(t *testing.T, net *Network) {
	t.Helper()
	n := len(net.Nodes)
	for _, reverse := range []bool{false, true} {
		adj := make([][]int32, n)
		for _, a := range net.Arcs {
			if reverse {
				adj[a.To] = append(adj[a.To], a.From)
			} else {
				adj[a.From] = append(adj[a.From], a.To)
			}
		}
		seen := make([]bool, n)
		seen[0] = true
		stack, count := []int32{0}, 1
		for len(stack) > 0 {
			v := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			for _, u := range adj[v] {
				if !seen[u] {
					seen[u] = true
					count++
					stack = append(stack, u)
				}
			}
		}
		if count != n {
			t.Fatalf("reverse=%v: node 0 reaches %d of %d nodes", reverse, count, n)
		}
	}
}

func networkHash(net *Network) [32]byte {
	h := sha256.New()
	for _, p := range net.Nodes {
		binary.Write(h, binary.LittleEndian, p)
	}
	for _, a := range net.Arcs {
		binary.Write(h, binary.LittleEndian, a)
	}
	binary.Write(h, binary.LittleEndian, [3]int64{int64(net.DroppedNodes), int64(net.Ways), int64(net.MissingNodes)})
	var sum [32]byte
	copy(sum[:], h.Sum(nil))
	return sum
}

func TestLoadPBFDeterministic(t *testing.T) {
	data, err := os.ReadFile(delawarePath(t))
	if err != nil {
		t.Fatal(err)
	}
	first, err := LoadPBF(context.Background(), bytes.NewReader(data), "delaware", Options{})
	if err != nil {
		t.Fatal(err)
	}
	second, err := LoadPBF(context.Background(), bytes.NewReader(data), "delaware", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if networkHash(first) != networkHash(second) {
		t.Fatal("two loads of the same file differ")
	}
}

func TestLoadPBFBadInput(t *testing.T) {
	data, err := os.ReadFile(delawarePath(t))
	if err != nil {
		t.Fatal(err)
	}
	corrupt := func(at int, junk byte, n int) []byte {
		c := bytes.Clone(data)
		for i := at; i < at+n && i < len(c); i++ {
			c[i] = junk
		}
		return c
	}
	tests := []struct {
		name string
		data []byte
		want string
	}{
		{"empty", nil, "no OSM"},
		{"text file", []byte("highway,oneway\nprimary,yes\n"), "bad.pbf"},
		{"truncated mid-file", data[:len(data)*6/10], "truncated"},
		{"truncated in header", data[:10], "bad.pbf"},
		{"blob header overwritten", corrupt(0, 0xff, 16), "bad.pbf"},
		{"compressed data garbled", corrupt(len(data)/2, 0x5a, 4096), "bad.pbf"},
		{"zeros in the middle", corrupt(len(data)/3, 0, 100000), "bad.pbf"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			net, err := LoadPBF(context.Background(), bytes.NewReader(tc.data), "bad.pbf", Options{})
			if err == nil {
				t.Fatalf("loaded %d nodes from a broken file, want an error", len(net.Nodes))
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %q does not mention %q", err, tc.want)
			}
		})
	}
}

func TestLoadPBFCancelled(t *testing.T) {
	f, err := os.Open(delawarePath(t))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := LoadPBF(ctx, f, "delaware", Options{}); !errors.Is(err, context.Canceled) {
		t.Fatalf("got %v, want context.Canceled", err)
	}
}

func TestLoadPBFMissingFile(t *testing.T) {
	_, err := LoadPBFFile(context.Background(), filepath.Join(t.TempDir(), "nope.pbf"), Options{})
	if err == nil || !strings.Contains(err.Error(), "nope.pbf") {
		t.Fatalf("got %v, want an error naming the file", err)
	}
}

// TestLoadPBFFileRefusesSpecialFiles: a FIFO used to block the open forever
// (deaf to Ctrl-C), a device never ends; both are refused before opening.
func TestLoadPBFFileRefusesSpecialFiles(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "roads.osm.pbf")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	for _, p := range []string{fifo, dir, "/dev/zero"} {
		done := make(chan error, 1)
		go func() {
			_, err := LoadPBFFile(context.Background(), p, Options{})
			done <- err
		}()
		select {
		case err := <-done:
			if err == nil || !strings.Contains(err.Error(), "not a regular file") || !strings.Contains(err.Error(), p) {
				t.Errorf("LoadPBFFile(%s) = %v, want a not-regular error naming it", p, err)
			}
		case <-time.After(20 * time.Second):
			t.Fatalf("LoadPBFFile(%s) still running after 20 s", p)
		}
	}
}

// BenchmarkLoadDelaware measures PBF → routable network (SCC included).
// peak-RSS-MB is the process high-water mark (VmHWM), so it includes the
// test binary itself; run it alone: go test -run '^$' -bench LoadDelaware.
func BenchmarkLoadDelaware(b *testing.B) {
	data, err := os.ReadFile(delawarePath(b))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.SetBytes(int64(len(data)))
	var net *Network
	for b.Loop() {
		net, err = LoadPBF(context.Background(), bytes.NewReader(data), "delaware", Options{})
		if err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(net.Nodes)), "nodes")
	if hwm := peakRSS(); hwm > 0 {
		b.ReportMetric(math.Round(hwm/(1<<20)), "peak-RSS-MB")
	}
}

// peakRSS reads VmHWM from /proc (Linux only; 0 elsewhere).
func peakRSS() float64 {
	s, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	m := regexp.MustCompile(`VmHWM:\s+(\d+) kB`).FindSubmatch(s)
	if m == nil {
		return 0
	}
	kb, _ := strconv.ParseFloat(string(m[1]), 64)
	return kb * 1024
}
