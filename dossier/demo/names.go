package demo

import "math/rand/v2"

// Commune names in the south are mostly two auspicious Sino-Vietnamese
// syllables ("Phú Lợi", "An Bình", "Tân Định"); pairing them gives names
// that read as Vietnamese without naming any real place on purpose.
func nameSyllables() (first, second []string) {
	first = []string{
		"An", "Bình", "Phú", "Tân", "Hòa", "Mỹ", "Long", "Thạnh", "Vĩnh", "Phước",
		"Hưng", "Định", "Thuận", "Chánh", "Hiệp", "Khánh", "Lộc", "Thới", "Minh", "Thanh",
		"Lai", "Hội", "Nghĩa", "Thái", "Trường", "Đông", "Gia", "Quang", "Thường", "Bạch",
	}
	second = []string{
		"Lợi", "Bình", "Hòa", "An", "Phú", "Lộc", "Định", "Thạnh", "Hưng", "Tân",
		"Long", "Mỹ", "Thành", "Lập", "Đông", "Tây", "Nam", "Bắc", "Hiệp", "Khánh",
		"Phước", "Thuận", "Giao", "Uyên", "Hội", "Lạc", "Điền", "Sơn", "Xuân", "Trung",
	}
	return first, second
}

// communeNames draws n distinct two-syllable names, none equal to a name in
// taken (the district names), in a seeded order.
func communeNames(rng *rand.Rand, n int, taken map[string]bool) []string {
	first, second := nameSyllables()
	var pool []string
	for _, a := range first {
		for _, b := range second {
			if a == b {
				continue
			}
			s := a + " " + b
			if !taken[s] {
				pool = append(pool, s)
			}
		}
	}
	rng.Shuffle(len(pool), func(i, j int) { pool[i], pool[j] = pool[j], pool[i] })
	seen := map[string]bool{}
	out := make([]string, 0, n)
	for _, s := range pool {
		if len(out) == n {
			break
		}
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

// kindPrefix is the Vietnamese unit type written before a commune's name and
// stored in the kind property, as GSO lists do.
func kindPrefix(k string) string {
	switch k {
	case kindWard:
		return "Phường"
	case kindTown:
		return "Thị trấn"
	}
	return "Xã"
}
