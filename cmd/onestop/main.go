// Command onestop plans the coverage of a network of one-stop public
// administration offices: validate data, measure coverage, optimise
// consolidation, check dossier load and write reports.
//
// Exit status: 0 success, 1 invalid data or a failed run, 2 usage error.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/onestop/onestop/data"
	"github.com/spf13/cobra"
)

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
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdout, os.Stderr))
}

// run executes one command line and returns the exit status.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	root := newRoot()
	root.SetArgs(args)
	root.SetOut(stdout)
	root.SetErr(stderr)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return 0
	}
	fmt.Fprintln(stderr, "onestop:", err)
	var ue usageError
	var ve *data.ValidationError
	switch {
	case errors.As(err, &ue), strings.HasPrefix(err.Error(), "unknown command"):
		fmt.Fprintln(stderr, "run 'onestop --help' for usage")
		return 2
	case errors.As(err, &ve):
		return 1
	}
	return 1
}

func newRoot() *cobra.Command {
	g := &globals{}
	root := &cobra.Command{
		Use:           "onestop",
		Short:         "Service-coverage planner for networks of one-stop public administration offices",
		SilenceUsage:  true,
		SilenceErrors: true,
	}
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
	)
	return root
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
