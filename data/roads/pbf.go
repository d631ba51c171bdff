package roads

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"slices"
	"sort"
	"strings"

	"github.com/paulmach/orb"
	"github.com/paulmach/osm"
	"github.com/paulmach/osm/osmpbf"
)

// pbfWay is a kept highway with what routing needs from its tags.
type pbfWay struct {
	id    osm.WayID
	nodes []osm.NodeID
	class Class
	kmh   float64
	dir   int
}

// LoadPBFFile opens path and loads it with LoadPBF.
func LoadPBFFile(ctx context.Context, path string, opt Options) (*Network, error) {
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
	sc := osmpbf.New(ctx, r, procs)
	defer sc.Close()
	sc.SkipRelations = true
	// Runs concurrently in the decoders; it only reads the way's tags.
	sc.FilterWay = func(w *osm.Way) bool {
		_, _, ok := roadSpeed(&sp, w.Tags.Find("highway"), "")
		return ok
	}

	var (
		ids    []osm.NodeID
		coords []orb.Point
		ways   []pbfWay
		sorted = true
	)
	for sc.Scan() {
		switch o := sc.Object().(type) {
		case *osm.Node:
			if n := len(ids); n > 0 && o.ID <= ids[n-1] {
				sorted = false
			}
			ids = append(ids, o.ID)
			coords = append(coords, orb.Point{o.Lon, o.Lat})
		case *osm.Way:
			c, kmh, ok := roadSpeed(&sp, o.Tags.Find("highway"), o.Tags.Find("maxspeed"))
			if !ok {
				continue
			}
			implied := impliedOneway(o.Tags.Find("highway"))
			if j := o.Tags.Find("junction"); j == "roundabout" || j == "circular" {
				implied = true
			}
			refs := make([]osm.NodeID, len(o.Nodes))
			for i, wn := range o.Nodes {
				refs[i] = wn.ID
			}
			ways = append(ways, pbfWay{id: o.ID, nodes: refs, class: c, kmh: kmh, dir: onewayDir(o.Tags.Find("oneway"), implied)})
		}
	}
	if err := sc.Err(); err != nil {
		if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
			return nil, fmt.Errorf("roads: loading %s: %w", name, err)
		}
		return nil, pbfErr(name, err)
	}
	if len(ids) == 0 && len(ways) == 0 {
		return nil, fmt.Errorf("roads: %s contains no OSM nodes or ways (empty or not a PBF file)", name)
	}
	if !sorted {
		idx := make([]int, len(ids))
		for i := range idx {
			idx[i] = i
		}
		sort.SliceStable(idx, func(a, b int) bool { return ids[idx[a]] < ids[idx[b]] })
		ids2, co2 := make([]osm.NodeID, len(ids)), make([]orb.Point, len(ids))
		for i, j := range idx {
			ids2[i], co2[i] = ids[j], coords[j]
		}
		ids, coords = ids2, co2
	}
	// Ways come sorted by id in a well-formed file; sorting anyway makes the
	// arc order (hence node and arc numbering) independent of file layout.
	slices.SortStableFunc(ways, func(a, b pbfWay) int {
		switch {
		case a.id < b.id:
			return -1
		case a.id > b.id:
			return 1
		}
		return 0
	})

	// Provisional node ids follow OSM id order over the referenced nodes only.
	find := func(id osm.NodeID) int {
		i, ok := slices.BinarySearch(ids, id)
		if !ok {
			return -1
		}
		return i
	}
	prov := make([]int32, len(ids))
	for i := range prov {
		prov[i] = -1
	}
	missing := 0
	for _, w := range ways {
		for _, id := range w.nodes {
			if i := find(id); i >= 0 {
				prov[i] = 0
			} else {
				missing++
			}
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("roads: loading %s: %w", name, err)
	}
	b := &builder{}
	for i := range prov {
		if prov[i] == 0 {
			prov[i] = int32(len(b.nodes))
			b.nodes = append(b.nodes, coords[i])
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
		for _, id := range w.nodes {
			i := find(id)
			if i < 0 { // cut the way where the extract clipped it
				b.addRoad(seg, w.class, w.kmh, w.dir, int32(wi))
				seg = seg[:0]
				continue
			}
			seg = append(seg, prov[i])
		}
		b.addRoad(seg, w.class, w.kmh, w.dir, int32(wi))
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
	if errors.Is(err, io.ErrUnexpectedEOF) || strings.Contains(err.Error(), "unexpected EOF") {
		return fmt.Errorf("roads: %s is truncated: the file ends in the middle of a block (incomplete download? fetch it again): %w", name, err)
	}
	return fmt.Errorf("roads: %s is not a readable OSM PBF file (corrupt, or another format?): %w", name, err)
}
