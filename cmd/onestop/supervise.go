package main

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"runtime"
	"runtime/debug"
	"syscall"
)

// envSupervised marks the child process of supervise; setting it to any
// value also turns supervision off (for debuggers and profilers).
const envSupervised = "ONESTOP_SUPERVISED"

// childMark is envSupervised's value in the child: file descriptor 3 is the
// crash pipe. Any other value only turns supervision off.
const childMark = "child:fd3"

// supervise runs onestop as a child of itself so that a crash Go cannot
// recover from (a panic in a worker goroutine, running out of memory), which
// the runtime reports with exit status 2, is reported as an internal error
// (exit 3) instead of looking like a usage error. The child writes such a
// crash to an extra pipe (debug.SetCrashOutput) as well as to stderr; the
// parent only waits, forwards signals and reads that pipe.
// It returns supervised=false in the child, or when the child cannot start.
func supervise() (code int, supervised bool) {
	if v := os.Getenv(envSupervised); v != "" {
		if v != childMark {
			return 0, false
		}
		os.Unsetenv(envSupervised)
		if f := os.NewFile(3, "crash"); f != nil {
			debug.SetCrashOutput(f, debug.CrashOptions{})
			f.Close()
		}
		return 0, false
	}
	exe, err := os.Executable()
	if err != nil {
		return 0, false
	}
	r, w, err := os.Pipe()
	if err != nil {
		return 0, false
	}
	// Pdeathsig belongs to the thread that started the child: keep main on it.
	runtime.LockOSThread()
	cmd := exec.Command(exe, os.Args[1:]...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	cmd.Env = append(os.Environ(), envSupervised+"="+childMark)
	cmd.ExtraFiles = []*os.File{w}
	// The child gets a process group of its own, so a terminal's Ctrl-C
	// reaches only the parent, which passes every signal on exactly once
	// (the child treats a second interrupt as "stop now").
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGTERM, Setpgid: true}
	sigs := make(chan os.Signal, 4)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM, syscall.SIGHUP, syscall.SIGQUIT)
	if err := cmd.Start(); err != nil {
		signal.Stop(sigs)
		r.Close()
		w.Close()
		return 0, false
	}
	w.Close()
	crashed := make(chan bool, 1)
	go func() {
		buf := make([]byte, 1)
		n, _ := r.Read(buf)
		crashed <- n > 0
		// Drain so the child never blocks on a full pipe while it dies.
		for {
			if _, err := r.Read(buf); err != nil {
				return
			}
		}
	}()
	go func() {
		for s := range sigs {
			cmd.Process.Signal(s)
		}
	}()
	err = cmd.Wait()
	signal.Stop(sigs)
	if err == nil {
		return exitOK, true
	}
	var ee *exec.ExitError
	if !errors.As(err, &ee) {
		fmt.Fprintf(os.Stderr, "onestop: %v\nonestop: %s\n", err, bugReport)
		return exitInternal, true
	}
	if <-crashed {
		fmt.Fprintf(os.Stderr, "onestop: internal error: the program crashed (see the trace above)\nonestop: %s\n", bugReport)
		return exitInternal, true
	}
	if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		return 128 + int(ws.Signal()), true
	}
	return ee.ExitCode(), true
}
