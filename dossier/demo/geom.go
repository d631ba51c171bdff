package demo

import "math"

// The province is built in a flat local frame (kilometres east and north of
// an origin) because the partition and the road planarisation need exact,
// isotropic geometry; only the encoder converts to lon/lat degrees.

// pt is a point in the local frame, kilometres.
type pt struct{ X, Y float64 }

func (a pt) add(b pt) pt        { return pt{a.X + b.X, a.Y + b.Y} }
func (a pt) sub(b pt) pt        { return pt{a.X - b.X, a.Y - b.Y} }
func (a pt) scale(k float64) pt { return pt{a.X * k, a.Y * k} }
func (a pt) dist(b pt) float64  { return math.Hypot(a.X-b.X, a.Y-b.Y) }
func cross(a, b pt) float64     { return a.X*b.Y - a.Y*b.X }
func lerp(a, b pt, t float64) pt {
	return pt{a.X + (b.X-a.X)*t, a.Y + (b.Y-a.Y)*t}
}

// ring is a simple polygon ring, counter-clockwise, without the closing point.
type ring []pt

// area is the signed shoelace area (positive for counter-clockwise), km².
func (r ring) area() float64 {
	s := 0.0
	for i := range r {
		j := (i + 1) % len(r)
		s += cross(r[i], r[j])
	}
	return s / 2
}

// centroid of the ring's area; the vertex mean when the area vanishes.
func (r ring) centroid() pt {
	var cx, cy, a float64
	for i := range r {
		j := (i + 1) % len(r)
		c := cross(r[i], r[j])
		cx += (r[i].X + r[j].X) * c
		cy += (r[i].Y + r[j].Y) * c
		a += c
	}
	if math.Abs(a) < 1e-12 {
		var m pt
		for _, p := range r {
			m = m.add(p)
		}
		return m.scale(1 / float64(len(r)))
	}
	return pt{cx / (3 * a), cy / (3 * a)}
}

// containsConvex reports whether p lies strictly inside the counter-clockwise
// convex ring, at least margin km from every edge.
func (r ring) containsConvex(p pt, margin float64) bool {
	if len(r) < 3 {
		return false
	}
	for i := range r {
		a, b := r[i], r[(i+1)%len(r)]
		e := b.sub(a)
		l := math.Hypot(e.X, e.Y)
		if l == 0 {
			continue
		}
		if cross(e, p.sub(a))/l < margin {
			return false
		}
	}
	return true
}

// contains is the even-odd point-in-polygon test, valid for any simple ring.
func (r ring) contains(p pt) bool {
	in := false
	for i, j := 0, len(r)-1; i < len(r); j, i = i, i+1 {
		a, b := r[i], r[j]
		if (a.Y > p.Y) != (b.Y > p.Y) && p.X < (b.X-a.X)*(p.Y-a.Y)/(b.Y-a.Y)+a.X {
			in = !in
		}
	}
	return in
}

// bbox returns the ring's min and max corners.
func (r ring) bbox() (lo, hi pt) {
	lo = pt{math.Inf(1), math.Inf(1)}
	hi = pt{math.Inf(-1), math.Inf(-1)}
	for _, p := range r {
		lo.X, lo.Y = math.Min(lo.X, p.X), math.Min(lo.Y, p.Y)
		hi.X, hi.Y = math.Max(hi.X, p.X), math.Max(hi.Y, p.Y)
	}
	return lo, hi
}

// clipHalfPlane keeps the part of convex ring r where a*x + b*y <= c
// (Sutherland–Hodgman against one line). The result stays convex.
func clipHalfPlane(r ring, a, b, c float64) ring {
	if len(r) == 0 {
		return nil
	}
	out := make(ring, 0, len(r)+1)
	val := func(p pt) float64 { return a*p.X + b*p.Y - c }
	prev := r[len(r)-1]
	pv := val(prev)
	for _, cur := range r {
		cv := val(cur)
		if cv <= 0 {
			if pv > 0 {
				out = append(out, lerp(prev, cur, pv/(pv-cv)))
			}
			out = append(out, cur)
		} else if pv <= 0 {
			out = append(out, lerp(prev, cur, pv/(pv-cv)))
		}
		prev, pv = cur, cv
	}
	return dropNearDuplicates(out, 1e-9)
}

// dropNearDuplicates removes consecutive vertices closer than eps, which
// clipping produces when a line passes through a vertex.
func dropNearDuplicates(r ring, eps float64) ring {
	out := r[:0]
	for _, p := range r {
		if len(out) > 0 && out[len(out)-1].dist(p) < eps {
			continue
		}
		out = append(out, p)
	}
	for len(out) > 1 && out[0].dist(out[len(out)-1]) < eps {
		out = out[:len(out)-1]
	}
	if len(out) < 3 {
		return nil
	}
	return out
}

// convexHull returns the counter-clockwise hull of pts (monotone chain).
func convexHull(pts []pt) ring {
	p := append([]pt(nil), pts...)
	sortPts(p)
	if len(p) < 3 {
		return p
	}
	h := make(ring, 0, 2*len(p))
	for _, q := range p {
		for len(h) >= 2 && cross(h[len(h)-1].sub(h[len(h)-2]), q.sub(h[len(h)-2])) <= 0 {
			h = h[:len(h)-1]
		}
		h = append(h, q)
	}
	lower := len(h) + 1
	for i := len(p) - 2; i >= 0; i-- {
		q := p[i]
		for len(h) >= lower && cross(h[len(h)-1].sub(h[len(h)-2]), q.sub(h[len(h)-2])) <= 0 {
			h = h[:len(h)-1]
		}
		h = append(h, q)
	}
	return h[:len(h)-1]
}

func sortPts(p []pt) {
	// insertion sort: hulls here have a dozen points
	for i := 1; i < len(p); i++ {
		for j := i; j > 0 && (p[j].X < p[j-1].X || (p[j].X == p[j-1].X && p[j].Y < p[j-1].Y)); j-- {
			p[j], p[j-1] = p[j-1], p[j]
		}
	}
}

// powerCell is the cell of site i in the power diagram of sites with
// weights w, clipped to the convex ring outline. With equal weights it is the
// Voronoi cell. Every cell is convex, and the cells partition the outline.
func powerCell(outline ring, sites []pt, w []float64, i int) ring {
	cell := append(ring(nil), outline...)
	ci := sites[i]
	for j, cj := range sites {
		if j == i || cell == nil {
			continue
		}
		a := 2 * (cj.X - ci.X)
		b := 2 * (cj.Y - ci.Y)
		c := cj.X*cj.X + cj.Y*cj.Y - ci.X*ci.X - ci.Y*ci.Y - w[j] + w[i]
		cell = clipHalfPlane(cell, a, b, c)
	}
	return cell
}

// segmentIntersection returns the parameters (t on ab, u on cd) of a proper
// crossing of segments ab and cd, excluding touching at endpoints.
func segmentIntersection(a, b, c, d pt) (t, u float64, ok bool) {
	r := b.sub(a)
	s := d.sub(c)
	den := cross(r, s)
	if math.Abs(den) < 1e-15 {
		return 0, 0, false // parallel or collinear: the generator never lays roads on top of each other
	}
	ac := c.sub(a)
	t = cross(ac, s) / den
	u = cross(ac, r) / den
	const e = 1e-9
	if t <= e || t >= 1-e || u <= e || u >= 1-e {
		return 0, 0, false
	}
	return t, u, true
}

// distToSegment is the distance from p to segment ab and the parameter of
// the closest point.
func distToSegment(p, a, b pt) (float64, float64) {
	e := b.sub(a)
	l2 := e.X*e.X + e.Y*e.Y
	if l2 == 0 {
		return p.dist(a), 0
	}
	t := ((p.X-a.X)*e.X + (p.Y-a.Y)*e.Y) / l2
	t = math.Max(0, math.Min(1, t))
	return p.dist(lerp(a, b, t)), t
}
