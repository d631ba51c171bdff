package roads

import (
	"bytes"
	"context"
	"encoding/binary"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Protocol-buffer wire encoding, just enough to write a tiny OSM PBF by
// hand: the fuzz corpus wants a valid file a few hundred bytes long, far
// smaller than testdata/dover.osm.pbf, so that mutations reach every block
// and field.
type pbMsg []byte

func (m pbMsg) varint(field int, v uint64) pbMsg {
	m = binary.AppendUvarint(m, uint64(field)<<3) // wire type 0
	return binary.AppendUvarint(m, v)
}

func (m pbMsg) bytes(field int, b []byte) pbMsg {
	m = binary.AppendUvarint(m, uint64(field)<<3|2)
	m = binary.AppendUvarint(m, uint64(len(b)))
	return append(m, b...)
}

func zigzag(v int64) uint64 { return uint64(v<<1) ^ uint64(v>>63) }

// packed encodes a packed repeated varint field's payload.
func packed(vs ...uint64) []byte {
	var b []byte
	for _, v := range vs {
		b = binary.AppendUvarint(b, v)
	}
	return b
}

// pbfBlob frames one block: BlobHeader length, BlobHeader, Blob (raw, uncompressed).
func pbfBlob(typ string, block []byte) []byte {
	return pbfFrame(typ, pbMsg(nil).bytes(1, block))
}

// tinyPBF is a valid OSM PBF of three nodes and one residential way along
// them (lon 106.60–106.62, lat 11.00), about 150 bytes. dense selects the
// DenseNodes encoding every common tool writes; without it the nodes are
// plain Node messages, which osmpbf cannot decode.
func tinyPBF(dense bool) []byte {
	return tinyPBFWay(dense, pbMsg(nil).varint(1, 10).bytes(2, packed(1)).bytes(3, packed(2)).
		bytes(8, packed(zigzag(1), zigzag(1), zigzag(1)))) // refs 1, 2, 3 delta-coded
}

// tinyPBFWay is tinyPBF with another way message.
func tinyPBFWay(dense bool, way pbMsg) []byte {
	header := pbMsg(nil).bytes(4, []byte("OsmSchema-V0.6"))
	strs := pbMsg(nil).bytes(1, nil).bytes(1, []byte("highway")).bytes(1, []byte("residential"))
	// Coordinates in the default granularity, 100 nanodegrees.
	const lat = 110_000_000
	lons := []int64{1_066_000_000, 1_066_100_000, 1_066_200_000}
	var group pbMsg
	if dense {
		group = group.bytes(2, pbMsg(nil).
			bytes(1, packed(zigzag(1), zigzag(1), zigzag(1))). // ids 1, 2, 3, delta-coded
			bytes(8, packed(zigzag(lat), 0, 0)).
			bytes(9, packed(zigzag(lons[0]), zigzag(lons[1]-lons[0]), zigzag(lons[2]-lons[1]))))
	} else {
		for i, lon := range lons {
			group = group.bytes(1, pbMsg(nil).varint(1, zigzag(int64(i+1))).varint(8, zigzag(lat)).varint(9, zigzag(lon)))
		}
	}
	group = group.bytes(3, way)
	block := pbMsg(nil).bytes(1, strs).bytes(2, group)
	return append(pbfBlob("OSMHeader", header), pbfBlob("OSMData", block)...)
}

func TestTinyPBFLoads(t *testing.T) {
	net, err := LoadPBF(context.Background(), bytes.NewReader(tinyPBF(true)), "tiny.osm.pbf", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(net.Nodes) != 3 || len(net.Arcs) != 4 {
		t.Fatalf("tiny PBF: %d nodes, %d arcs; want 3 nodes and 4 arcs (a two-way road of two segments)", len(net.Nodes), len(net.Arcs))
	}
}

// TestPBFGuard: blocks that made osmpbf panic in its decoder goroutines
// (killing the process) or allocate gigabytes are refused with a message.
func TestPBFGuard(t *testing.T) {
	dataBlob := func(fields pbMsg) []byte {
		return append(pbfBlob("OSMHeader", pbMsg(nil).bytes(4, []byte("OsmSchema-V0.6"))), pbfFrame("OSMData", fields)...)
	}
	cases := []struct {
		name string
		in   []byte
		want string
	}{
		{"plain nodes", tinyPBF(false), "plain (non-dense)"},
		// Found by FuzzLoadPBF: osmpbf indexes the string table and the
		// way's node array with values from the file.
		{"tag key past the string table", tinyPBFWay(true, pbMsg(nil).varint(1, 10).bytes(2, packed(7)).bytes(3, packed(2)).
			bytes(8, packed(zigzag(1), zigzag(1), zigzag(1)))), "refers to strings"},
		{"way lons longer than its refs", tinyPBFWay(true, pbMsg(nil).varint(1, 10).bytes(2, packed(1)).bytes(3, packed(2)).
			bytes(8, packed(zigzag(1), zigzag(1))).bytes(10, packed(1, 2, 3, 4))), "malformed"},
		{"negative raw size", dataBlob(pbMsg(nil).varint(2, uint64(1<<32-100)).bytes(3, []byte{0x78, 0x9c})), "claims -100 uncompressed bytes"},
		{"huge raw size", dataBlob(pbMsg(nil).varint(2, 2_000_000_000).bytes(3, []byte{0x78, 0x9c})), "claims 2000000000 uncompressed bytes"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := LoadPBF(context.Background(), bytes.NewReader(tc.in), "bad.osm.pbf", Options{})
			if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "bad.osm.pbf") {
				t.Fatalf("got %v, want an error naming bad.osm.pbf with %q", err, tc.want)
			}
		})
	}
}

// pbfFrame frames an already encoded Blob message.
func pbfFrame(typ string, blob []byte) []byte {
	hdr := pbMsg(nil).bytes(1, []byte(typ)).varint(3, uint64(len(blob)))
	out := binary.BigEndian.AppendUint32(nil, uint32(len(hdr)))
	out = append(out, hdr...)
	return append(out, blob...)
}

// FuzzLoadPBF feeds arbitrary bytes to the PBF reader: it must return a
// network or an error naming the file, never panic or hang.
//
//	go test ./data/roads -run=NONE -fuzz=FuzzLoadPBF -fuzztime=60s
func FuzzLoadPBF(f *testing.F) {
	tiny := tinyPBF(true)
	f.Add(tiny)
	f.Add(tiny[:len(tiny)-7])                 // truncated in the data block
	f.Add(pbfBlob("OSMHeader", []byte{0x22})) // header block cut inside a field
	f.Add(pbfBlob("OSMData", tiny[40:]))      // data without a header
	if b, err := os.ReadFile(filepath.Join("testdata", "dover-ways.osm.pbf")); err == nil {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		net, err := LoadPBF(context.Background(), bytes.NewReader(b), "fuzz.osm.pbf", Options{})
		switch {
		case err == nil && net == nil:
			t.Fatal("nil network without error")
		case err != nil && !strings.Contains(err.Error(), "fuzz.osm.pbf"):
			t.Fatalf("error does not name the file: %v", err)
		case err == nil:
			for _, a := range net.Arcs {
				if int(a.From) >= len(net.Nodes) || int(a.To) >= len(net.Nodes) {
					t.Fatalf("arc %v refers past the %d nodes", a, len(net.Nodes))
				}
			}
		}
	})
}
