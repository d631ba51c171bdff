package scenario

import (
	"embed"
	"fmt"
	"path"
	"sort"
	"strings"
)

//go:embed examples/*.yaml
var examples embed.FS

// DefaultExample is the scenario `onestop plan` runs without --scenario.
const DefaultExample = "demo-phase3"

// Examples lists the names of the shipped example scenarios.
func Examples() []string {
	ents, _ := examples.ReadDir("examples")
	var names []string
	for _, e := range ents {
		names = append(names, strings.TrimSuffix(e.Name(), ".yaml"))
	}
	sort.Strings(names)
	return names
}

// Example returns a shipped example scenario by name (e.g. "demo-phase3")
// and its YAML text.
func Example(name string) (*Scenario, []byte, error) {
	b, err := examples.ReadFile(path.Join("examples", name+".yaml"))
	if err != nil {
		return nil, nil, fmt.Errorf("no example scenario %q (examples: %s)", name, strings.Join(Examples(), ", "))
	}
	s, err := Parse(b, name)
	if err != nil {
		return nil, nil, err
	}
	s.Dir = "."
	return s, b, nil
}
