package dossier

import "math"

// ErlangC is the probability that an arrival has to wait in an M/M/c queue
// with c servers and offered load a = λ/μ erlangs. It is 1 when a >= c (the
// queue is unstable) and 0 when a is 0. It uses the Erlang B recursion, which
// never forms a^c or c!, so it stays exact for hundreds of servers.
func ErlangC(c int, a float64) float64 {
	if c <= 0 || a >= float64(c) {
		return 1
	}
	if a <= 0 {
		return 0
	}
	b := 1.0
	for k := 1; k <= c; k++ {
		b = a * b / (float64(k) + a*b)
	}
	return float64(c) * b / (float64(c) - a*(1-b))
}

// ErlangWait is the mean wait in queue Wq of M/M/c, in the unit of the mean
// service time s: C(c, a) * s / (c - a). It is +Inf when a >= c.
func ErlangWait(c int, a, s float64) float64 {
	if a <= 0 {
		return 0
	}
	if c <= 0 || a >= float64(c) {
		return math.Inf(1)
	}
	return ErlangC(c, a) * s / (float64(c) - a)
}

// maxServers bounds MinServers' search, far above MaxStaffPerOffice.
const maxServers = 1e9

// MinServers is the fewest servers (at least 1) whose Erlang C mean wait is
// within target and whose occupancy a/c is within maxUtil, for offered load a
// erlangs and mean service time s (same unit as target). It returns 0 when no
// number of servers can: a load that is not a finite number >= 0, a
// non-positive target or threshold with some load, or a threshold so small
// that over a billion servers would be needed.
func MinServers(a, s, target, maxUtil float64) int {
	if a == 0 {
		return 1
	}
	if !(a > 0) || math.IsInf(a, 0) || !(s >= 0) || !(target > 0) || !(maxUtil > 0) {
		return 0
	}
	if a/maxUtil > maxServers {
		// More servers than an int counts sensibly: a tiny threshold, not
		// an office; searching up to it would never end.
		return 0
	}
	c := 1
	if a > 0 && maxUtil > 0 {
		// Occupancy alone already needs this many; start there instead of 1.
		c = max(1, int(math.Ceil(a/maxUtil-1e-12)))
	}
	for ErlangWait(c, a, s) > target || (c > 0 && a/float64(c) > maxUtil) {
		c++
	}
	return c
}
