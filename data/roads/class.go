package roads

import "strings"

// String returns the OSM highway value of the class ("road" for Other).
func (c Class) String() string {
	switch c {
	case Motorway:
		return "motorway"
	case Trunk:
		return "trunk"
	case Primary:
		return "primary"
	case Secondary:
		return "secondary"
	case Tertiary:
		return "tertiary"
	case Unclassified:
		return "unclassified"
	case Residential:
		return "residential"
	case Service:
		return "service"
	case Track:
		return "track"
	case Other:
		return "road"
	case LivingStreet:
		return "living_street"
	}
	return "unknown"
}

// ParseHighway maps an OSM highway value to a Class. Links take the class of
// the road they link, so a motorway_link is banned wherever a motorway is.
// ok is false for values that are not roads for motor vehicles (footway,
// path, cycleway, steps, pedestrian, construction, proposed, ...).
func ParseHighway(v string) (c Class, ok bool) {
	v = strings.TrimSuffix(strings.ToLower(strings.TrimSpace(v)), "_link")
	switch v {
	case "motorway":
		return Motorway, true
	case "trunk":
		return Trunk, true
	case "primary":
		return Primary, true
	case "secondary":
		return Secondary, true
	case "tertiary":
		return Tertiary, true
	case "unclassified":
		return Unclassified, true
	case "residential":
		return Residential, true
	case "living_street":
		return LivingStreet, true
	case "service":
		return Service, true
	case "track":
		return Track, true
	case "road":
		return Other, true
	}
	return 0, false
}

// impliedOneway reports classes that OSM treats as one-way unless tagged
// otherwise (motorway and motorway_link).
func impliedOneway(highway string) bool {
	h := strings.ToLower(strings.TrimSpace(highway))
	return h == "motorway" || h == "motorway_link"
}
