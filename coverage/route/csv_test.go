package route

import (
	"bytes"
	"errors"
	"testing"

	"github.com/onestop/onestop/data/roads"
	"github.com/paulmach/orb"
)

func TestWriteEdgesCSV(t *testing.T) {
	net := &roads.Network{
		Nodes: []orb.Point{{106.6512345678, 11.1}, {106.66, 11.1000001}},
		Arcs: []roads.Arc{
			{From: 1, To: 0, Meters: 975.126, Seconds: 175.52249},
			{From: 0, To: 1, Meters: 975.126, Seconds: 175.5225},
		},
	}
	want := "from,to,seconds,meters,from_lon,from_lat,to_lon,to_lat\n" +
		"0,1,175.523,975.13,106.6512346,11.1000000,106.6600000,11.1000001\n" +
		"1,0,175.522,975.13,106.6600000,11.1000001,106.6512346,11.1000000\n"
	var buf bytes.Buffer
	if err := WriteEdgesCSV(&buf, New(net)); err != nil {
		t.Fatal(err)
	}
	if buf.String() != want {
		t.Fatalf("got\n%s\nwant\n%s", buf.String(), want)
	}
}

type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestWriteEdgesCSVError(t *testing.T) {
	g := New(randomNetwork(1, 100, 5000))
	if err := WriteEdgesCSV(failWriter{}, g); err == nil {
		t.Fatal("want the writer's error")
	}
}
