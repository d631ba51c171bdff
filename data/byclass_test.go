package data

import "testing"

func TestByClass(t *testing.T) {
	b := ByClass[float64]{Urban: 1, Rural: 2, Remote: 3}
	tests := []struct {
		class   AreaClass
		want    float64
		unknown bool
	}{
		{Urban, 1, false},
		{Rural, 2, false},
		{Remote, 3, false},
		{"", 2, true},       // unset counts as rural
		{"suburb", 2, true}, // so does anything unknown
		{"URBAN", 2, true},  // classes are lower case
	}
	for _, tc := range tests {
		if got := b.For(tc.class); got != tc.want {
			t.Errorf("For(%q) = %v, want %v", tc.class, got, tc.want)
		}
		if err := tc.class.Check(); (err != nil) != tc.unknown {
			t.Errorf("Check(%q) = %v, want unknown %v", tc.class, err, tc.unknown)
		}
		c := b
		err := c.Set(tc.class, 9)
		if (err != nil) != tc.unknown {
			t.Errorf("Set(%q) = %v, want unknown %v", tc.class, err, tc.unknown)
		}
		if !tc.unknown && c.For(tc.class) != 9 {
			t.Errorf("Set(%q, 9) left %v", tc.class, c.For(tc.class))
		}
		if tc.unknown && c != b {
			t.Errorf("Set(%q) changed %v to %v", tc.class, b, c)
		}
	}
}

func TestDefaultNormsAreThePilots(t *testing.T) {
	if n := DefaultNorms(); n != (ByClass[float64]{Urban: 1600, Rural: 1200, Remote: 800}) {
		t.Errorf("DefaultNorms() = %+v", n)
	}
}
