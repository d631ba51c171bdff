package roads

import (
	"math"
	"testing"

	"github.com/paulmach/orb"
)

func TestValidate(t *testing.T) {
	good := func() *Network {
		return &Network{Source: "x", Nodes: []orb.Point{{106, 11}, {106.1, 11}}, Arcs: []Arc{{From: 0, To: 1, Meters: 10, Seconds: 1}}}
	}
	tests := []struct {
		name    string
		mutate  func(*Network)
		wantErr bool
	}{
		{"good", func(*Network) {}, false},
		{"arc to missing node", func(n *Network) { n.Arcs[0].To = 2 }, true},
		{"negative node id", func(n *Network) { n.Arcs[0].From = -1 }, true},
		{"NaN seconds", func(n *Network) { n.Arcs[0].Seconds = float32(math.NaN()) }, true},
		{"negative meters", func(n *Network) { n.Arcs[0].Meters = -1 }, true},
		{"infinite seconds", func(n *Network) { n.Arcs[0].Seconds = float32(math.Inf(1)) }, true},
		{"projected node", func(n *Network) { n.Nodes[1] = orb.Point{690000, 1220000} }, true},
	}
	for _, tc := range tests {
		n := good()
		tc.mutate(n)
		if err := n.Validate(); (err != nil) != tc.wantErr {
			t.Errorf("%s: Validate() = %v, want error %v", tc.name, err, tc.wantErr)
		}
	}
	if err := (*Network)(nil).Validate(); err == nil {
		t.Error("nil network: want an error")
	}
}
