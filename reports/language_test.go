package reports

import (
	"encoding/json"
	"html"
	"regexp"
	"sort"
	"strings"
	"testing"
	"unicode"
)

// englishWords are words of the English report that must not appear in the
// Vietnamese one (Vietnamese words spelled without diacritics that English
// shares, such as "to" or "an", are left out).
var englishWords = []string{"the", "and", "of", "its", "within", "residents", "resident", "office", "offices",
	"scenario", "current", "merge", "merges", "merged", "reach", "staff", "dossiers", "load", "mean", "grid", "point",
	"covered", "share", "district", "commune", "communes", "waiting", "travel", "time", "rule", "fits", "exceeds",
	"above", "new", "closed", "kept", "population", "overloaded", "underused", "flag", "note", "every", "before",
	"after", "pp", "per", "year", "scale", "utilisation", "min", "minutes", "people", "worst", "summary", "status"}

// chartStrings are the texts of chart options a reader sees: names, titles,
// labels, tooltip infos and category axes.
var chartStrings = regexp.MustCompile(`"(?:name|text|formatter|label|info)"\s*:\s*("(?:[^"\\]|\\.)*")|"data"\s*:\s*\[((?:"(?:[^"\\]|\\.)*",?)+)\]`)

var quoted = regexp.MustCompile(`"(?:[^"\\]|\\.)*"`)

// visibleText is the text a reader of the page can see: the document
// without scripts, styles and tags, plus the strings of the chart options
// and the units the tooltips print.
func visibleText(t *testing.T, page []byte) string {
	t.Helper()
	var parts []string
	for _, s := range inlineScripts(page) {
		if strings.Contains(s, "var onestopText = ") {
			_, obj, _ := strings.Cut(s, "var onestopText = ")
			obj, _, _ = strings.Cut(obj, ";")
			var units map[string]string
			if err := json.Unmarshal([]byte(obj), &units); err != nil {
				t.Fatalf("onestopText: %v", err)
			}
			for _, u := range units {
				parts = append(parts, u)
			}
		}
		if !strings.Contains(s, "echarts.init") {
			continue
		}
		for _, m := range chartStrings.FindAllStringSubmatch(s, -1) {
			for _, q := range quoted.FindAllString(m[1]+m[2], -1) {
				var v string
				if json.Unmarshal([]byte(q), &v) == nil && !strings.HasPrefix(v, "{") {
					parts = append(parts, v)
				}
			}
		}
	}
	doc := regexp.MustCompile(`(?s)<script[^>]*>.*?</script>|<style[^>]*>.*?</style>`).ReplaceAllString(string(page), " ")
	doc = regexp.MustCompile(`<[^>]*>`).ReplaceAllString(doc, " ")
	parts = append(parts, html.UnescapeString(doc))
	return strings.Join(parts, "\n")
}

// properNames are the names from the data, which stay as written in every
// language: units, offices (as the report shows them), the parts of new
// points' names taken from communes, dataset and scenario.
func properNames(r Run) []string {
	lb, _ := r.Lang.labels()
	shown := r.localized(lb)
	names := []string{r.Title, r.Dataset, r.Scenario, r.Phase}
	for _, d := range r.Districts {
		names = append(names, d.Name)
	}
	for _, c := range r.Communes {
		names = append(names, c.Name, shortCommuneName(c.Name))
	}
	for i, o := range r.Offices {
		names = append(names, o.Name, o.ID)
		if shown.Offices[i].Flag == o.Flag {
			names = append(names, o.Flag) // a planner's own flag text
		}
	}
	for _, m := range r.Merges {
		if m.ReasonLang == r.Lang {
			names = append(names, m.Reason)
		}
	}
	// longest first, so "Bộ phận Một cửa Phường X" goes before "Phường X"
	sort.Slice(names, func(i, j int) bool { return len(names[i]) > len(names[j]) })
	return names
}

// foreignWords returns the words of text that belong to the other language:
// in an English page any letter outside ASCII (Vietnamese diacritics), in a
// Vietnamese page the English words of englishWords.
func foreignWords(text string, lang Lang) []string {
	en := map[string]bool{}
	for _, w := range englishWords {
		en[w] = true
	}
	seen := map[string]bool{}
	var out []string
	for _, w := range strings.FieldsFunc(text, func(r rune) bool { return !unicode.IsLetter(r) && r != '-' }) {
		w = strings.Trim(w, "-")
		bad := false
		if lang == English {
			for _, r := range w {
				bad = bad || (unicode.IsLetter(r) && r > unicode.MaxASCII)
			}
		} else {
			bad = en[strings.ToLower(w)]
		}
		if bad && !seen[w] {
			seen[w] = true
			out = append(out, w)
		}
	}
	return out
}

// withEngineText gives a run what the pipeline writes today: an English
// merge reason of unknown language and a new point named by the optimizer
// after its grid cell. Neither may reach the report's text.
func withEngineText(r Run) Run {
	r.Merges[0].Reason, r.Merges[0].ReasonLang = "its 35007 residents reach OS-1 within 12.3 min", ""
	for i := range r.Offices {
		if r.Offices[i].Status == New {
			r.Offices[i].Name = "grid point 8865b1d4b5fffff"
			break
		}
	}
	return r
}

func TestReportLanguage(t *testing.T) {
	t.Parallel()
	for _, lang := range []Lang{Vietnamese, English} {
		t.Run(string(lang), func(t *testing.T) {
			r := withEngineText(syntheticRun(3, lang))
			other := withEngineText(syntheticRun(4, lang))
			other.Scenario = "B"
			other.Targets.TravelMinutes = 20
			pages := map[string][]byte{}
			var err error
			if pages["report"], err = Render(r); err != nil {
				t.Fatal(err)
			}
			if pages["compare"], err = Compare(r, other); err != nil {
				t.Fatal(err)
			}
			for kind, page := range pages {
				text := visibleText(t, page)
				for _, n := range append(properNames(r), properNames(other)...) {
					if len([]rune(strings.TrimSpace(n))) > 2 { // not the phase "3" in every number
						text = strings.ReplaceAll(text, n, " ")
					}
				}
				if words := foreignWords(text, lang); len(words) > 0 {
					t.Errorf("%s %s shows words of the other language: %q", lang, kind, words)
				}
				for _, leak := range []string{"grid point", "35007", "its 35007"} {
					if strings.Contains(text, leak) {
						t.Errorf("%s %s shows the engine's text %q", lang, kind, leak)
					}
				}
			}
		})
	}
}

// TestLanguageScanSeesLeaks: the scan finds a word of the other language
// where there is one, so a clean result above means something.
func TestLanguageScanSeesLeaks(t *testing.T) {
	t.Parallel()
	tests := []struct {
		lang Lang
		text string
		want string
	}{
		{English, "Offices whose mean waiting time (thời gian chờ) exceeds", "thời"},
		{Vietnamese, "Lý do: its residents reach the office", "its"},
		{English, "Mean travel time", ""},
		{Vietnamese, "Thời gian di chuyển trung bình 9,6 phút", ""},
	}
	for _, tc := range tests {
		got := foreignWords(tc.text, tc.lang)
		if tc.want == "" && len(got) > 0 || tc.want != "" && (len(got) == 0 || got[0] != tc.want) {
			t.Errorf("%s %q: foreign words %q, want %q", tc.lang, tc.text, got, tc.want)
		}
	}
}
