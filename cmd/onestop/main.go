// Command onestop plans the coverage of a network of one-stop public
// administration offices: validate data, measure coverage, optimise
// consolidation, check dossier load and write reports.
//
// Exit status: 0 success, 1 invalid data or a failed run, 2 usage error
// (including an --out that onestop may not replace), 3 internal error (a
// bug: a panic or a Go runtime crash, reported with a request to file it).
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/debug"
	"strings"
	"syscall"

	"github.com/onestop/onestop/coverage/route"
	"github.com/onestop/onestop/data"
	"github.com/onestop/onestop/internal/atomicfile"
	"github.com/onestop/onestop/reports"
	"github.com/spf13/cobra"
)

// Exit statuses.
const (
	exitOK       = 0
	exitFailed   = 1
	exitUsage    = 2
	exitInternal = 3
)

// bugReport ends the message of an internal error.
const bugReport = "this is a bug in onestop, not in your data: please report it with the command line and the output above"

// usageError marks errors in how the command was called (exit status 2).
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

func usagef(format string, a ...any) error { return usageError{fmt.Errorf(format, a...)} }

// options shared by every subcommand.
type globals struct {
	quiet bool
}

func main() {
	if code, supervised := supervise(); supervised {
		os.Exit(code)
	}
	tuneGC()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	go func() {
		// After the first Ctrl-C the run winds down and cleans its staging
		// files; a second one kills it at once.
		<-ctx.Done()
		stop()
	}()
	os.Exit(run(ctx, os.Args[1:], os.Stdout, os.Stderr))
}

// run executes one command line and returns the exit status.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) (code int) {
	defer func() {
		if r := recover(); r != nil {
			fmt.Fprintf(stderr, "onestop: internal error: %v\n%s\nonestop: %s\n", r, debug.Stack(), bugReport)
			code = exitInternal
		}
	}()
	root := newRoot()
	root.SetArgs(args)
	root.SetOut(stdout)
	root.SetErr(stderr)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return exitOK
	}
	fmt.Fprintln(stderr, "onestop:", err)
	var ue usageError
	var ve *data.ValidationError
	var no *atomicfile.NotOwnedError
	switch {
	case errors.As(err, &ue), strings.HasPrefix(err.Error(), "unknown command"):
		fmt.Fprintln(stderr, "run 'onestop --help' for usage")
		return exitUsage
	case errors.As(err, &no):
		return exitUsage
	case errors.As(err, &ve):
		return exitFailed
	}
	return exitFailed
}

// csvKey carries the --csv dialect to writeOutputs.
type csvKey struct{}

const (
	csvStandard = "standard"
	csvExcel    = "excel"
)

// commandKey carries the running command's path ("onestop plan") to the
// output marker.
type commandKey struct{}

func newRoot() *cobra.Command {
	g := &globals{}
	root := &cobra.Command{
		Use:           "onestop",
		Short:         "Service-coverage planner for networks of one-stop public administration offices",
		Version:       version(),
		SilenceUsage:  true,
		SilenceErrors: true,
		PersistentPreRunE: func(c *cobra.Command, args []string) error {
			ctx := context.WithValue(c.Context(), commandKey{}, c.CommandPath())
			if f := c.Flags().Lookup("csv"); f != nil {
				if v := f.Value.String(); v != csvStandard && v != csvExcel {
					return usagef("--csv %q: use %s or %s", v, csvStandard, csvExcel)
				}
				ctx = context.WithValue(ctx, csvKey{}, f.Value.String())
			}
			c.SetContext(ctx)
			return checkOut(c)
		},
	}
	root.SetVersionTemplate("onestop {{.Version}}\n")
	root.PersistentFlags().BoolVarP(&g.quiet, "quiet", "q", false, "no progress output on stderr")
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error { return usageError{err} })
	root.AddCommand(
		newValidateCmd(g),
		newDataCmd(g),
		newCoverageCmd(g),
		newGraphCmd(g),
		newOptimizeCmd(g),
		newSimulateCmd(g),
		newPlanCmd(g),
		newCompareCmd(g),
		newServeCmd(g),
		newVersionCmd(),
	)
	for _, c := range root.Commands() {
		switch c.Name() {
		case "coverage", "optimize", "simulate", "plan":
			c.Flags().String("csv", csvStandard, `CSV dialect: standard (UTF-8, ",", "." decimals) or excel (UTF-8 with BOM, ";", "," decimals, for Excel set to Vietnamese)`)
		}
	}
	annotateOutputs(root, map[string]string{
		"onestop coverage":     outDir,
		"onestop optimize":     outDir,
		"onestop simulate":     outDir,
		"onestop plan":         outDir,
		"onestop data demo":    outDir,
		"onestop graph export": route.EdgesHeader,
		"onestop compare":      reports.GeneratorTag,
	})
	return root
}

// annotateOutputs tells checkOut what each command's --out is.
func annotateOutputs(c *cobra.Command, kinds map[string]string) {
	if k, ok := kinds[c.CommandPath()]; ok {
		if c.Annotations == nil {
			c.Annotations = map[string]string{}
		}
		c.Annotations[outAnnotation] = k
	}
	for _, s := range c.Commands() {
		annotateOutputs(s, kinds)
	}
}

// argsExact is cobra.ExactArgs reporting a usage error.
func argsExact(n int) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if err := cobra.ExactArgs(n)(cmd, args); err != nil {
			return usageError{err}
		}
		return nil
	}
}
