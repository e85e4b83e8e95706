package backupserver_test

import (
	"bytes"
	"compress/gzip"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"codeward.dev/internal/backupserver/workerdtest"
)

// TestBenchWorkerd prints figures for docs/benchmarks.md (`make bench`); it asserts
// nothing about time. CPU time is workerd's own (user + system, from /proc), divided by
// the number of requests, for its main thread (which runs the isolate) and for the whole
// process. Both include the runtime's HTTP work and the in-memory R2 stand-in, so they are
// upper bounds for what Cloudflare would count against the Worker.
func TestBenchWorkerd(t *testing.T) {
	if os.Getenv("CODEWARD_BENCH") == "" {
		t.Skip("set CODEWARD_BENCH=1 (make bench)")
	}
	root, err := workerdtest.Root()
	if err != nil {
		t.Fatal(err)
	}
	wasm, err := os.ReadFile(filepath.Join(root, "build/server/app.wasm"))
	if err != nil {
		t.Fatal(err)
	}
	var gz bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&gz, gzip.BestCompression)
	zw.Write(wasm)
	zw.Close()
	t.Logf("worker wasm: %.2f MB raw, %.2f MB gzip -9 (Cloudflare's limits: 3 MB gzip on Free, 10 MB on Paid)", mb(len(wasm)), mb(gz.Len()))

	start := time.Now()
	w, err := workerdtest.Start(t.TempDir(), workerdtest.Options{Token: checkToken})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Stop()
	listen := time.Since(start)
	c := client{t: t, base: w.URL, token: checkToken}
	first := time.Now()
	if r := c.do("GET", "/backups", nil); r.status != 200 {
		t.Fatalf("first request: %d %s", r.status, r.body)
	}
	t.Logf("cold start under workerd: %v to listen, first request %v", listen.Round(time.Millisecond), time.Since(first).Round(time.Millisecond))

	const n = 40
	backup := fakeBackup("bench", 200_000)
	measure := func(what string, do func(i int)) {
		cpu0, main0 := cpuTime(t, w.Pid(), ""), cpuTime(t, w.Pid(), "task/"+strconv.Itoa(w.Pid())+"/")
		var lat []time.Duration
		for i := 0; i < n; i++ {
			t0 := time.Now()
			do(i)
			lat = append(lat, time.Since(t0))
		}
		cpu := cpuTime(t, w.Pid(), "") - cpu0
		main := cpuTime(t, w.Pid(), "task/"+strconv.Itoa(w.Pid())+"/") - main0
		sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
		perReq := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 / n }
		t.Logf("%-20s CPU per request: %5.1f ms on the isolate's thread, %5.1f ms whole process (over %d); wall median %v, min %v", what,
			perReq(main), perReq(cpu), n, lat[n/2].Round(100*time.Microsecond), lat[0].Round(100*time.Microsecond))
	}
	measure("PUT 200 KB backup", func(i int) {
		if r := c.do("PUT", "/backups/bench-"+strconv.Itoa(i)+".json", bytes.NewReader(backup), "If-None-Match", "*"); r.status != 201 {
			t.Fatalf("PUT: %d %s", r.status, r.body)
		}
	})
	measure("GET 200 KB backup", func(i int) {
		if r := c.do("GET", "/backups/bench-"+strconv.Itoa(i)+".json", nil); r.status != 200 || len(r.body) != len(backup) {
			t.Fatalf("GET: %d", r.status)
		}
	})
	measure("GET /backups (40)", func(int) { c.list() })
	measure("401 wrong token", func(int) {
		if r := c.with("nope").do("GET", "/backups", nil); r.status != http.StatusUnauthorized {
			t.Fatalf("wrong token: %d", r.status)
		}
	})
}

func mb(n int) float64 { return float64(n) / 1e6 }

// cpuTime is the user + system CPU time from /proc/PID/{sub}stat: the whole process, or
// with sub "task/PID/" its main thread, where workerd runs the isolate (compilers and the
// garbage collector's helpers run on other threads).
func cpuTime(t *testing.T, pid int, sub string) time.Duration {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/" + sub + "stat")
	if err != nil {
		t.Skipf("no /proc: %v", err)
	}
	// Fields after the command name (which is in parentheses and may hold spaces).
	f := strings.Fields(string(b[bytes.LastIndexByte(b, ')')+2:]))
	utime, _ := strconv.ParseInt(f[11], 10, 64)
	stime, _ := strconv.ParseInt(f[12], 10, 64)
	const ticks = 100 // USER_HZ on Linux
	return time.Duration(utime+stime) * time.Second / ticks
}
