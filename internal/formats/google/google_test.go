package google

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"math/rand"
	"net/url"
	"strings"
	"testing"

	"google.golang.org/protobuf/encoding/protowire"

	"codeward.dev/internal/formats/formatstest"
	"codeward.dev/internal/otp"
	"codeward.dev/internal/vault"
)

func acct(typ otp.Type, issuer, name, secret string, counter uint64) vault.Account {
	a := vault.Account{Type: typ, Issuer: issuer, Name: name, Secret: secret, Algorithm: otp.SHA1, Digits: 6, Counter: counter}
	if typ == otp.TOTP {
		a.Period = 30
	}
	return a
}

func TestPeerSamples(t *testing.T) {
	const pi = "7KSQL2JTUDIS5EF65KLMRQIIGY"
	for _, tc := range []struct {
		file string
		want []vault.Account
	}{
		{"example_export.txt", []vault.Account{
			acct(otp.TOTP, "raspberrypi", "pi@raspberrypi", pi, 0),
			acct(otp.TOTP, "", "pi@raspberrypi", pi, 0),
			acct(otp.TOTP, "", "pi@raspberrypi", pi, 0),
			acct(otp.TOTP, "raspberrypi", "pi@raspberrypi", pi, 0),
			acct(otp.HOTP, "", "hotp demo", pi, 4),
			acct(otp.TOTP, "encoding", "¿äÄéÉ? (demo)", pi, 0),
		}},
		{"test_plus_problem_export.txt", []vault.Account{
			acct(otp.TOTP, "SerenityLabs", "test1@serenitylabs.co.uk", "A4RFDYMF4GSLUIBQV4ZP67OJEZ2XUQVM", 0),
			acct(otp.TOTP, "SerenityLabs", "test2@serenitylabs.co.uk", "SCDDZ7PW5MOZLE3PQCAZM7L4S35K3UDX", 0),
			acct(otp.TOTP, "SerenityLabs", "test3@serenitylabs.co.uk", "TR76272RVYO6EAEY2FX7W7R7KUDEGPJ4", 0),
			acct(otp.TOTP, "SerenityLabs", "test4@serenitylabs.co.uk", "N2ILWSXSJUQUB7S6NONPJSC62NPG7EXN", 0),
		}},
	} {
		t.Run(tc.file, func(t *testing.T) {
			data := formatstest.ReadPeer(t, "google-migration", tc.file)
			formatstest.CheckImport(t, Importer{}, data, nil, tc.want)
		})
	}
}

func TestPeerNegativeBatchID(t *testing.T) {
	data := formatstest.ReadPeer(t, "google-migration", "example_export.txt")
	uris, err := lines(data, 0)
	if err != nil {
		t.Fatal(err)
	}
	p, err := ParseURI(uris[0])
	if err != nil {
		t.Fatal(err)
	}
	if p.BatchID >= 0 || p.BatchSize != 1 || p.BatchIndex != 0 || p.Version != 1 {
		t.Errorf("payload header = version %d, batch %d/%d id %d", p.Version, p.BatchIndex, p.BatchSize, p.BatchID)
	}
}

func TestPeerWrongData(t *testing.T) {
	data := formatstest.ReadPeer(t, "google-migration", "test_export_wrong_data.txt")
	res, err := Importer{}.Import(data, nil)
	if !errors.Is(err, ErrCorrupt) {
		t.Fatalf("err = %v, want ErrCorrupt", err)
	}
	if len(res.Accounts) != 0 {
		t.Errorf("accounts from bad data: %d", len(res.Accounts))
	}
}

func uri(b []byte) string {
	return Scheme + "://offline?data=" + url.QueryEscape(base64.StdEncoding.EncodeToString(b))
}

func params(fields ...func([]byte) []byte) []byte {
	var m []byte
	for _, f := range fields {
		m = f(m)
	}
	var b []byte
	b = protowire.AppendTag(b, fieldOtpParameters, protowire.BytesType)
	return protowire.AppendBytes(b, m)
}

func varint(num protowire.Number, v uint64) func([]byte) []byte {
	return func(b []byte) []byte {
		return protowire.AppendVarint(protowire.AppendTag(b, num, protowire.VarintType), v)
	}
}

func str(num protowire.Number, s string) func([]byte) []byte {
	return func(b []byte) []byte {
		return protowire.AppendString(protowire.AppendTag(b, num, protowire.BytesType), s)
	}
}

func TestAccountProblems(t *testing.T) {
	good := params(str(fieldSecret, "12345678901234567890"), str(fieldName, "a"), varint(fieldType, typeTOTP))
	for _, tc := range []struct {
		name string
		p    []byte
		msg  string
	}{
		{"unspecified type", params(str(fieldSecret, "x"), str(fieldName, "b")), "unknown OTP type"},
		{"md5", params(str(fieldSecret, "x"), str(fieldName, "b"), varint(fieldType, typeTOTP), varint(fieldAlgorithm, algoMD5)), "MD5"},
		{"digits enum 7", params(str(fieldSecret, "x"), str(fieldName, "b"), varint(fieldType, typeTOTP), varint(fieldDigits, 7)), "digit"},
		{"empty secret", params(str(fieldName, "b"), varint(fieldType, typeHOTP)), ""}, // message from otp.Validate
		{"bad utf-8", params(str(fieldSecret, "x"), str(fieldName, "b\xff"), varint(fieldType, typeTOTP)), "UTF-8"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, err := Importer{}.Import([]byte(uri(append(append([]byte{}, good...), tc.p...))), nil)
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Accounts) != 1 || len(res.Problems) != 1 || res.Problems[0].Index != 2 {
				t.Fatalf("accounts %d, problems %v", len(res.Accounts), res.Problems)
			}
			if !strings.Contains(res.Problems[0].Message, tc.msg) {
				t.Errorf("problem %q does not mention %q", res.Problems[0].Message, tc.msg)
			}
		})
	}
}

func TestBadURIs(t *testing.T) {
	good := params(str(fieldSecret, "12345678901234567890"), str(fieldName, "a"), varint(fieldType, typeTOTP))
	for _, tc := range []struct{ name, text string }{
		{"truncated params", uri(good[:len(good)-3])},
		{"wrong wire type", uri(protowire.AppendVarint(protowire.AppendTag(nil, fieldOtpParameters, protowire.VarintType), 1))},
		{"no data", Scheme + "://offline?x=1"},
		{"not base64", Scheme + "://offline?data=%%%"},
		{"other host", Scheme + "://online?data=AA"},
		{"only comments", "# nothing\n\n"},
		{"line too long", Scheme + "://offline?data=" + strings.Repeat("A", maxLineLength+1)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := (Importer{}).Import([]byte(tc.text), nil); err == nil {
				t.Fatal("no error")
			}
		})
	}
	// One bad URI among good ones: a problem, and the good accounts still import.
	text := uri(good) + "\n" + uri(good[:5]) + "\n"
	res, err := Importer{}.Import([]byte("\xef\xbb\xbf"+text), nil)
	if !(Importer{}).Detect([]byte("\xef\xbb\xbf"+text)) || err != nil || len(res.Accounts) != 1 || len(res.Problems) != 1 {
		t.Fatalf("err %v, accounts %d, problems %v", err, len(res.Accounts), res.Problems)
	}
}

func TestBatches(t *testing.T) {
	keys := make([]vault.Account, 23)
	for i := range keys {
		keys[i] = acct(otp.TOTP, "Issuer", fmt.Sprintf("user%d", i), "JBSWY3DPEHPK3PXP", 0)
	}
	x := Exporter{Rand: rand.New(rand.NewSource(1))}
	uris, err := x.URIs(keys)
	if err != nil {
		t.Fatal(err)
	}
	if len(uris) != 3 {
		t.Fatalf("%d URIs for 23 accounts, want 3", len(uris))
	}
	var id int32
	for i, u := range uris {
		p, err := ParseURI(u)
		if err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			id = p.BatchID
		}
		if n := len(p.Params); n > BatchLimit {
			t.Errorf("URI %d holds %d accounts", i, n)
		}
		if p.BatchSize != 3 || p.BatchIndex != int32(i) || p.BatchID != id || p.Version != 1 {
			t.Errorf("URI %d: batch %d/%d id %d version %d", i, p.BatchIndex, p.BatchSize, p.BatchID, p.Version)
		}
	}
	// All three: no warning. Two of three (and one twice): a warning naming the missing one.
	res, err := Importer{}.Import([]byte(strings.Join(uris, "\n")), nil)
	if err != nil || len(res.Warnings) != 0 || len(res.Accounts) != 23 {
		t.Fatalf("full batch: err %v, warnings %v, %d accounts", err, res.Warnings, len(res.Accounts))
	}
	res, err = Importer{}.Import([]byte(uris[0]+"\n"+uris[2]+"\n"+uris[0]), nil)
	if err != nil || len(res.Accounts) != 13 {
		t.Fatalf("partial batch: err %v, %d accounts", err, len(res.Accounts))
	}
	if w := strings.Join(res.Warnings, "|"); !strings.Contains(w, "2 of 3") || !strings.Contains(w, "missing QR code 2") || !strings.Contains(w, "twice") {
		t.Errorf("warnings = %q", res.Warnings)
	}
}

func TestRoundTrip(t *testing.T) {
	want := formatstest.Vectors("V1", "V4", "V6")
	want = append(want, acct(otp.TOTP, "", "no issuer", "JBSWY3DPEHPK3PXP", 0), acct(otp.HOTP, "A:B", "c", "JBSWY3DPEHPK3PXP", 1<<40))
	out, err := Exporter{}.Export(want, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !(Importer{}).Detect(out) {
		t.Fatal("own export not detected")
	}
	res, err := Importer{}.Import(out, nil)
	if err != nil {
		t.Fatal(err)
	}
	formatstest.Compare(t, res.Accounts, want)
}

func TestExportRefusesWhatItCannotHold(t *testing.T) {
	for _, id := range []string{"V2", "V3", "V5", "V7"} {
		v := formatstest.Vector(id)
		if err := Supported(v); !errors.Is(err, ErrUnsupported) {
			t.Errorf("%s: Supported = %v", id, err)
		}
		_, err := Exporter{}.Export(formatstest.Vectors("V1", id), nil)
		if !errors.Is(err, ErrUnsupported) {
			t.Errorf("%s: Export err = %v", id, err)
		} else if strings.Contains(err.Error(), v.Secret) {
			t.Errorf("error shows a secret: %v", err)
		}
	}
	if err := Supported(formatstest.Vector("V1")); err != nil {
		t.Errorf("V1: %v", err)
	}
}

func TestRawPlusAndPadding(t *testing.T) {
	// The same payload written percent-encoded, raw and without padding reads the same.
	b := EncodePayload([]otp.Key{{Type: otp.TOTP, Name: "x", Secret: []byte{0xfb, 0xff, 0xfe}, Algorithm: otp.SHA1, Digits: 6, Period: 30}}, 1, 0, -5)
	std := base64.StdEncoding.EncodeToString(b)
	if !strings.ContainsAny(std, "+/") {
		t.Fatalf("test payload %q has no + or /", std)
	}
	var got []Payload
	for _, data := range []string{url.QueryEscape(std), std, strings.TrimRight(std, "=")} {
		p, err := ParseURI("OTPAUTH-MIGRATION://offline?data=" + data)
		if err != nil {
			t.Fatalf("%s: %v", data, err)
		}
		got = append(got, p)
	}
	for _, p := range got {
		if len(p.Params) != 1 || !bytes.Equal(p.Params[0].Secret, []byte{0xfb, 0xff, 0xfe}) || p.BatchID != -5 {
			t.Errorf("payload = %+v", p)
		}
	}
}

func FuzzImport(f *testing.F) {
	x := Exporter{Rand: rand.New(rand.NewSource(1))}
	out, _ := x.Export(formatstest.Vectors("V1", "V4"), nil)
	f.Add(out)
	f.Add([]byte("# c\n\n" + Scheme + "://offline?data=CgA=&data=EAE\n"))
	f.Add([]byte(Scheme + "://offline?data=XXXX"))
	f.Fuzz(func(t *testing.T, data []byte) {
		formatstest.Fuzz(t, Importer{}, data, nil)
	})
}

func FuzzDecodePayload(f *testing.F) {
	f.Add(EncodePayload([]otp.Key{{Type: otp.HOTP, Name: "n", Issuer: "i", Secret: []byte("s"), Algorithm: otp.SHA512, Digits: 8, Counter: 3}}, 2, 1, -1))
	f.Add([]byte{0x0a, 0x02, 0x08})
	f.Fuzz(func(t *testing.T, b []byte) {
		p, err := DecodePayload(b)
		if err != nil {
			return
		}
		// Whatever decodes re-encodes to a payload that decodes to the same accounts.
		var keys []otp.Key
		for _, op := range p.Params {
			if k, err := op.Key(); err == nil && supported(k) == nil {
				keys = append(keys, k)
			}
		}
		p2, err := DecodePayload(EncodePayload(keys, p.BatchSize, p.BatchIndex, p.BatchID))
		if err != nil || len(p2.Params) != len(keys) || p2.BatchID != p.BatchID {
			t.Fatalf("re-encoded payload: err %v, %d accounts, want %d", err, len(p2.Params), len(keys))
		}
	})
}

// Long names make fewer accounts fit one QR code: batches shrink so that every URI stays
// within MaxURILength, and all accounts come back. An account too long for a QR code on
// its own (stored before names were bounded) is not Supported; callers leave it out.
func TestBatchesOfLongNames(t *testing.T) {
	var accounts []vault.Account
	for i := range 25 {
		accounts = append(accounts, acct(otp.TOTP, strings.Repeat("é", otp.MaxIssuerLen), fmt.Sprintf("%03d%s", i, strings.Repeat("n", otp.MaxNameLen-3)), "JBSWY3DPEHPK3PXP", 0))
	}
	uris, err := Exporter{}.URIs(accounts)
	if err != nil {
		t.Fatal(err)
	}
	for i, u := range uris {
		if len(u) > MaxURILength {
			t.Errorf("URI %d is %d bytes (at most %d)", i, len(u), MaxURILength)
		}
	}
	res, err := Importer{}.Import([]byte(strings.Join(uris, "\n")), nil)
	if err != nil || len(res.Accounts) != len(accounts) || len(res.Warnings) != 0 {
		t.Fatalf("read back: err %v, %d accounts, warnings %q", err, len(res.Accounts), res.Warnings)
	}
	huge := acct(otp.TOTP, strings.Repeat("I", 10000), "alice", "JBSWY3DPEHPK3PXP", 0)
	if err := (Exporter{}).Supports(huge); !errors.Is(err, ErrUnsupported) || !strings.Contains(err.Error(), "too long for one QR code") {
		t.Errorf("10,000-character issuer: Supports = %v", err)
	}
}
