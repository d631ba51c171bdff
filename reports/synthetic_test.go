package reports

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sort"

	"github.com/onestop/onestop/data"
	"github.com/paulmach/orb"
	"github.com/uber/h3-go/v4"
)

// syntheticRun builds a realistic run over a Binh-Duong-sized province: 9
// districts, a grid of communes with Vietnamese names, one one-stop office
// per commune plus 9 branches, H3 population cells, travel times from
// straight-line distance, and a scenario that merges urban ward offices and
// opens two inter-ward points. Everything derives from seed.
func syntheticRun(seed uint64, lang Lang) Run {
	rng := rand.New(rand.NewPCG(seed, 7))
	const (
		lon0, lat0 = 106.40, 10.90
		step       = 0.085
		nx, ny     = 7, 7
	)
	districtNames := []string{"Thành phố Thủ Dầu Một", "Huyện Bàu Bàng", "Huyện Dầu Tiếng", "Thị xã Bến Cát",
		"Huyện Phú Giáo", "Thị xã Tân Uyên", "Thành phố Dĩ An", "Thành phố Thuận An", "Huyện Bắc Tân Uyên"}
	first := []string{"Phú", "Tân", "Bình", "Hòa", "An", "Định", "Thạnh", "Long", "Hiệp", "Chánh", "Vĩnh", "Thới"}
	second := []string{"Cường", "Lợi", "Mỹ", "Hưng", "Thành", "Phước", "Hòa", "An", "Đông", "Tây", "Nghĩa", "Lộc"}

	r := Run{Title: "", Dataset: "Tỉnh mô phỏng (synthetic Binh Duong)", Scenario: "Giai đoạn 3 – sáp nhập phường",
		Phase: "3", Lang: lang}
	for i, n := range districtNames {
		r.Districts = append(r.Districts, DistrictRow{Code: fmt.Sprintf("%d", 718+i), Name: n})
	}
	urbanDistrict := map[string]bool{"718": true, "724": true, "725": true}
	type communeInfo struct {
		row    *CommuneRow
		bound  orb.Bound
		urban  bool
		office string
	}
	var infos []communeInfo
	districtOf := func(ix, iy int) int { return (iy/3)*3 + ix*3/nx }
	for iy := 0; iy < ny; iy++ {
		for ix := 0; ix < nx; ix++ {
			d := districtOf(ix, iy)
			code := fmt.Sprintf("%05d", 25700+iy*nx+ix)
			dc := r.Districts[d].Code
			urban := urbanDistrict[dc]
			kind := "Xã"
			if urban {
				kind = "Phường"
			}
			name := fmt.Sprintf("%s %s %s", kind, first[(ix+2*iy)%len(first)], second[(3*ix+iy)%len(second)])
			// jitter the grid corners a little so outlines look less like a chessboard
			x0, y0 := lon0+float64(ix)*step, lat0+float64(iy)*step
			// neighbours share the jittered vertex, so the outlines stay one
			// boundary set (as in real data) and district borders can be traced
			ring := orb.Ring{{x0, y0}}
			if iy > 0 {
				ring = append(ring, orb.Point{x0 + step*0.5, y0 + step*0.02})
			}
			ring = append(ring, orb.Ring{{x0 + step, y0}, {x0 + step, y0 + step}, {x0 + step*0.5, y0 + step*1.02}, {x0, y0 + step}, {x0, y0}}...)
			c := CommuneRow{Code: code, Name: name, District: dc, Geometry: orb.MultiPolygon{{ring}}}
			r.Communes = append(r.Communes, c)
			infos = append(infos, communeInfo{bound: ring.Bound(), urban: urban})
		}
	}
	for i := range infos {
		infos[i].row = &r.Communes[i]
	}
	// offices: a one-stop department per commune, a branch per district
	for i, ci := range infos {
		c := ci.row
		ctr := ci.bound.Center()
		id := "OS-" + c.Code
		infos[i].office = id
		staff := 3 + rng.IntN(3)
		if ci.urban {
			staff += 2
		}
		r.Offices = append(r.Offices, OfficeRow{ID: id, Name: "Bộ phận Một cửa " + c.Name, Kind: data.OneStop, Commune: c.Code,
			Lon: ctr[0] + (rng.Float64()-0.5)*0.02, Lat: ctr[1] + (rng.Float64()-0.5)*0.02, Status: Kept,
			StaffBefore: staff, StaffAfter: staff})
	}
	for di, d := range r.Districts {
		var seat *communeInfo
		for i := range infos {
			if infos[i].row.District == d.Code {
				seat = &infos[i]
				break
			}
		}
		ctr := seat.bound.Center()
		r.Offices = append(r.Offices, OfficeRow{ID: fmt.Sprintf("BR-%s", d.Code), Name: "Chi nhánh " + d.Name, Commune: seat.row.Code,
			Kind: data.Branch, Lon: ctr[0] + 0.012, Lat: ctr[1] - 0.01, Status: Kept, StaffBefore: 12 + di%4, StaffAfter: 12 + di%4})
	}
	// scenario: merge every second urban ward office into its western neighbour,
	// and open two inter-ward points
	officeIdx := map[string]int{}
	for i, o := range r.Offices {
		officeIdx[o.ID] = i
	}
	for i, ci := range infos {
		if !ci.urban || i%2 == 0 || i%nx == 0 || !infos[i-1].urban {
			continue
		}
		from, to := &r.Offices[officeIdx[ci.office]], &r.Offices[officeIdx[infos[i-1].office]]
		if from.Status == Closed || to.Status == Closed {
			continue
		}
		from.Status, from.AbsorbedBy = Closed, to.ID
		to.StaffAfter += from.StaffAfter - 1
		from.StaffAfter = 0
		r.Merges = append(r.Merges, Merge{From: from.ID, To: to.ID, ReasonLang: Vietnamese,
			Reason: fmt.Sprintf("Trụ sở cách %.1f km, lượng hồ sơ thấp; gộp vào %s", 4+rng.Float64()*3, to.Name)})
	}
	for k, i := range []int{len(infos) - 2, nx + 3} {
		ctr := infos[i].bound.Center()
		r.Offices = append(r.Offices, OfficeRow{ID: fmt.Sprintf("IW-%d", k+1), Name: fmt.Sprintf("Điểm tiếp nhận liên phường số %d", k+1), Commune: infos[i].row.Code,
			Kind: data.InterWard, Lon: ctr[0] + 0.02, Lat: ctr[1] + 0.02, Status: New, StaffAfter: 4})
	}

	// population cells: H3 resolution 7 over the province, one per sample point
	seen := map[h3.Cell]bool{}
	var cells []h3.Cell
	for y := lat0 + 0.004; y < lat0+float64(ny)*step; y += 0.012 {
		for x := lon0 + 0.004; x < lon0+float64(nx)*step; x += 0.012 {
			c := h3.LatLngToCell(h3.LatLng{Lat: y, Lng: x}, 7)
			if seen[c] {
				continue
			}
			seen[c] = true
			cells = append(cells, c)
		}
	}
	sort.Slice(cells, func(i, j int) bool { return cells[i] < cells[j] })
	nearest := func(p orb.Point, after bool) (string, float64, float64) {
		best, bestMin, bestKm := "", math.Inf(1), 0.0
		for _, o := range r.Offices {
			if (after && o.Status == Closed) || (!after && o.Status == New) {
				continue
			}
			km := haversineKm(p, orb.Point{o.Lon, o.Lat})
			speed := 30.0 // km/h rural motorbike
			if p[1] < lat0+3*step {
				speed = 22 // denser south: slower traffic
			}
			min := km * 1.3 / speed * 60
			if min < bestMin {
				best, bestMin, bestKm = o.ID, min, km
			}
		}
		return best, bestMin, bestKm
	}
	for _, hc := range cells {
		ll := hc.LatLng()
		p := orb.Point{ll.Lng, ll.Lat}
		ci := -1
		for i, inf := range infos {
			if inf.bound.Contains(p) {
				ci = i
				break
			}
		}
		if ci < 0 {
			continue
		}
		pop := int64(200 + rng.ExpFloat64()*900)
		if infos[ci].urban {
			pop *= 4
		}
		ob, mb, kb := nearest(p, false)
		oa, ma, ka := nearest(p, true)
		r.Cells = append(r.Cells, Cell{H3: hc.String(), Lon: round6(p[0]), Lat: round6(p[1]), Population: pop,
			Commune: infos[ci].row.Code, OfficeBefore: ob, OfficeAfter: oa,
			MinutesBefore: round2(mb), MinutesAfter: round2(ma), CoveredBefore: mb <= 30 || kb <= 5, CoveredAfter: ma <= 30 || ka <= 5})
	}
	aggregate(&r)
	return r
}

// aggregate fills what the engines would: office loads and waits (0.07
// dossiers per resident per year to the nearest office, a simple queue
// formula), then every statistic through Run.FillFromCells.
func aggregate(r *Run) {
	load := map[string]float64{}
	for _, c := range r.Cells {
		load[c.OfficeAfter] += 0.07 * float64(c.Population)
	}
	for i := range r.Offices {
		o := &r.Offices[i]
		o.Norm = 1200
		if o.Kind == data.Branch || o.Lat < 10.90+3*0.085 {
			o.Norm = 1600
		}
		o.Dossiers, o.ProductivityVsNorm, o.WaitErlangMin, o.WaitSimMeanMin, o.Flag = 0, 0, 0, 0, ""
		if o.Status == Closed {
			continue
		}
		o.Dossiers = math.Round(load[o.ID])
		// a queue busier with more dossiers per staff member, for the test
		rho := math.Min(o.productivity(), 0.97)
		o.WaitErlangMin = round2(4 * rho / (1 - rho) / float64(max(o.StaffAfter, 1)))
		o.WaitSimMeanMin = round2(o.WaitErlangMin * 1.08)
	}
	r.FillFromCells([]float64{0, 5, 10, 15, 20, 30, 45, math.Inf(1)})
	r.Before.OfficesOverWait = r.After.OfficesOverWait / 2
}

func haversineKm(a, b orb.Point) float64 {
	const R = 6371.0
	la1, la2 := a[1]*math.Pi/180, b[1]*math.Pi/180
	dla, dlo := la2-la1, (b[0]-a[0])*math.Pi/180
	h := math.Sin(dla/2)*math.Sin(dla/2) + math.Cos(la1)*math.Cos(la2)*math.Sin(dlo/2)*math.Sin(dlo/2)
	return 2 * R * math.Asin(math.Sqrt(h))
}
