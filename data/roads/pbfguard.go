package roads

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
)

// The PBF format's own bounds (OSM wiki, "PBF Format"), which osmpbf
// enforces on the compressed sizes only.
const (
	pbfMaxHeader = 64 << 10
	pbfMaxBlob   = 32 << 20
)

// pbfInputError is a fault pbfGuard found before the decoder saw the block.
// Its message is complete: pbfErr passes it through.
type pbfInputError struct{ msg string }

func (e *pbfInputError) Error() string { return e.msg }

// pbfGuard sits between the file and osmpbf and checks every data block
// before the decoder sees it. osmpbf decodes blocks in its own goroutines,
// where a panic cannot be recovered and kills the process: it panics on
// plain (non-dense) nodes, which the format allows and some tools write, and
// it allocates whatever uncompressed size a block claims (a corrupt size
// means gigabytes). Checking a zlib block means inflating it; the inflated
// block is then handed on uncompressed, so the file is inflated once as
// before, here rather than in osmpbf's decoders. Anything the guard cannot
// parse is refused; only a truncated frame is handed on, so that osmpbf
// reports truncation in its usual words.
type pbfGuard struct {
	r        io.Reader
	name     string
	buf      []byte // the current frame, handed on from off
	off      int
	err      error         // returned once buf is drained
	zr       io.ReadCloser // reused across blocks
	inflated bytes.Buffer
	frame    []byte // the rewritten frame, swapped with buf
}

func newPBFGuard(r io.Reader, name string) *pbfGuard { return &pbfGuard{r: r, name: name} }

func (g *pbfGuard) Read(p []byte) (int, error) {
	for g.off == len(g.buf) {
		if g.err != nil {
			return 0, g.err
		}
		g.buf, g.off = g.buf[:0], 0
		g.err = g.nextFrame()
		if ie := (*pbfInputError)(nil); errors.As(g.err, &ie) {
			g.buf = g.buf[:0] // the refused block never reaches the decoder
		}
	}
	n := copy(p, g.buf[g.off:])
	g.off += n
	return n, nil
}

// nextFrame reads one BlobHeader and Blob into g.buf and checks it. A nil
// error with an empty buffer cannot happen: EOF at a frame boundary is
// returned as io.EOF.
func (g *pbfGuard) nextFrame() error {
	var lenBuf [4]byte
	n, err := io.ReadFull(g.r, lenBuf[:])
	g.buf = append(g.buf, lenBuf[:n]...)
	if err != nil {
		return err // io.EOF at a boundary; a short read is osmpbf's to report
	}
	hl := binary.BigEndian.Uint32(lenBuf[:])
	if hl >= pbfMaxHeader {
		return g.corrupt(fmt.Sprintf("a block header claims %d bytes, the format allows less than %d", hl, pbfMaxHeader))
	}
	if err := g.readN(int(hl)); err != nil {
		return err
	}
	typ, dataSize, ok := parseBlobHeader(g.buf[4:])
	if !ok || dataSize < 0 || dataSize >= pbfMaxBlob {
		return g.corrupt("a block header is malformed")
	}
	start := len(g.buf)
	if err := g.readN(int(dataSize)); err != nil {
		return err
	}
	data, err := g.checkBlob(typ, g.buf[start:])
	if err != nil || data == nil || len(data)+64 >= pbfMaxBlob {
		return err // nothing to rewrite, or too close to osmpbf's blob limit
	}
	// Hand on the inflated block as a raw Blob with its own BlobHeader.
	blob := appendBytesField(g.frame[:0], 1, data)
	blob = binary.AppendUvarint(append(blob, 2<<3), uint64(len(data)))
	hdr := appendBytesField(nil, 1, []byte(typ))
	hdr = binary.AppendUvarint(append(hdr, 3<<3), uint64(len(blob)))
	out := binary.BigEndian.AppendUint32(make([]byte, 0, 4+len(hdr)+len(blob)), uint32(len(hdr)))
	out = append(append(out, hdr...), blob...)
	g.frame, g.buf = g.buf, out
	return nil
}

func appendBytesField(b []byte, field int, data []byte) []byte {
	b = binary.AppendUvarint(b, uint64(field)<<3|2)
	b = binary.AppendUvarint(b, uint64(len(data)))
	return append(b, data...)
}

// readN appends exactly n more bytes, or what there is and the read error.
func (g *pbfGuard) readN(n int) error {
	start := len(g.buf)
	g.buf = append(g.buf, make([]byte, n)...)
	m, err := io.ReadFull(g.r, g.buf[start:])
	g.buf = g.buf[:start+m]
	if errors.Is(err, io.EOF) {
		err = io.ErrUnexpectedEOF
	}
	return err
}

// checkBlob refuses a block that would crash or exhaust the decoder. It
// returns the inflated block of a zlib OSMData blob that passed, else nil.
func (g *pbfGuard) checkBlob(typ string, blob []byte) ([]byte, error) {
	var raw, zdata []byte
	rawSize, hasRawSize := int64(0), false
	ok := scanFields(blob, func(field int, v uint64, b []byte) bool {
		switch field {
		case 1:
			raw = b
		case 2:
			rawSize, hasRawSize = int64(int32(v)), true
		case 3:
			zdata = b
		}
		return true
	})
	if !ok {
		return nil, g.corrupt("a " + typ + " block is malformed")
	}
	if hasRawSize && (rawSize < 0 || rawSize > pbfMaxBlob) {
		return nil, &pbfInputError{fmt.Sprintf("roads: %s is not a readable OSM PBF file: a %s block claims %d uncompressed bytes, the format allows at most %d (corrupt file?)",
			g.name, typ, rawSize, pbfMaxBlob)}
	}
	// osmpbf decodes a first block of any type but OSMHeader as data.
	if typ == "OSMHeader" {
		return nil, nil
	}
	if raw != nil || zdata == nil {
		if plainNodes(raw) {
			return nil, g.plainNodesError()
		}
		if !stringRefsValid(raw) {
			return nil, g.stringRefsError()
		}
		return nil, nil
	}
	if err := g.inflate(zdata); err != nil {
		return nil, g.corrupt(fmt.Sprintf("a compressed data block does not inflate (%v)", err))
	}
	data := g.inflated.Bytes()
	switch {
	case len(data) > pbfMaxBlob:
		return nil, &pbfInputError{fmt.Sprintf("roads: %s is not a readable OSM PBF file: a data block inflates to more than %d bytes (corrupt file?)", g.name, pbfMaxBlob)}
	case int64(len(data)) != rawSize:
		return nil, g.corrupt(fmt.Sprintf("a data block inflates to %d bytes, its header says %d", len(data), rawSize))
	case plainNodes(data):
		return nil, g.plainNodesError()
	case !stringRefsValid(data):
		return nil, g.stringRefsError()
	}
	return data, nil
}

// inflate decompresses zdata into g.inflated, at most pbfMaxBlob+1 bytes.
func (g *pbfGuard) inflate(zdata []byte) error {
	g.inflated.Reset()
	var err error
	if g.zr == nil {
		g.zr, err = zlib.NewReader(bytes.NewReader(zdata))
	} else {
		err = g.zr.(zlib.Resetter).Reset(bytes.NewReader(zdata), nil)
	}
	if err != nil {
		g.zr = nil
		return err
	}
	_, err = g.inflated.ReadFrom(io.LimitReader(g.zr, pbfMaxBlob+1))
	return err
}

// corrupt refuses a file the guard cannot read as PBF. Handing such bytes
// on would let osmpbf, whose parser is more lenient, decode blocks that were
// never checked.
func (g *pbfGuard) corrupt(what string) error {
	return &pbfInputError{fmt.Sprintf("roads: %s is not a readable OSM PBF file (corrupt, or another format?): %s", g.name, what)}
}

func (g *pbfGuard) plainNodesError() error {
	return &pbfInputError{fmt.Sprintf("roads: %s stores nodes in the plain (non-dense) PBF encoding, which the PBF reader does not support: rewrite it with dense nodes, e.g. osmium cat %s -o dense.osm.pbf", g.name, g.name)}
}

func (g *pbfGuard) stringRefsError() error {
	return &pbfInputError{fmt.Sprintf("roads: %s is not a readable OSM PBF file: a data block is malformed or refers to strings its string table does not have (corrupt file? download it again)", g.name)}
}

// stringRefsValid checks what osmpbf indexes its string table with, trusting
// the file: tag keys and values and user names of dense nodes and ways (the
// relations are skipped, see LoadPBF). An index out of range panics in the
// decoder's goroutine. Any message on the way that does not parse fails
// the check too: osmpbf's own parser reads such bytes differently from this
// one, so only a block both read alike is safe to hand on.
func stringRefsValid(block []byte) bool {
	n := 0
	valid := scanFields(block, func(field int, _ uint64, st []byte) bool {
		if field == 1 && st != nil {
			return scanFields(st, func(f int, _ uint64, _ []byte) bool {
				if f == 1 {
					n++
				}
				return true
			})
		}
		return true
	})
	if !valid {
		return false
	}
	in := func(i int64) bool { return i >= 0 && i < int64(n) }
	return scanFields(block, func(field int, _ uint64, group []byte) bool {
		if field != 2 || group == nil {
			return true
		}
		return scanFields(group, func(f int, _ uint64, msg []byte) bool {
			switch {
			case msg == nil:
				return true
			case f == 2: // DenseNodes
				return denseRefsValid(msg, in)
			case f == 3: // Way
				return wayRefsValid(msg, in)
			}
			return true
		})
	})
}

// denseRefsValid: keys_vals (10) are int32 indexes, 0-separated per node;
// DenseInfo (5) user_sid (5) is a delta-coded sint32 index.
func denseRefsValid(dense []byte, in func(int64) bool) bool {
	return scanFields(dense, func(f int, _ uint64, b []byte) bool {
		switch {
		case b == nil:
			return true
		case f == 10:
			return eachVarint(b, func(v uint64) bool { return in(int64(int32(v))) })
		case f == 5:
			return scanFields(b, func(ff int, _ uint64, sids []byte) bool {
				if ff != 5 || sids == nil {
					return true
				}
				var sid int32
				return eachVarint(sids, func(v uint64) bool {
					sid += int32(uint32(v)>>1) ^ -int32(v&1)
					return in(int64(sid))
				})
			})
		}
		return true
	})
}

// wayRefsValid: keys (2) and vals (3) are uint32 indexes, Info (4)
// user_sid (5) one uint32 index. osmpbf also sizes the way's node array by
// the first of refs (8), lats (9) and lons (10) and fills it from the
// others, so those must each appear once, with no more values than the
// first. The packed fields must be length-delimited, as every writer makes
// them.
func wayRefsValid(way []byte, in func(int64) bool) bool {
	nodes, seen := -1, map[int]bool{}
	return scanFields(way, func(f int, _ uint64, b []byte) bool {
		if b == nil {
			return f < 2 || f > 10 || (f > 4 && f < 8)
		}
		switch f {
		case 2, 3:
			return eachVarint(b, func(v uint64) bool { return in(int64(uint32(v))) })
		case 4:
			return scanFields(b, func(ff int, v uint64, data []byte) bool {
				return ff != 5 || data != nil || in(int64(uint32(v)))
			})
		case 8, 9, 10:
			count := 0
			if seen[f] || !eachVarint(b, func(uint64) bool { count++; return true }) {
				return false
			}
			seen[f] = true
			if nodes < 0 {
				nodes = count
			}
			return count <= nodes
		}
		return true
	})
}

// eachVarint calls fn with each varint of a packed field; false when fn
// does or the field is malformed.
func eachVarint(b []byte, fn func(uint64) bool) bool {
	for len(b) > 0 {
		v, n := binary.Uvarint(b)
		if n <= 0 || !fn(v) {
			return false
		}
		b = b[n:]
	}
	return true
}

// parseBlobHeader reads BlobHeader's type (1) and datasize (3).
func parseBlobHeader(b []byte) (typ string, dataSize int64, ok bool) {
	dataSize = -1
	ok = scanFields(b, func(field int, v uint64, s []byte) bool {
		switch field {
		case 1:
			typ = string(s)
		case 3:
			dataSize = int64(int32(v))
		}
		return true
	})
	return typ, dataSize, ok
}

// plainNodes tells whether a PrimitiveBlock has a PrimitiveGroup with
// plain nodes (group field 1).
func plainNodes(block []byte) bool {
	found := false
	scanFields(block, func(field int, _ uint64, group []byte) bool {
		if field == 2 && group != nil {
			scanFields(group, func(f int, _ uint64, _ []byte) bool {
				if f == 1 {
					found = true
				}
				return !found
			})
		}
		return !found
	})
	return found
}

// scanFields walks a protobuf message, calling fn with each field's number
// and its varint value or length-delimited bytes (nil for other wire
// types). ok is false on malformed input, or when fn returns false, which
// stops the walk.
func scanFields(b []byte, fn func(field int, v uint64, data []byte) bool) (ok bool) {
	for len(b) > 0 {
		key, n := binary.Uvarint(b)
		if n <= 0 {
			return false
		}
		b = b[n:]
		field, wire := int(key>>3), key&7
		var v uint64
		var data []byte
		switch wire {
		case 0:
			v, n = binary.Uvarint(b)
			if n <= 0 {
				return false
			}
			b = b[n:]
		case 1:
			if len(b) < 8 {
				return false
			}
			b = b[8:]
		case 2:
			l, n := binary.Uvarint(b)
			if n <= 0 || l > uint64(len(b)-n) {
				return false
			}
			data = b[n : n+int(l)]
			if data == nil {
				data = []byte{}
			}
			b = b[n+int(l):]
		case 5:
			if len(b) < 4 {
				return false
			}
			b = b[4:]
		default:
			return false
		}
		if !fn(field, v, data) {
			return false
		}
	}
	return true
}
