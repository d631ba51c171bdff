package dossier

import (
	"context"
	"fmt"
	"hash/fnv"
	"math"
	"math/rand/v2"
	"runtime"
	"sort"
	"sync"
)

// QueueModel is the counter model shared by the Erlang C check and the
// simulation. Times are in minutes.
type QueueModel struct {
	Year    int // calendar year laid over the weekly schedule
	Hours   Schedule
	Profile Profile
	// ServiceMeanMin and ServiceCV describe the lognormal counter service
	// time (receiving one dossier at the counter).
	ServiceMeanMin float64
	ServiceCV      float64
	// Exponential replaces the lognormal by an exponential service time of
	// the same mean; with AlwaysOpen and FlatProfile the simulation is then
	// exactly the M/M/c queue of Erlang C.
	Exponential bool
	Seed        int64
	Workers     int // simulation goroutines; 0 means GOMAXPROCS
}

// DefaultQueueModel returns the documented defaults for a year.
func DefaultQueueModel(year int) QueueModel {
	return QueueModel{
		Year:           year,
		Hours:          DefaultSchedule(),
		Profile:        DefaultProfile(),
		ServiceMeanMin: 12,
		ServiceCV:      0.6,
		Seed:           1,
	}
}

func (m QueueModel) validate() error {
	if err := CheckYear(m.Year); err != nil {
		return fmt.Errorf("queue model: %w", err)
	}
	if !(m.ServiceMeanMin > 0) || math.IsInf(m.ServiceMeanMin, 0) {
		return fmt.Errorf("queue model: mean service time %v min; fix: give a positive number of minutes", m.ServiceMeanMin)
	}
	if !m.Exponential && (math.IsNaN(m.ServiceCV) || m.ServiceCV < 0 || m.ServiceCV > 10) {
		return fmt.Errorf("queue model: service time CV %v; fix: give a value in [0, 10]", m.ServiceCV)
	}
	return nil
}

// SimOffice is one office to simulate.
type SimOffice struct {
	ID              string  // seeds the office's random stream, so results do not depend on order
	CounterDossiers float64 // expected counter arrivals per year
	Servers         int     // staff on counter duty
}

// SimResult is a simulated year of one office.
type SimResult struct {
	Arrivals    int64
	MeanWaitMin float64 // +Inf when arrivals meet no server
	P90WaitMin  float64
	ShareWaited float64 // share of arrivals that found every server busy
}

// checkAndSimulate checks the model and the offices, then runs a seeded
// discrete-event simulation of a year for every office:
// Poisson arrivals whose rate follows the opening hours and the profile,
// service times from the model, c FIFO servers. Offices are independent, so
// they are spread over Workers goroutines; each office's random stream
// depends only on the seed and its ID, so the output is deterministic.
func (m QueueModel) checkAndSimulate(ctx context.Context, offices []SimOffice) ([]SimResult, error) {
	if err := m.validate(); err != nil {
		return nil, err
	}
	cal, err := newCalendar(m.Year, m.Hours, m.Profile)
	if err != nil {
		return nil, err
	}
	for _, o := range offices {
		if err := o.check(); err != nil {
			return nil, err
		}
	}
	return m.simulate(ctx, cal, offices)
}

// check bounds what one office costs to simulate: time grows with its
// dossiers, so they are capped; memory grows with neither its servers nor
// its dossiers beyond the ones that wait over histMax (see run).
func (o SimOffice) check() error {
	if !(o.CounterDossiers >= 0 && o.CounterDossiers <= MaxDossiersPerOffice) || o.Servers < 0 || o.Servers > MaxStaffPerOffice {
		return fmt.Errorf("simulate office %q: %v counter dossiers a year, %d servers; fix: give at most %d dossiers and %d servers, >= 0",
			o.ID, o.CounterDossiers, o.Servers, MaxDossiersPerOffice, MaxStaffPerOffice)
	}
	return nil
}

func (m QueueModel) simulate(ctx context.Context, cal *calendar, offices []SimOffice) ([]SimResult, error) {
	out := make([]SimResult, len(offices))
	workers := m.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	workers = min(workers, len(offices))
	next := make(chan int)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s := newSimulator(m)
			for i := range next {
				// After a cancellation the office is left unfinished; the
				// feeder stops too and the context's error is returned.
				out[i], _ = s.run(ctx, cal, offices[i])
			}
		}()
	}
	var err error
feed:
	for i := range offices {
		select {
		case <-ctx.Done():
			err = fmt.Errorf("simulate dossier queues: %w", ctx.Err())
			break feed
		case next <- i:
		}
	}
	close(next)
	wg.Wait()
	if err == nil && ctx.Err() != nil { // cancelled while the last offices ran
		err = fmt.Errorf("simulate dossier queues: %w", ctx.Err())
	}
	if err != nil {
		return nil, err
	}
	return out, nil
}

// Waits are binned at histBin minutes up to histMax for the p90; longer
// waits are kept exactly in the overflow list.
const (
	histBin = 0.1
	histMax = 600.0
	// checkEvery is how many arrivals run between two looks at the context:
	// about a millisecond of simulation, so a cancellation stops it at once.
	checkEvery = 1 << 14
)

// simulator is one worker's reusable state.
type simulator struct {
	m       QueueModel
	mu, sig float64 // lognormal parameters of the service time
	// free is a min-heap of the free times of the servers used so far;
	// servers never used are only counted (run), so memory follows the
	// arrivals, not the staff.
	free     []float64
	hist     []int64
	overflow []float64
}

func newSimulator(m QueueModel) *simulator {
	s := &simulator{m: m, hist: make([]int64, int(histMax/histBin))}
	s.sig = math.Sqrt(math.Log1p(m.ServiceCV * m.ServiceCV))
	s.mu = math.Log(m.ServiceMeanMin) - s.sig*s.sig/2
	return s
}

func officeSeed(seed int64, id string) (uint64, uint64) {
	h := fnv.New64a()
	h.Write([]byte(id))
	return uint64(seed), h.Sum64()
}

// run simulates one office's year; the error is the context's when it is
// cancelled during the year.
func (s *simulator) run(ctx context.Context, cal *calendar, o SimOffice) (SimResult, error) {
	if err := ctx.Err(); err != nil {
		return SimResult{}, err
	}
	if o.CounterDossiers == 0 {
		return SimResult{}, nil
	}
	if o.Servers == 0 {
		return SimResult{MeanWaitMin: math.Inf(1), P90WaitMin: math.Inf(1), ShareWaited: 1}, nil
	}
	rng := rand.New(rand.NewPCG(officeSeed(s.m.Seed, o.ID)))
	s.free = s.free[:0]
	idle := o.Servers // servers never used: free since time 0
	clear(s.hist)
	s.overflow = s.overflow[:0]
	perWeight := o.CounterDossiers / cal.total
	var n, waited int64
	var sum float64
	for _, seg := range cal.segs {
		rate := perWeight * seg.weight
		// Exponential gaps restarted at each segment boundary are exact for a
		// piecewise-constant Poisson rate, because the process is memoryless.
		t := seg.start
		for {
			t += rng.ExpFloat64() / rate
			if t >= seg.end {
				break
			}
			var svc float64
			if s.m.Exponential {
				svc = rng.ExpFloat64() * s.m.ServiceMeanMin
			} else {
				svc = math.Exp(s.mu + s.sig*rng.NormFloat64())
			}
			// FIFO with c servers: the next customer takes the server that
			// frees first; the queue left at closing is served after hours.
			// A never-used server is free since time 0, earlier than any
			// used one, so it is taken first and the customer does not wait:
			// the same waits as a heap of c zeros, without c entries.
			var w float64
			if idle > 0 {
				idle--
				s.free = append(s.free, t+svc)
				siftUp(s.free, len(s.free)-1)
			} else {
				start := max(t, s.free[0])
				w = start - t
				s.free[0] = start + svc
				siftDown(s.free)
			}
			n++
			if n%checkEvery == 0 {
				if err := ctx.Err(); err != nil {
					return SimResult{}, err
				}
			}
			sum += w
			if w > 0 {
				waited++
				if b := int(w / histBin); b < len(s.hist) {
					s.hist[b]++
				} else {
					s.overflow = append(s.overflow, w)
				}
			}
		}
	}
	if n == 0 {
		return SimResult{}, nil
	}
	return SimResult{
		Arrivals:    n,
		MeanWaitMin: sum / float64(n),
		P90WaitMin:  s.quantile(n, n-waited, 0.9),
		ShareWaited: float64(waited) / float64(n),
	}, nil
}

// quantile is the q-quantile of n waits of which zeros were exactly zero and
// the rest are binned; it interpolates linearly within a bin.
func (s *simulator) quantile(n, zeros int64, q float64) float64 {
	rank := q * float64(n) // the quantile is the rank-th smallest wait
	cum := zeros
	if float64(cum) >= rank {
		return 0
	}
	for b, k := range s.hist {
		if k > 0 && float64(cum+k) >= rank {
			return (float64(b) + (rank-float64(cum))/float64(k)) * histBin
		}
		cum += k
	}
	sort.Float64s(s.overflow)
	i := min(len(s.overflow)-1, max(0, int(math.Ceil(rank))-int(cum)-1))
	return s.overflow[i]
}

// siftUp restores the min-heap property after h[i] was appended.
func siftUp(h []float64, i int) {
	for i > 0 {
		p := (i - 1) / 2
		if h[p] <= h[i] {
			return
		}
		h[p], h[i] = h[i], h[p]
		i = p
	}
}

// siftDown restores the min-heap property after h[0] grew.
func siftDown(h []float64) {
	i, n := 0, len(h)
	for {
		l := 2*i + 1
		if l >= n {
			return
		}
		c := l
		if r := l + 1; r < n && h[r] < h[l] {
			c = r
		}
		if h[i] <= h[c] {
			return
		}
		h[i], h[c] = h[c], h[i]
		i = c
	}
}
