package e2e

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

// TestBenchCoreStart measures what the size of codeward.wasm costs a worker start: the
// worker stopped, then the first message that needs the core answered
// (backup.judgePassword: fetch, compile and start codeward.wasm, then one cheap call; the
// View lets vault.state answer without the core, so TestBenchExtension's cold start no
// longer shows it). Beside the wall time, the CPU time of the new worker thread and of the
// whole extension process (all threads: V8 compiles WASM on background threads).
//
// CODEWARD_BENCH_CORES=DIR,DIR,... compares several builds of codeward.wasm (each DIR holds
// one), each in its own browser, in alternating rounds so that they share the machine's
// load; without it the core in build/ is measured. CODEWARD_BENCH_OPENS rounds (15).
//
//	CODEWARD_E2E=1 CODEWARD_BENCH=1 go test -run '^TestBenchCoreStart$' -v ./e2e
func TestBenchCoreStart(t *testing.T) {
	requireBench(t)
	dirs := []string{filepath.Join(RepoRoot(t), "build")}
	if s := os.Getenv("CODEWARD_BENCH_CORES"); s != "" {
		dirs = strings.Split(s, ",")
	}
	rounds := benchEnvInt("CODEWARD_BENCH_OPENS", 15)
	type variant struct {
		dir              string
		size             int64
		tab              *Page
		b                *Browser
		wall, cpu, procs []float64
	}
	var vs []*variant
	for _, dir := range dirs {
		st, err := os.Stat(filepath.Join(dir, "codeward.wasm"))
		if err != nil {
			t.Fatal(err)
		}
		ext := CopyExtension(t, nil)
		if err := copyFile(filepath.Join(dir, "codeward.wasm"), filepath.Join(ext, "build", "codeward.wasm")); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(ext, filepath.FromSlash(emptyPagePath)), []byte(emptyPage), 0o644); err != nil {
			t.Fatal(err)
		}
		b := StartBrowser(t, BrowserOptions{ExtDir: ext})
		p := b.OpenPopup()
		p.CreateVault(password)
		p.Close()
		tab := b.Open(b.URL(emptyPagePath))
		vs = append(vs, &variant{dir: dir, size: st.Size(), tab: tab, b: b})
	}
	for range rounds {
		for _, v := range vs {
			v.b.StopServiceWorker()
			proc0 := extensionProcessCPU(v.b)
			v.wall = append(v.wall, Eval[float64](v.tab, `(async () => {
				const t0 = performance.now();
				const r = await chrome.runtime.sendMessage({kind: "backup.judgePassword", payload: {password: "correct horse battery staple"}});
				if (!r.ok) throw new Error("backup.judgePassword: " + JSON.stringify(r.error));
				return performance.now() - t0;
			})()`))
			if cpu, tids := workerThreadCPU(t, v.b); len(tids) == 1 {
				v.cpu = append(v.cpu, float64(cpu)/float64(time.Millisecond))
			}
			if proc0 > 0 {
				v.procs = append(v.procs, float64(extensionProcessCPU(v.b)-proc0)/float64(time.Millisecond))
			}
		}
	}
	report := &strings.Builder{}
	fmt.Fprintf(report, "machine: %s, %d CPUs (shared); load average at end: %s\n", cpuModel(), runtime.NumCPU(), loadAverage())
	for _, v := range vs {
		fmt.Fprintf(report, "%s (%d bytes): worker stopped → core answered, %d runs: wall p50 %.0f ms, p95 %.0f ms", v.dir, v.size, len(v.wall), pct(v.wall, 50), pct(v.wall, 95))
		if len(v.cpu) > 0 {
			fmt.Fprintf(report, "; worker thread CPU p50 %.0f ms", pct(v.cpu, 50))
		}
		if len(v.procs) > 0 {
			fmt.Fprintf(report, "; extension process CPU p50 %.0f ms", pct(v.procs, 50))
		}
		fmt.Fprintln(report)
	}
	t.Log("\n" + report.String())
}
