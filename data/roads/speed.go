package roads

import (
	"fmt"
	"strconv"
	"strings"
)

// Profiles. The default is the motorbike, Vietnam's everyday vehicle.
const (
	ProfileMotorbike = "motorbike"
	ProfileCar       = "car"
)

// speeds holds door-to-door km/h indexed by Class. They include junctions,
// traffic and parking, so they sit well below legal limits (docs/roads.md).
// Zero closes the class to the profile.
type speeds [LivingStreet + 1]float64

func profileSpeeds(profile string) (speeds, error) {
	switch profile {
	case "", ProfileMotorbike:
		// Motorbikes are banned from Vietnamese expressways (cao tốc), which
		// OSM tags motorway, so the class is closed rather than slowed.
		return speeds{
			Motorway: 0, Trunk: 45, Primary: 40, Secondary: 35, Tertiary: 30,
			Unclassified: 25, Residential: 20, Service: 15, Track: 12, Other: 20,
			LivingStreet: 10,
		}, nil
	case ProfileCar:
		return speeds{
			Motorway: 80, Trunk: 55, Primary: 45, Secondary: 38, Tertiary: 32,
			Unclassified: 25, Residential: 18, Service: 12, Track: 10, Other: 18,
			LivingStreet: 8,
		}, nil
	}
	return speeds{}, fmt.Errorf("roads: unknown profile %q (use %q or %q)", profile, ProfileMotorbike, ProfileCar)
}

// Speed returns the documented door-to-door speed of class c for profile
// ("" means motorbike). It fails for an unknown profile or class and for a
// class closed to the profile (motorway for motorbike).
func Speed(profile string, c Class) (kmh float64, err error) {
	sp, err := profileSpeeds(profile)
	if err != nil {
		return 0, err
	}
	if int(c) >= len(sp) {
		return 0, fmt.Errorf("roads: unknown road class %d", c)
	}
	if sp[c] == 0 {
		return 0, fmt.Errorf("roads: class %s is closed to profile %s", c, normProfile(profile))
	}
	return sp[c], nil
}

func normProfile(p string) string {
	if p == "" {
		return ProfileMotorbike
	}
	return p
}

// parseMaxspeed reads an OSM maxspeed value ("50", "50 mph", "60;40") as km/h.
// Symbolic values ("VN:urban", "none", "signals") give ok=false and leave the
// class speed alone.
func parseMaxspeed(v string) (kmh float64, ok bool) {
	v = strings.TrimSpace(v)
	if i := strings.IndexAny(v, ";|"); i >= 0 {
		v = strings.TrimSpace(v[:i])
	}
	end := 0
	for end < len(v) && (v[end] >= '0' && v[end] <= '9' || v[end] == '.') {
		end++
	}
	if end == 0 {
		return 0, false
	}
	x, err := strconv.ParseFloat(v[:end], 64)
	if err != nil || x <= 0 {
		return 0, false
	}
	unit := strings.ToLower(strings.TrimSpace(v[end:]))
	switch unit {
	case "", "km/h", "kmh", "kph":
	case "mph":
		x *= 1.609344
	case "knots":
		x *= 1.852
	default:
		return 0, false
	}
	return x, true
}

// onewayDir decodes an oneway tag: 1 forward only, -1 backward only, 0 both.
// implied applies when the tag is absent or unrecognised (motorways, roundabouts).
func onewayDir(v string, implied bool) int {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "yes", "true", "1":
		return 1
	case "-1", "reverse":
		return -1
	case "no", "false", "0":
		return 0
	}
	if implied {
		return 1
	}
	return 0
}
