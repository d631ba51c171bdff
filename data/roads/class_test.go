package roads

import (
	"testing"
)

func TestParseHighway(t *testing.T) {
	tests := []struct {
		in   string
		want Class
		ok   bool
	}{
		{"motorway", Motorway, true},
		{"motorway_link", Motorway, true},
		{"trunk_link", Trunk, true},
		{"Primary", Primary, true},
		{" secondary ", Secondary, true},
		{"tertiary_link", Tertiary, true},
		{"unclassified", Unclassified, true},
		{"residential", Residential, true},
		{"living_street", LivingStreet, true},
		{"service", Service, true},
		{"track", Track, true},
		{"road", Other, true},
		{"footway", 0, false},
		{"path", 0, false},
		{"cycleway", 0, false},
		{"steps", 0, false},
		{"pedestrian", 0, false},
		{"construction", 0, false},
		{"proposed", 0, false},
		{"", 0, false},
	}
	for _, tc := range tests {
		got, ok := ParseHighway(tc.in)
		if ok != tc.ok || ok && got != tc.want {
			t.Errorf("ParseHighway(%q) = %v, %v; want %v, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

func TestClassString(t *testing.T) {
	for c := Motorway; c <= LivingStreet; c++ {
		back, ok := ParseHighway(c.String())
		if !ok || back != c {
			t.Errorf("class %d: String %q parses back to %v, %v", c, c.String(), back, ok)
		}
	}
	if got := Class(200).String(); got != "unknown" {
		t.Errorf("Class(200).String() = %q", got)
	}
}

func TestSpeed(t *testing.T) {
	tests := []struct {
		profile string
		class   Class
		want    float64
		wantErr bool
	}{
		{"", Primary, 40, false},
		{"motorbike", Trunk, 45, false},
		{"motorbike", Residential, 20, false},
		{"motorbike", Motorway, 0, true}, // banned on expressways
		{"car", Motorway, 80, false},
		{"car", Residential, 18, false},
		{"car", LivingStreet, 8, false},
		{"bicycle", Primary, 0, true},
		{"car", Class(99), 0, true},
	}
	for _, tc := range tests {
		got, err := Speed(tc.profile, tc.class)
		if (err != nil) != tc.wantErr || got != tc.want {
			t.Errorf("Speed(%q, %v) = %v, %v; want %v, error %v", tc.profile, tc.class, got, err, tc.want, tc.wantErr)
		}
	}
	// Every open class has a positive speed and faster classes are not slower.
	for _, p := range []string{ProfileMotorbike, ProfileCar} {
		order := []Class{Trunk, Primary, Secondary, Tertiary, Unclassified, Residential, Service, LivingStreet}
		prev := 1e9
		for _, c := range order {
			v, err := Speed(p, c)
			if err != nil || v <= 0 || v > prev {
				t.Errorf("%s %v: speed %v (err %v) after %v", p, c, v, err, prev)
			}
			prev = v
		}
	}
}

func TestParseMaxspeed(t *testing.T) {
	tests := []struct {
		in   string
		want float64
		ok   bool
	}{
		{"50", 50, true},
		{" 60 km/h", 60, true},
		{"30 mph", 30 * 1.609344, true},
		{"10 knots", 18.52, true},
		{"60;40", 60, true},
		{"VN:urban", 0, false},
		{"none", 0, false},
		{"signals", 0, false},
		{"0", 0, false},
		{"50 furlongs", 0, false},
		{"", 0, false},
	}
	for _, tc := range tests {
		got, ok := parseMaxspeed(tc.in)
		if ok != tc.ok || ok && (got-tc.want > 1e-9 || tc.want-got > 1e-9) {
			t.Errorf("parseMaxspeed(%q) = %v, %v; want %v, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

func TestOnewayDir(t *testing.T) {
	tests := []struct {
		in      string
		implied bool
		want    int
	}{
		{"yes", false, 1}, {"true", false, 1}, {"1", false, 1},
		{"-1", false, -1}, {"reverse", false, -1},
		{"no", true, 0}, {"false", true, 0}, {"0", true, 0},
		{"", false, 0}, {"", true, 1}, {"alternating", false, 0}, {"YES", false, 1},
	}
	for _, tc := range tests {
		if got := onewayDir(tc.in, tc.implied); got != tc.want {
			t.Errorf("onewayDir(%q, %v) = %d, want %d", tc.in, tc.implied, got, tc.want)
		}
	}
}
