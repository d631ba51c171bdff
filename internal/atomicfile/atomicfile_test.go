package atomicfile

import (
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"testing"
	"time"
)

var stamp = Stamp{Command: "test", Version: "v0", Time: time.Unix(0, 0).UTC()}

func TestWriteLeavesOldFileOnError(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "out.csv")
	if err := WriteFile(p, []byte("old")); err != nil {
		t.Fatal(err)
	}
	boom := errors.New("disk full")
	err := Write(p, func(w io.Writer) error {
		io.WriteString(w, "half a fi")
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("error %v does not wrap the writer's", err)
	}
	if b, _ := os.ReadFile(p); string(b) != "old" {
		t.Fatalf("file is %q after a failed write", b)
	}
	if names := list(t, dir); len(names) != 1 {
		t.Fatalf("temporary file left behind: %v", names)
	}
}

func TestDirCommitAndAbort(t *testing.T) {
	parent := t.TempDir()
	target := filepath.Join(parent, "run")
	d, err := NewDir(target, stamp)
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(d.Path("old.txt"), []byte("old"), 0o644)
	if err := d.Commit(); err != nil {
		t.Fatal(err)
	}

	d, err = NewDir(target, stamp)
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(d.Path("new.txt"), []byte("new"), 0o644)
	d.Abort()
	if _, err := os.Stat(filepath.Join(target, "old.txt")); err != nil {
		t.Fatal("abort touched the target")
	}

	d, err = NewDir(target, stamp)
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(d.Path("new.txt"), []byte("new"), 0o644)
	if err := d.Commit(); err != nil {
		t.Fatal(err)
	}
	d.Abort() // safe after Commit
	if _, err := os.Stat(filepath.Join(target, "old.txt")); !os.IsNotExist(err) {
		t.Error("old content survived the commit")
	}
	if b, _ := os.ReadFile(filepath.Join(target, "new.txt")); string(b) != "new" {
		t.Errorf("new.txt = %q", b)
	}
	m, _ := os.ReadFile(filepath.Join(target, Marker))
	if !strings.Contains(string(m), `"tool": "onestop"`) || !strings.Contains(string(m), `"command": "test"`) {
		t.Errorf("marker = %s", m)
	}
	if fi, _ := os.Stat(target); fi.Mode().Perm() != 0o755 {
		t.Errorf("output directory mode %v, want 0755", fi.Mode().Perm())
	}
	if names := list(t, parent); len(names) != 1 {
		t.Errorf("staging leftovers beside the target: %v", names)
	}
}

// Whatever the user has at --out that onestop did not write is refused
// before anything is staged, and every byte of it stays.
func TestNewDirRefusesWhatItDoesNotOwn(t *testing.T) {
	parent := t.TempDir()
	foreign := filepath.Join(parent, "thesis")
	os.Mkdir(foreign, 0o755)
	os.WriteFile(filepath.Join(foreign, "thesis.txt"), []byte("x"), 0o644)
	file := filepath.Join(parent, "notes.txt")
	os.WriteFile(file, []byte("notes"), 0o644)
	linkDir := filepath.Join(parent, "link-to-thesis")
	os.Symlink(foreign, linkDir)
	linkDev := filepath.Join(parent, "link-to-null")
	os.Symlink("/dev/null", linkDev)
	dangling := filepath.Join(parent, "dangling")
	os.Symlink(filepath.Join(parent, "nowhere", "x"), dangling)

	for _, c := range []struct{ target, reason string }{
		{foreign, "thesis.txt"},
		{file, "a file"},
		{"/dev/null", "a device"},
		{linkDir, "thesis.txt"},
		{linkDev, "a device"},
		{dangling, "symbolic link"},
		{"/", "root"},
	} {
		_, err := NewDir(c.target, stamp)
		var no *NotOwnedError
		if !errors.As(err, &no) || !strings.Contains(err.Error(), c.reason) || !strings.Contains(err.Error(), c.target) {
			t.Errorf("NewDir(%s) = %v, want a refusal naming it and %q", c.target, err, c.reason)
		}
	}
	if b, _ := os.ReadFile(filepath.Join(foreign, "thesis.txt")); string(b) != "x" {
		t.Error("thesis.txt changed")
	}
	if b, _ := os.ReadFile(file); string(b) != "notes" {
		t.Error("notes.txt changed")
	}
	if fi, err := os.Stat("/dev/null"); err != nil || fi.Mode()&os.ModeCharDevice == 0 {
		t.Error("/dev/null is no longer a device")
	}
	want := []string{"dangling", "link-to-null", "link-to-thesis", "notes.txt", "thesis"}
	if got := list(t, parent); strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("entries after refusals %v, want %v", got, want)
	}
}

// An empty directory, a marked one and a link to a marked one are replaced;
// the link still points at the new output.
func TestNewDirReplacesEmptyMarkedAndLinked(t *testing.T) {
	parent := t.TempDir()
	empty := filepath.Join(parent, "empty")
	os.Mkdir(empty, 0o755)
	commit(t, empty, "a")
	commit(t, empty, "b") // marked now
	link := filepath.Join(parent, "link")
	os.Symlink(empty, link)
	commit(t, link, "c")
	if b, _ := os.ReadFile(filepath.Join(link, "content")); string(b) != "c" {
		t.Errorf("through the link: %q", b)
	}
	if fi, _ := os.Lstat(link); fi.Mode()&os.ModeSymlink == 0 {
		t.Error("the link was replaced by a directory")
	}
}

func TestCheckFile(t *testing.T) {
	dir := t.TempDir()
	ours := filepath.Join(dir, "edges.csv")
	os.WriteFile(ours, []byte("from,to,seconds\n1,2,3\n"), 0o644)
	theirs := filepath.Join(dir, "budget.csv")
	os.WriteFile(theirs, []byte("year,amount\n"), 0o644)
	sig := []byte("from,to,seconds")
	if _, err := CheckFile(ours, sig); err != nil {
		t.Errorf("own file refused: %v", err)
	}
	if _, err := CheckFile(filepath.Join(dir, "new.csv"), sig); err != nil {
		t.Errorf("new file refused: %v", err)
	}
	for _, p := range []string{theirs, dir, "/dev/null"} {
		var no *NotOwnedError
		if _, err := CheckFile(p, sig); !errors.As(err, &no) {
			t.Errorf("CheckFile(%s) = %v, want a refusal", p, err)
		}
	}
}

// A SIGKILL at any step of the commit leaves at the target the old or the
// new output, complete; the next run recovers and cleans what was left.
func TestKillDuringCommit(t *testing.T) {
	if os.Getenv("ATOMICFILE_KILL_AT") != "" {
		return // the child's side runs in TestMain
	}
	for _, mode := range []string{"exchange", "renames"} {
		steps := []string{"fill", "marked", "exchanged"}
		if mode == "renames" {
			steps = []string{"fill", "marked", "moved-old", "moved-new"}
		}
		for _, step := range steps {
			t.Run(mode+"/"+step, func(t *testing.T) {
				parent := t.TempDir()
				if mode == "exchange" && !canExchange(t, parent) {
					t.Skip("this file system has no RENAME_EXCHANGE; the two-rename commit is tested below")
				}
				target := filepath.Join(parent, "run")
				commit(t, target, "old")
				cmd := exec.Command(os.Args[0], "-test.run=^$")
				cmd.Env = append(os.Environ(), "ATOMICFILE_KILL_AT="+step, "ATOMICFILE_TARGET="+target, "ATOMICFILE_MODE="+mode)
				err := cmd.Run()
				var ee *exec.ExitError
				if !errors.As(err, &ee) || ee.Sys().(syscall.WaitStatus).Signal() != syscall.SIGKILL {
					t.Fatalf("child was not killed: %v", err)
				}
				got := content(target)
				if got != "old" && got != "new" && !(mode == "renames" && step == "moved-old") {
					t.Fatalf("after a kill at %s the target holds %q", step, got)
				}
				// The next run recovers: the target is whole again before it writes.
				d, err := NewDir(target, stamp)
				if err != nil {
					t.Fatal(err)
				}
				if got := content(target); got != "old" && got != "new" {
					t.Fatalf("after recovery the target holds %q", got)
				}
				os.WriteFile(d.Path("content"), []byte("next"), 0o644)
				if err := d.Commit(); err != nil {
					t.Fatal(err)
				}
				if got := content(target); got != "next" {
					t.Fatalf("next run wrote %q", got)
				}
				if names := list(t, parent); len(names) != 1 {
					t.Fatalf("leftovers after the next run: %v", names)
				}
			})
		}
	}
}

func TestMain(m *testing.M) {
	if step := os.Getenv("ATOMICFILE_KILL_AT"); step != "" {
		d, err := NewDir(os.Getenv("ATOMICFILE_TARGET"), stamp)
		if err != nil {
			os.Exit(3)
		}
		d.noExchange = os.Getenv("ATOMICFILE_MODE") == "renames"
		d.step = func(s string) {
			if s == step {
				syscall.Kill(os.Getpid(), syscall.SIGKILL)
				time.Sleep(time.Minute)
			}
		}
		os.WriteFile(d.Path("content"), []byte("new"), 0o644)
		d.at("fill")
		d.Commit()
		os.Exit(4)
	}
	os.Exit(m.Run())
}

func canExchange(t *testing.T, dir string) bool {
	a, b := filepath.Join(dir, "a"), filepath.Join(dir, "b")
	os.Mkdir(a, 0o755)
	os.Mkdir(b, 0o755)
	defer os.Remove(a)
	defer os.Remove(b)
	return exchange(a, b) != errNoExchange
}

func commit(t *testing.T, target, text string) {
	t.Helper()
	d, err := NewDir(target, stamp)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Abort()
	if err := os.WriteFile(d.Path("content"), []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := d.Commit(); err != nil {
		t.Fatal(err)
	}
}

func content(dir string) string {
	b, err := os.ReadFile(filepath.Join(dir, "content"))
	if err != nil {
		return "<" + err.Error() + ">"
	}
	return string(b)
}

func list(t *testing.T, dir string) []string {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range ents {
		names = append(names, e.Name())
	}
	sort.Strings(names)
	return names
}

// ReplaceFile refuses a file it did not write, and clears what a killed
// earlier write of the same file left beside it.
func TestReplaceFile(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "edges.csv")
	stale := filepath.Join(dir, ".edges.csv.onestop-999999999-1.tmp") // no such process
	os.WriteFile(stale, []byte("half"), 0o644)
	write := func(s string) error {
		return ReplaceFile(p, []byte("from,to"), func(w io.Writer) error { _, err := io.WriteString(w, s); return err })
	}
	if err := write("from,to\n1,2\n"); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(stale); !os.IsNotExist(err) {
		t.Error("the killed write's temporary file is still there")
	}
	os.WriteFile(p, []byte("mine"), 0o644)
	var no *NotOwnedError
	if err := write("from,to\n"); !errors.As(err, &no) {
		t.Fatalf("replacing a foreign file: %v", err)
	}
	if b, _ := os.ReadFile(p); string(b) != "mine" {
		t.Errorf("foreign file now %q", b)
	}
}
