package route

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
)

// EdgesHeader is the first line of edges.csv.
const EdgesHeader = "from,to,seconds,meters,from_lon,from_lat,to_lon,to_lat"

// WriteEdgesCSV writes every arc as
// from,to,seconds,meters,from_lon,from_lat,to_lon,to_lat
// in CSR order (by from node, then network arc order). seconds is the
// routing weight actually used (millisecond resolution, 3 decimals),
// meters has 2 decimals and coordinates 7, so the file is byte-identical
// for the same graph and can be checked with any independent router.
func WriteEdgesCSV(w io.Writer, g *Graph) error {
	bw := bufio.NewWriterSize(w, 1<<16)
	if _, err := bw.WriteString(EdgesHeader + "\n"); err != nil {
		return fmt.Errorf("route: write edges: %w", err)
	}
	buf := make([]byte, 0, 128)
	for v := 0; v < g.NumNodes(); v++ {
		pv := g.pts[v]
		for i := g.off[v]; i < g.off[v+1]; i++ {
			u := g.fwd[i].head
			pu := g.pts[u]
			buf = buf[:0]
			buf = strconv.AppendInt(buf, int64(v), 10)
			buf = append(buf, ',')
			buf = strconv.AppendInt(buf, int64(u), 10)
			buf = append(buf, ',')
			buf = strconv.AppendFloat(buf, float64(g.fwd[i].w)/1000, 'f', 3, 64)
			buf = append(buf, ',')
			buf = strconv.AppendFloat(buf, float64(g.meters[i]), 'f', 2, 64)
			for _, x := range [4]float64{pv[0], pv[1], pu[0], pu[1]} {
				buf = append(buf, ',')
				buf = strconv.AppendFloat(buf, x, 'f', 7, 64)
			}
			buf = append(buf, '\n')
			if _, err := bw.Write(buf); err != nil {
				return fmt.Errorf("route: write edges: %w", err)
			}
		}
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("route: write edges: %w", err)
	}
	return nil
}
