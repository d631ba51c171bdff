package main

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/spf13/cobra"
)

var update = flag.Bool("update", false, "rewrite docs/cli.md from the command tree")

// cliDoc renders every command's help as Markdown, so docs/cli.md lists
// every command and flag exactly as the binary accepts them.
func cliDoc() string {
	var b strings.Builder
	b.WriteString("# onestop command reference\n\n")
	b.WriteString("Generated from the command tree (`go test ./cmd/onestop -run TestCLIDoc -update`); a test fails when it is stale.\n")
	b.WriteString("Exit status of every command: 0 success, 1 invalid data or a failed run, 2 usage error (a bad flag or value, or an --out onestop may not replace), 3 internal error (a bug in onestop: please report it).\n")
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		if c.Hidden || c.Name() == "help" || c.Name() == "completion" {
			return
		}
		if c.Runnable() {
			b.WriteString("\n## " + c.CommandPath() + "\n\n")
			desc := c.Long
			if desc == "" {
				desc = c.Short
			}
			b.WriteString(desc + "\n\n```\n")
			c.InitDefaultHelpFlag()
			b.WriteString(strings.TrimRight(c.UsageString(), "\n") + "\n```\n")
		}
		for _, s := range c.Commands() {
			walk(s)
		}
	}
	root := newRoot()
	root.InitDefaultHelpCmd()
	walk(root)
	return b.String()
}

func TestCLIDocUpToDate(t *testing.T) {
	path := filepath.Join(repoRoot(t), "docs", "cli.md")
	want := cliDoc()
	if *update {
		if err := os.WriteFile(path, []byte(want), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != want {
		t.Fatal("docs/cli.md is stale: run go test ./cmd/onestop -run TestCLIDoc -update")
	}
}
