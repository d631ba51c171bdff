package roads

// Options selects the vehicle profile and, for GeoJSON, the property names.
type Options struct {
	Profile     string // "motorbike" (default) or "car"
	ClassField  string // GeoJSON property holding the OSM highway value; default "highway"
	SpeedField  string // GeoJSON property holding the speed limit in km/h; default "maxspeed"
	OnewayField string // GeoJSON property holding the OSM oneway value; default "oneway"
}

func (o Options) withDefaults() Options {
	if o.Profile == "" {
		o.Profile = ProfileMotorbike
	}
	if o.ClassField == "" {
		o.ClassField = "highway"
	}
	if o.SpeedField == "" {
		o.SpeedField = "maxspeed"
	}
	if o.OnewayField == "" {
		o.OnewayField = "oneway"
	}
	return o
}

// roadSpeed decides whether a road is routable for the profile and at what
// speed: the class speed, lowered to the posted limit when that is lower.
func roadSpeed(sp *speeds, highway, maxspeed string) (c Class, kmh float64, ok bool) {
	c, ok = ParseHighway(highway)
	if !ok || sp[c] == 0 {
		return c, 0, false
	}
	kmh = sp[c]
	if lim, ok := parseMaxspeed(maxspeed); ok && lim < kmh {
		kmh = lim
	}
	return c, kmh, true
}
