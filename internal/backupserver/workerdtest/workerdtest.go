// Package workerdtest runs the built backup-server Worker (build/server, `make server`)
// under workerd, Cloudflare's Workers runtime from the npm package of that name, with an
// R2 binding whose storage is kept in memory by r2.js. Tests use it to drive the real
// Worker over HTTP on 127.0.0.1.
package workerdtest

import (
	"bytes"
	_ "embed"
	"errors"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"
)

//go:embed r2.js
var r2js []byte

// Options are the Worker's settings (its environment on Cloudflare).
type Options struct {
	Token          string
	MaxBytes       int64 // 0: the server's default
	Keep           int   // 0: keep everything
	AllowedOrigins string
}

// Worker is one workerd process serving the Worker.
type Worker struct {
	URL  string // http://127.0.0.1:PORT, no trailing slash
	Port int

	dir    string
	binary string
	mu     sync.Mutex
	cmd    *exec.Cmd
	exited chan struct{} // closed once cmd.Wait returned (Wait is called there only)
	log    *lockedBuffer
}

// lockedBuffer collects workerd's output; exec copies into it while tests may read it.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// Root finds the repository root (the directory holding go.mod) from the working
// directory.
func Root() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("workerdtest: no go.mod above the working directory")
		}
		dir = parent
	}
}

// Binary returns the workerd executable installed by npm (scripts/deps.sh).
func Binary(root string) (string, error) {
	// The native binary, not the node launcher in node_modules/.bin: one process less, and
	// CPU time read from /proc is the runtime's own.
	for _, p := range []string{
		"node_modules/@cloudflare/workerd-linux-64/bin/workerd",
		"node_modules/@cloudflare/workerd-linux-arm64/bin/workerd",
		"node_modules/.bin/workerd",
	} {
		if _, err := os.Stat(filepath.Join(root, p)); err == nil {
			return filepath.Join(root, p), nil
		}
	}
	return "", errors.New("workerdtest: workerd is not installed; run scripts/deps.sh")
}

// Start writes a workerd configuration in a new directory under tmp and starts workerd
// on a free port of 127.0.0.1, returning once it accepts connections.
func Start(tmp string, opts Options) (*Worker, error) {
	root, err := Root()
	if err != nil {
		return nil, err
	}
	bin, err := Binary(root)
	if err != nil {
		return nil, err
	}
	build := filepath.Join(root, "build", "server")
	dir, err := os.MkdirTemp(tmp, "workerd")
	if err != nil {
		return nil, err
	}
	for _, f := range []string{"worker.mjs", "runtime.mjs", "wasm_exec.js", "app.wasm"} {
		if _, err := os.Stat(filepath.Join(build, f)); err != nil {
			return nil, errors.New("workerdtest: " + filepath.Join(build, f) + " is missing; run make server")
		}
		if err := os.Symlink(filepath.Join(build, f), filepath.Join(dir, f)); err != nil {
			return nil, err
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "r2.js"), r2js, 0o644); err != nil {
		return nil, err
	}
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	if err := os.WriteFile(filepath.Join(dir, "config.capnp"), []byte(config(port, opts)), 0o644); err != nil {
		return nil, err
	}
	w := &Worker{URL: "http://127.0.0.1:" + strconv.Itoa(port), Port: port, dir: dir, binary: bin}
	return w, w.Restart()
}

// Restart starts workerd again after Stop, on the same port, with an empty store.
func (w *Worker) Restart() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.cmd != nil {
		return errors.New("workerdtest: already running")
	}
	w.log = &lockedBuffer{}
	cmd := exec.Command(w.binary, "serve", "config.capnp")
	cmd.Dir = w.dir
	cmd.Stdout = w.log
	cmd.Stderr = w.log
	if err := cmd.Start(); err != nil {
		return err
	}
	w.cmd = cmd
	exited := make(chan struct{})
	w.exited = exited
	go func() { cmd.Wait(); close(exited) }()
	deadline := time.Now().Add(30 * time.Second)
	for {
		c, err := net.DialTimeout("tcp", "127.0.0.1:"+strconv.Itoa(w.Port), 200*time.Millisecond)
		if err == nil {
			c.Close()
			return nil
		}
		select {
		case <-exited:
			w.cmd = nil
			return errors.New("workerdtest: workerd exited: " + w.log.String())
		case <-time.After(20 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			w.stopLocked()
			return errors.New("workerdtest: workerd did not listen within 30 s: " + w.log.String())
		}
	}
}

// Stop ends the workerd process (the server is then down until Restart).
func (w *Worker) Stop() {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.stopLocked()
}

func (w *Worker) stopLocked() {
	if w.cmd == nil {
		return
	}
	w.cmd.Process.Kill()
	<-w.exited
	w.cmd = nil
}

// Pid is the running workerd's process id (0 when stopped), for CPU accounting.
func (w *Worker) Pid() int {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.cmd == nil {
		return 0
	}
	return w.cmd.Process.Pid
}

// Log is what workerd printed so far.
func (w *Worker) Log() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.log == nil {
		return ""
	}
	return w.log.String()
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

func config(port int, o Options) string {
	text := func(name, value string) string {
		return `    (name = "` + name + `", text = ` + strconv.Quote(value) + "),\n"
	}
	var b strings.Builder
	b.WriteString(`using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [
    (name = "main", worker = .server),
    (name = "r2", worker = .r2),
  ],
  sockets = [(name = "http", address = "127.0.0.1:` + strconv.Itoa(port) + `", http = (), service = "main")],
);

const r2 :Workerd.Worker = (
  modules = [(name = "r2.js", esModule = embed "r2.js")],
  compatibilityDate = "2025-10-01",
);

const server :Workerd.Worker = (
  modules = [
    (name = "worker.mjs", esModule = embed "worker.mjs"),
    (name = "runtime.mjs", esModule = embed "runtime.mjs"),
    (name = "wasm_exec.js", esModule = embed "wasm_exec.js"),
    (name = "app.wasm", wasm = embed "app.wasm"),
  ],
  compatibilityDate = "2025-10-01",
  bindings = [
    (name = "BACKUPS", r2Bucket = "r2"),
`)
	if o.Token != "" {
		b.WriteString(text("TOKEN", o.Token))
	}
	if o.MaxBytes > 0 {
		b.WriteString(text("MAX_BYTES", strconv.FormatInt(o.MaxBytes, 10)))
	}
	if o.Keep > 0 {
		b.WriteString(text("KEEP", strconv.Itoa(o.Keep)))
	}
	if o.AllowedOrigins != "" {
		b.WriteString(text("ALLOWED_ORIGINS", o.AllowedOrigins))
	}
	b.WriteString("  ],\n);\n")
	return b.String()
}
