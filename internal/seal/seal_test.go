package seal

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

func TestKDFCheck(t *testing.T) {
	for _, tc := range []struct {
		p  KDFParams
		ok bool
	}{
		{DefaultKDF, true},
		{KDFParams{Memory: 8, Time: 1, Threads: 1}, true},
		{KDFParams{Memory: MaxMemory, Time: MaxTime, Threads: MaxThreads}, true},
		{KDFParams{Memory: 7, Time: 1, Threads: 1}, false},
		{KDFParams{Memory: 8*16 - 1, Time: 1, Threads: 16}, false},
		{KDFParams{Memory: MaxMemory + 1, Time: 1, Threads: 1}, false},
		{KDFParams{Memory: 4 << 20, Time: 1, Threads: 1}, false},
		{KDFParams{Memory: 64, Time: 0, Threads: 1}, false},
		{KDFParams{Memory: 64, Time: 11, Threads: 1}, false},
		{KDFParams{Memory: 64, Time: 1, Threads: 0}, false},
		{KDFParams{Memory: 1024, Time: 1, Threads: 17}, false},
		{KDFParams{}, false},
	} {
		err := tc.p.Check()
		if tc.ok != (err == nil) || (err != nil && !errors.Is(err, ErrKDFParams)) {
			t.Errorf("%+v.Check() = %v", tc.p, err)
		}
	}
	if _, err := CheckWide(1<<32, 1, 1); !errors.Is(err, ErrKDFParams) {
		t.Errorf("CheckWide(2^32 KiB) = %v", err)
	}
	if _, err := CheckWide(64, 1<<32+1, 1); !errors.Is(err, ErrKDFParams) {
		t.Errorf("CheckWide(time 2^32+1) = %v", err)
	}
	if _, err := CheckWide(64, 1, 256+1); !errors.Is(err, ErrKDFParams) {
		t.Errorf("CheckWide(threads 257) = %v", err)
	}
}

// A file from elsewhere may ask for at most 256 MiB and 1 GiB of memory passes; the
// refusal names what the file asked for.
func TestKDFCheckFile(t *testing.T) {
	for _, tc := range []struct {
		p  KDFParams
		ok bool
	}{
		{DefaultKDF, true},
		{KDFParams{Memory: 8, Time: 1, Threads: 1}, true},
		{KDFParams{Memory: 256 << 10, Time: 4, Threads: 16}, true},
		{KDFParams{Memory: 100 << 10, Time: 10, Threads: 4}, true},
		{KDFParams{Memory: 256<<10 + 1, Time: 1, Threads: 1}, false},
		{KDFParams{Memory: 256 << 10, Time: 5, Threads: 1}, false},
		{KDFParams{Memory: 128 << 10, Time: 9, Threads: 1}, false},
		{KDFParams{Memory: MaxMemory, Time: MaxTime, Threads: MaxThreads}, false},
		{KDFParams{Memory: 64, Time: 11, Threads: 1}, false}, // Check's bounds hold too
	} {
		err := tc.p.CheckFile()
		if tc.ok != (err == nil) || (err != nil && !errors.Is(err, ErrKDFParams)) {
			t.Errorf("%+v.CheckFile() = %v", tc.p, err)
		}
	}
	err := KDFParams{Memory: 1 << 20, Time: 10, Threads: 16}.CheckFile()
	for _, want := range []string{"1 GiB of memory", "10 passes", "16 lanes", "at most 256 MiB"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("CheckFile error %q does not say %q", err, want)
		}
	}
}

func TestDerive(t *testing.T) {
	p := KDFParams{Memory: 64, Time: 1, Threads: 1}
	salt := bytes.Repeat([]byte{1}, 16)
	k1, c1, err := Derive([]byte("pw"), salt, p)
	if err != nil {
		t.Fatal(err)
	}
	k2, c2, _ := Derive([]byte("pw"), salt, p)
	k3, c3, _ := Derive([]byte("pw2"), salt, p)
	if k1 != k2 || c1 != c2 || k1 == k3 || c1 == c3 || bytes.Equal(k1[:], c1[:]) {
		t.Error("Derive is not a deterministic function of the password with independent halves")
	}
	if _, _, err := Derive([]byte("pw"), salt[:15], p); !errors.Is(err, ErrCorrupt) {
		t.Errorf("15-byte salt: %v", err)
	}
	if _, _, err := Derive([]byte("pw"), salt, KDFParams{Memory: 4 << 20, Time: 1, Threads: 1}); !errors.Is(err, ErrKDFParams) {
		t.Errorf("4 GiB: %v", err)
	}
}

// TestArgon2idVector pins the KDF to RFC 9106-compatible output so other implementations
// can be checked against the same numbers (see docs/backup-format.md).
func TestArgon2idVector(t *testing.T) {
	key, check, err := Derive([]byte("password"), []byte("somesaltsomesalt"), KDFParams{Memory: 64, Time: 1, Threads: 1})
	if err != nil {
		t.Fatal(err)
	}
	got := EncodeBase64(append(key[:], check[:]...))
	const want = "NzVEcDpW21H9PvefBoTXmahBe4H4ppq4FEvchbh2EgRn1W2LTol/EnFJyw/1Gcdisu4edLeffWeyldYOADIXcw==" // also what hash-wasm 4.13 computes
	if got != want {
		t.Errorf("Argon2id output = %s", got)
	}
}

func TestBase64Canonical(t *testing.T) {
	for _, s := range []string{"", "AA==", "AAA=", "AAAA", "+/+/"} {
		if _, err := DecodeBase64(s); err != nil {
			t.Errorf("DecodeBase64(%q) = %v", s, err)
		}
	}
	for _, s := range []string{"AB==", "AA", "AA=", "AA\n==", "A A=", "-_-_", "AAA", "AAAA\n"} {
		if _, err := DecodeBase64(s); !errors.Is(err, ErrCorrupt) {
			t.Errorf("DecodeBase64(%q) = %v, want ErrCorrupt", s, err)
		}
	}
}

func TestSealOpen(t *testing.T) {
	var key [KeySize]byte
	nonce := make([]byte, NonceSize)
	ct := Seal(&key, nonce, []byte("hello"), []byte("ad"))
	if pt, err := Open(&key, nonce, ct, []byte("ad")); err != nil || string(pt) != "hello" {
		t.Fatalf("Open = %q, %v", pt, err)
	}
	if _, err := Open(&key, nonce, ct, []byte("ad2")); !errors.Is(err, ErrCorrupt) {
		t.Errorf("other AD: %v", err)
	}
	if _, err := Open(&key, nonce[:12], ct, []byte("ad")); !errors.Is(err, ErrCorrupt) {
		t.Errorf("short nonce: %v", err)
	}
}

func TestAD(t *testing.T) {
	got := string(NewAD("fmt").Uint("version", 1).Line("salt", "QQ==").Bytes())
	if got != "fmt\nversion: 1\nsalt: QQ==\n" {
		t.Errorf("AD = %q", got)
	}
	defer func() {
		if recover() == nil {
			t.Error("a line break in a value must panic")
		}
	}()
	NewAD("fmt").Line("note", "a\nb")
}

func TestFirstMember(t *testing.T) {
	for _, tc := range []struct {
		in string
		ok bool
	}{
		{`{"format":"x","version":1}`, true},
		{" \n{ \"format\" : \"x\"", true},
		{`{"format":"x"`, true},
		{`{"version":1,"format":"x"}`, false},
		{`{"format":"y"}`, false},
		{`{"format":1}`, false},
		{`["format","x"]`, false},
		{`{"form`, false},
		{``, false},
		{"\x00\x00\x00", false},
	} {
		if got := FirstMember([]byte(tc.in), 1024, "format", "x"); got != tc.ok {
			t.Errorf("FirstMember(%q) = %v", tc.in, got)
		}
	}
	long := append(bytes.Repeat([]byte(" "), 2000), `{"format":"x"}`...)
	if FirstMember(long, 1024, "format", "x") {
		t.Error("FirstMember looked past its limit")
	}
}

// TestHead: the format and version are read before the rest, strictly but for the other
// members, which are skipped (and still checked).
func TestHead(t *testing.T) {
	f, v, err := Head([]byte(`{"format":"x","version":2,"other":{"a":1}}`), true)
	if err != nil || f != "x" || v == nil || *v != 2 {
		t.Errorf("Head: %q %v %v", f, v, err)
	}
	if _, v, err := Head([]byte(`{"version":null}`), false); err != nil || v != nil {
		t.Errorf("Head of a null version: %v, %v", v, err)
	}
	for _, in := range []string{
		`{"Format":"x"}`, // would match "format" in encoding/json
		`{"format":"x","version":1,"version":2}`,
		`{"format":"x","other":{"a":1,"a":2}}`, // duplicates in skipped members too
		`{"format":"x","version":"1"}`,
		`{"format":"x","version":1.5}`,
		`{"format":"x"} 1`,
		`[]`,
	} {
		if _, _, err := Head([]byte(in), true); !errors.Is(err, ErrCorrupt) {
			t.Errorf("Head(%q) = %v", in, err)
		}
	}
}

func TestIsObject(t *testing.T) {
	for in, want := range map[string]bool{
		`{}`:             true,
		` {"a":[1,{}]} `: true,
		`{"a":1,"a":2}`:  false,
		`{"a":"\udc00"}`: false,
		`[]`:             false,
		`{"a":1}x`:       false,
		"{\"\xff\":1}":   false,
		``:               false,
	} {
		if got := IsObject([]byte(in)); got != want {
			t.Errorf("IsObject(%q) = %v", in, got)
		}
	}
}

func BenchmarkArgon2idDefault(b *testing.B) {
	salt := make([]byte, SaltSize)
	for b.Loop() {
		if _, _, err := Derive([]byte("correct horse battery staple"), salt, DefaultKDF); err != nil {
			b.Fatal(err)
		}
	}
}
