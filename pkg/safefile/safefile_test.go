package safefile

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"syscall"
	"testing"
	"time"
)

func TestWriteFileAtomicMode(t *testing.T) {
	for _, umask := range []int{0, 0o077, 0o022} {
		dir := t.TempDir()
		path := filepath.Join(dir, "server.key")
		old := syscall.Umask(umask)
		err := WriteFileAtomic(path, []byte("secret"), PrivateMode, false)
		syscall.Umask(old)
		if err != nil {
			t.Fatal(err)
		}
		fi, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode().Perm() != 0o400 {
			t.Errorf("umask %04o: mode %04o, want 0400", umask, fi.Mode().Perm())
		}
		assertDirHolds(t, dir, "server.key")
	}
}

func TestWriteFileAtomicRefusesExisting(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "server.key")
	original := []byte("original contents\n")
	if err := os.WriteFile(path, original, 0o644); err != nil {
		t.Fatal(err)
	}
	err := WriteFileAtomic(path, []byte("new"), PrivateMode, false)
	if !errors.Is(err, ErrExists) {
		t.Fatalf("error = %v, want ErrExists", err)
	}
	assertContents(t, path, original, 0o644)
	assertDirHolds(t, dir, "server.key")
}

// The link step alone must refuse an existing file, for when it appears after
// the early check: with and without O_TMPFILE.
func TestCreateRefusesExisting(t *testing.T) {
	for name, create := range map[string]func(string, []byte, os.FileMode) error{
		"anonymous": createFile, "named": createNamed,
	} {
		dir := t.TempDir()
		path := filepath.Join(dir, "server.key")
		original := []byte("original")
		if err := os.WriteFile(path, original, 0o600); err != nil {
			t.Fatal(err)
		}
		if err := create(path, []byte("new"), PrivateMode); !errors.Is(err, ErrExists) {
			t.Fatalf("%s: error = %v, want ErrExists", name, err)
		}
		assertContents(t, path, original, 0o600)
		assertDirHolds(t, dir, "server.key")
	}
}

// The fallback without O_TMPFILE writes the same file and leaves no temp file.
func TestCreateNamed(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "server.key")
	if err := createNamed(path, []byte("secret"), PrivateMode); err != nil {
		t.Fatal(err)
	}
	assertContents(t, path, []byte("secret"), 0o400)
	assertDirHolds(t, dir, "server.key")
}

func TestWriteFileAtomicOverwrite(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "server.key")
	if err := os.WriteFile(path, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := WriteFileAtomic(path, []byte("new"), PrivateMode, true); err != nil {
		t.Fatal(err)
	}
	assertContents(t, path, []byte("new"), 0o400)
	assertDirHolds(t, dir, "server.key")
}

func TestWriteFileAtomicFailures(t *testing.T) {
	dir := t.TempDir()
	readOnly := filepath.Join(dir, "ro")
	if err := os.Mkdir(readOnly, 0o500); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name      string
		path      string
		overwrite bool
		want      error
	}{
		{"missing directory", filepath.Join(dir, "nope", "server.key"), false, fs.ErrNotExist},
		{"read-only directory", filepath.Join(readOnly, "server.key"), false, fs.ErrPermission},
		{"target is a directory", readOnly, false, syscall.EISDIR},
		{"overwrite a directory", readOnly, true, syscall.EISDIR},
		{"empty name", "", true, fs.ErrInvalid},
	}
	if os.Geteuid() == 0 {
		tests = slices.Delete(tests, 1, 2) // root writes anywhere
	}
	for _, tt := range tests {
		err := WriteFileAtomic(tt.path, []byte("x"), PrivateMode, tt.overwrite)
		if !errors.Is(err, tt.want) {
			t.Errorf("%s: error = %v, want %v", tt.name, err, tt.want)
		}
		var pe *fs.PathError
		if errors.As(err, &pe) && pe.Path != tt.path {
			t.Errorf("%s: error names %q, want %q", tt.name, pe.Path, tt.path)
		}
	}
	assertDirHolds(t, dir, "ro")
	assertDirHolds(t, readOnly)
}

// A directory that appears after the check makes the rename fail after the
// temp file is written: the temp file must go.
func TestWriteFileAtomicCleansUpAfterLateFailure(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(dir, "server.key")
	if err := os.Mkdir(target, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(target, "inside"), nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := writeInPlace(target, []byte("x"), PrivateMode, true); err == nil {
		t.Fatal("overwriting a non-empty directory succeeded")
	}
	assertDirHolds(t, dir, "server.key")
}

func assertContents(t *testing.T, path string, want []byte, mode os.FileMode) {
	t.Helper()
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) || fi.Mode().Perm() != mode {
		t.Errorf("%s = %q mode %04o, want %q mode %04o", path, got, fi.Mode().Perm(), want, mode)
	}
}

// assertDirHolds checks that dir holds exactly names: no temp file left over.
func assertDirHolds(t *testing.T, dir string, names ...string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range entries {
		got = append(got, e.Name())
	}
	if !slices.Equal(got, names) {
		t.Errorf("%s holds %q, want %q", dir, got, names)
	}
}

// On Linux a new file has no name until it is complete: the write goes
// through O_TMPFILE, not a named temp file.
func TestCreateFileIsAnonymousOnLinux(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("O_TMPFILE is Linux only")
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "server.key")
	if err := createAnonymous(path, []byte("secret"), PrivateMode); err != nil {
		t.Fatalf("O_TMPFILE write: %v", err)
	}
	assertContents(t, path, []byte("secret"), 0o400)
}

// A temp file left by a killed run (dead PID) is removed by the next write;
// one of a live process, or not of the pattern, is left alone.
func TestWriteFileAtomicRemovesStaleTemps(t *testing.T) {
	dir := t.TempDir()
	dead := deadPID(t)
	stale := fmt.Sprintf(".ca.key.tmp-%d-0123456789abcdef", dead)
	live := fmt.Sprintf(".server.key.tmp-%d-0123456789abcdef", os.Getppid())
	foreign := ".ca.key.tmp-123456" // os.CreateTemp's pattern: no PID to judge
	for _, n := range []string{stale, live, foreign} {
		if err := os.WriteFile(filepath.Join(dir, n), []byte("key"), 0o400); err != nil {
			t.Fatal(err)
		}
	}
	if err := WriteFileAtomic(filepath.Join(dir, "server.crt"), []byte("crt"), 0o644, false); err != nil {
		t.Fatal(err)
	}
	assertDirHolds(t, dir, foreign, live, "server.crt")
}

// deadPID returns the PID of a process that has exited.
func deadPID(t *testing.T) int {
	t.Helper()
	cmd := exec.Command("true")
	if err := cmd.Run(); err != nil {
		t.Fatal(err)
	}
	return cmd.Process.Pid
}

// --force replaces regular files only: a FIFO, a symlink or a device is
// refused, whether found by the early check or at the rename.
func TestOverwriteRefusesSpecialFiles(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "link")
	if err := os.Symlink("target", link); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{fifo, link, "/dev/null"} {
		if err := CheckOutputPath(path, true); !errors.Is(err, ErrNotRegular) {
			t.Errorf("CheckOutputPath(%s) = %v, want ErrNotRegular", path, err)
		}
	}
	for _, path := range []string{fifo, link} {
		if err := writeInPlace(path, []byte("x"), 0o644, true); !errors.Is(err, ErrNotRegular) {
			t.Errorf("writeInPlace(%s) = %v, want ErrNotRegular", path, err)
		}
	}
	assertDirHolds(t, dir, "fifo", "link")
	if fi, err := os.Lstat("/dev/null"); err != nil || fi.Mode()&fs.ModeCharDevice == 0 {
		t.Errorf("/dev/null is no longer a device: %v %v", fi, err)
	}
}

func TestCheckWritable(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "file")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	readOnly := filepath.Join(dir, "ro")
	if err := os.Mkdir(readOnly, 0o500); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		path string
		want error
	}{
		{filepath.Join(dir, "missing", "k.key"), fs.ErrNotExist},
		{filepath.Join(file, "k.key"), syscall.ENOTDIR},
		{filepath.Join(readOnly, "k.key"), fs.ErrPermission},
	}
	if os.Geteuid() == 0 {
		tests = tests[:2] // root writes anywhere
	}
	for _, tt := range tests {
		for _, force := range []bool{false, true} {
			if err := CheckWritable(tt.path, force); !errors.Is(err, tt.want) {
				t.Errorf("CheckWritable(%s, %v) = %v, want %v", tt.path, force, err, tt.want)
			}
		}
	}
}

// Inputs: a FIFO with no writer reads as empty at once (no hang), a pipe with
// a writer is read to its end, devices, sockets and directories are refused.
func TestOpenInputs(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	data, err := ReadFile(fifo, 1<<10, "a test")
	if err != nil || len(data) != 0 {
		t.Errorf("FIFO with no writer: %q, %v; want empty", data, err)
	}
	sock := filepath.Join(dir, "sock")
	l, err := net.Listen("unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	for path, want := range map[string]error{"/dev/null": ErrNotRegular, "/dev/zero": ErrNotRegular,
		sock: ErrNotRegular, dir: syscall.EISDIR} {
		if _, err := ReadFile(path, 1<<10, "a test"); !errors.Is(err, want) {
			t.Errorf("ReadFile(%s) = %v, want %v", path, err, want)
		}
	}
}

func TestOpenPipeWithWriter(t *testing.T) {
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	go func() {
		time.Sleep(50 * time.Millisecond) // the reader waits for data, it does not see EOF
		w.Write([]byte("late data"))
		w.Close()
	}()
	data, err := ReadFile(fmt.Sprintf("/proc/self/fd/%d", r.Fd()), 1<<10, "a test")
	if err != nil || string(data) != "late data" {
		t.Errorf("pipe: %q, %v; want %q", data, err, "late data")
	}
}

func TestMkdirAllUndo(t *testing.T) {
	dir := t.TempDir()
	undo, err := MkdirAll(filepath.Join(dir, "a", "b", "c"), 0o700)
	if err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(filepath.Join(dir, "a", "b", "c")); err != nil || !fi.IsDir() {
		t.Fatalf("not made: %v", err)
	}
	undo()
	assertDirHolds(t, dir)

	undo, err = MkdirAll(filepath.Join(dir, "a", "b"), 0o700)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "a", "kept"), nil, 0o600); err != nil {
		t.Fatal(err)
	}
	undo() // a holds a file: only b goes
	assertDirHolds(t, filepath.Join(dir, "a"), "kept")
}

func TestCheckDirUsable(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "file")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	readOnly := filepath.Join(dir, "ro")
	if err := os.Mkdir(readOnly, 0o500); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		dir  string
		want error
	}{
		{dir, nil},
		{filepath.Join(dir, "new", "deeper"), nil},
		{file, syscall.ENOTDIR},
		{filepath.Join(file, "pki"), syscall.ENOTDIR},
		{filepath.Join(readOnly, "pki"), fs.ErrPermission},
	}
	if os.Geteuid() == 0 {
		tests = tests[:4] // root writes anywhere
	}
	for _, tt := range tests {
		if err := CheckDirUsable(tt.dir); !errors.Is(err, tt.want) || (err == nil) != (tt.want == nil) {
			t.Errorf("CheckDirUsable(%s) = %v, want %v", tt.dir, err, tt.want)
		}
	}
	assertDirHolds(t, dir, "file", "ro")
}
