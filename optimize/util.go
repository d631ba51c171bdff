package optimize

// gapPct is the relative distance between a plan's objective and its bound,
// in percent of the objective; 0 when they meet.
func gapPct(obj, lb float64, maximise bool) float64 {
	d := obj - lb
	if maximise {
		d = lb - obj
	}
	if d <= 1e-9*max(1, abs(obj)) {
		return 0
	}
	den := abs(obj)
	if den < 1e-12 {
		den = abs(lb)
	}
	if den < 1e-12 {
		return 0
	}
	return 100 * d / den
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}
