package roads

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"slices"
	"strings"
	"sync"

	"github.com/paulmach/orb"
	"github.com/paulmach/osm"
	"github.com/paulmach/osm/osmpbf"
)

// pbfWay is a kept highway: its node references are refs[start:end] of the
// shared reference array, so ways cost no allocation of their own.
type pbfWay struct {
	id         osm.WayID
	start, end int
	class      Class
	kmh        float64
	dir        int
}

// pbfNode is a buffered node coordinate.
type pbfNode struct {
	id osm.NodeID
	p  orb.Point
}

// LoadPBFFile opens path and loads it with LoadPBF. Only a regular file is
// opened: a FIFO would block the open forever (deaf to Ctrl-C) and a device
// never ends. The size is not limited, the reader streams.
func LoadPBFFile(ctx context.Context, path string, opt Options) (*Network, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("roads: %w", err)
	}
	if !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("roads: %s is not a regular file (%s): give the path of an ordinary .osm.pbf file", path, fi.Mode().Type())
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("roads: %w", err)
	}
	defer f.Close()
	return LoadPBF(ctx, f, path, opt)
}

// LoadPBF reads an OSM PBF extract in one pass. Nodes precede ways in a PBF,
// so every node coordinate is buffered (compactly, sorted by id) until the
// ways are known; a second pass would need a seekable reader. Every node of
// a kept way becomes a graph node: splitting at shared nodes only would
// save memory but lose the coordinates Nearest snaps residents to.
func LoadPBF(ctx context.Context, r io.Reader, name string, opt Options) (*Network, error) {
	opt = opt.withDefaults()
	sp, err := profileSpeeds(opt.Profile)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	procs := min(runtime.GOMAXPROCS(0), 4)
	sc := osmpbf.New(ctx, newPBFGuard(r, name), procs)
	defer sc.Close()
	sc.SkipRelations = true
	// Runs concurrently in the decoders; it only reads the way's tags.
	sc.FilterWay = func(w *osm.Way) bool {
		_, _, ok := roadSpeed(&sp, w.Tags.Find("highway"), "")
		return ok
	}

	// Nodes are captured in the decoders' filter and dropped there, so the
	// 700k+ node objects of a province are never allocated. The decoders run
	// concurrently, hence the lock and the sort below.
	var (
		mu    sync.Mutex
		nodes []pbfNode
	)
	sc.FilterNode = func(n *osm.Node) bool {
		mu.Lock()
		nodes = append(nodes, pbfNode{n.ID, orb.Point{n.Lon, n.Lat}})
		mu.Unlock()
		return false
	}
	var (
		ways []pbfWay
		refs []osm.NodeID
	)
	for sc.Scan() {
		o, ok := sc.Object().(*osm.Way)
		if !ok {
			continue
		}
		c, kmh, ok := roadSpeed(&sp, o.Tags.Find("highway"), o.Tags.Find("maxspeed"))
		if !ok {
			continue
		}
		implied := impliedOneway(o.Tags.Find("highway"))
		if j := o.Tags.Find("junction"); j == "roundabout" || j == "circular" {
			implied = true
		}
		w := pbfWay{id: o.ID, start: len(refs), class: c, kmh: kmh, dir: onewayDir(o.Tags.Find("oneway"), implied)}
		for _, wn := range o.Nodes {
			refs = append(refs, wn.ID)
		}
		w.end = len(refs)
		ways = append(ways, w)
	}
	if err := sc.Err(); err != nil {
		if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
			return nil, fmt.Errorf("roads: loading %s: %w", name, err)
		}
		return nil, pbfErr(name, err)
	}
	// The decoders are done; taking the lock once orders their writes
	// before the reads below.
	mu.Lock()
	mu.Unlock() //nolint:staticcheck // empty critical section on purpose
	if len(nodes) == 0 && len(ways) == 0 {
		return nil, fmt.Errorf("roads: %s contains no OSM nodes or ways (empty or not a PBF file)", name)
	}
	// Coordinates break ties between duplicate ids, so even a malformed
	// file loads the same way every time.
	slices.SortFunc(nodes, func(a, b pbfNode) int {
		if c := cmp.Compare(a.id, b.id); c != 0 {
			return c
		}
		if c := cmp.Compare(a.p[0], b.p[0]); c != 0 {
			return c
		}
		return cmp.Compare(a.p[1], b.p[1])
	})
	// Ways come sorted by id in a well-formed file; sorting anyway makes the
	// arc order independent of the file's layout.
	slices.SortStableFunc(ways, func(a, b pbfWay) int { return cmp.Compare(a.id, b.id) })
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("roads: loading %s: %w", name, err)
	}

	// Resolve each reference once: index into nodes, or -1 if absent.
	idx := make([]int32, len(refs))
	prov := make([]int32, len(nodes))
	for i := range prov {
		prov[i] = -1
	}
	missing := 0
	for i, id := range refs {
		j, ok := slices.BinarySearchFunc(nodes, id, func(n pbfNode, id osm.NodeID) int { return cmp.Compare(n.id, id) })
		if !ok {
			idx[i] = -1
			missing++
			continue
		}
		idx[i] = int32(j)
		prov[j] = 0
	}
	// Provisional node ids follow OSM id order over the referenced nodes.
	b := &builder{arcs: make([]Arc, 0, 2*len(refs)), way: make([]int32, 0, 2*len(refs))}
	for j := range prov {
		if prov[j] == 0 {
			prov[j] = int32(len(b.nodes))
			b.nodes = append(b.nodes, nodes[j].p)
		}
	}
	seg := make([]int32, 0, 64)
	for wi, w := range ways {
		if wi%4096 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, fmt.Errorf("roads: loading %s: %w", name, err)
			}
		}
		seg = seg[:0]
		for _, j := range idx[w.start:w.end] {
			if j < 0 { // cut the way where the extract clipped it
				b.addRoad(seg, w.class, w.kmh, w.dir, int32(wi))
				seg = seg[:0]
				continue
			}
			seg = append(seg, prov[j])
		}
		b.addRoad(seg, w.class, w.kmh, w.dir, int32(wi))
	}
	if len(b.arcs) == 0 && missing > 0 {
		return nil, fmt.Errorf("roads: %s: its %d roads refer to %d nodes that are not in the file; extract with complete ways (osmium extract --strategy complete_ways)", name, len(ways), missing)
	}
	net, err := b.finish(ctx, name, opt.Profile)
	if err != nil {
		return nil, err
	}
	net.MissingNodes = missing
	return net, nil
}

// pbfErr turns the decoder's low-level errors into something a user can act on.
func pbfErr(name string, err error) error {
	if ie := (*pbfInputError)(nil); errors.As(err, &ie) {
		return ie
	}
	if errors.Is(err, io.ErrUnexpectedEOF) || strings.Contains(err.Error(), "unexpected EOF") {
		return fmt.Errorf("roads: %s is truncated: the file ends in the middle of a block (incomplete download? fetch it again): %w", name, err)
	}
	return fmt.Errorf("roads: %s is not a readable OSM PBF file (corrupt, or another format?): %w", name, err)
}
