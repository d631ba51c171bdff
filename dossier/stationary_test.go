package dossier

// Test-only schedules and profiles: together they make arrivals stationary,
// which is what Erlang C assumes.

// alwaysOpen is a schedule open around the clock, every day. With a flat
// profile it gives stationary arrivals, which is what Erlang C assumes.
func alwaysOpen() Schedule {
	var s Schedule
	for d := range s.Days {
		s.Days[d] = []Interval{{0, 24 * 60}}
	}
	return s
}

// flatProfile gives every hour the same intensity.
func flatProfile() Profile {
	var p Profile
	for d := range p.Weight {
		for h := range p.Weight[d] {
			p.Weight[d][h] = 1
		}
	}
	return p
}
