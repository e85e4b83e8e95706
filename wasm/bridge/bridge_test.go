//go:build js && wasm

package bridge_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/hack-pad/safejs"

	"codeward.dev/internal/vault"
	"codeward.dev/wasm/bridge"
	"codeward.dev/wasm/bridge/bridgetest"
)

var (
	invoke = bridgetest.Invoke
	str    = bridgetest.Str
)

func init() {
	bridge.Register("testPanic", func([]safejs.Value) (any, error) { panic("boom") })
	bridge.Register("testError", func([]safejs.Value) (any, error) { return nil, errors.New("plain failure") })
	bridge.Register("testWrapped", func([]safejs.Value) (any, error) {
		return nil, fmt.Errorf("opening: %w", vault.ErrWrongPassword)
	})
	bridge.Register("testCoded", func([]safejs.Value) (any, error) {
		return nil, fmt.Errorf("outer: %w", bridge.Coded("no_qr", errors.New("nothing found")))
	})
	bridge.Register("testUnconvertible", func([]safejs.Value) (any, error) { return []string{"x"}, nil })
	bridge.Register("testArgs", func(args []safejs.Value) (any, error) {
		s, err := bridge.String(args, 0)
		if err != nil {
			return nil, err
		}
		n, err := bridge.Int(args, 1, 1, 10)
		if err != nil {
			return nil, err
		}
		opt, err := bridge.OptionalString(args, 2)
		if err != nil {
			return nil, err
		}
		return fmt.Sprintf("%s/%d/%s", s, n, opt), nil
	})
	bridge.Register("testBytes", func(args []safejs.Value) (any, error) {
		b, err := bridge.Bytes(args, 0)
		if err != nil {
			return nil, err
		}
		return bridge.Base64(append(b, '!')), nil
	})
	bridge.Register("testByteArray", func(args []safejs.Value) (any, error) {
		b, err := bridge.ByteArray(args, 0, 3)
		if err != nil {
			return nil, err
		}
		return bridge.Base64(b), nil
	})
	bridge.Register("testAccounts", func(args []safejs.Value) (any, error) {
		a, err := bridge.Accounts(args, 0)
		return len(a), err
	})
}

func TestRegistrationHelper(t *testing.T) {
	tests := []struct {
		name, fn string
		args     []any
		code     string
	}{
		{"panic is recovered", "testPanic", nil, bridge.CodeInternal},
		{"unmapped error", "testError", nil, bridge.CodeFailed},
		{"wrapped vault sentinel", "testWrapped", nil, bridge.CodeWrongPassword},
		{"wrapped coded error", "testCoded", nil, "no_qr"},
		{"value js cannot take", "testUnconvertible", nil, bridge.CodeInternal},
		{"missing argument", "testArgs", nil, bridge.CodeBadArgument},
		{"number for string", "testArgs", []any{42, 1}, bridge.CodeBadArgument},
		{"fraction", "testArgs", []any{"s", 1.5}, bridge.CodeBadArgument},
		{"below range", "testArgs", []any{"s", 0}, bridge.CodeBadArgument},
		{"above range", "testArgs", []any{"s", 11}, bridge.CodeBadArgument},
		{"number for optional string", "testArgs", []any{"s", 1, 7}, bridge.CodeBadArgument},
		{"not base64", "testBytes", []any{"%%%"}, bridge.CodeBadArgument},
		{"unpadded base64", "testBytes", []any{"QQ"}, bridge.CodeBadArgument},
		{"string for byte array", "testByteArray", []any{"AQID"}, bridge.CodeBadArgument},
		{"array of numbers for byte array", "testByteArray", []any{[]any{1, 2, 3}}, bridge.CodeBadArgument},
		{"object with a length", "testByteArray", []any{map[string]any{"length": 3}}, bridge.CodeBadArgument},
		{"short byte array", "testByteArray", []any{bridgetest.Uint8Array(t, []byte{1, 2})}, bridge.CodeBadArgument},
		{"long byte array", "testByteArray", []any{bridgetest.Uint8Array(t, []byte{1, 2, 3, 4})}, bridge.CodeBadArgument},
		{"missing byte array", "testByteArray", nil, bridge.CodeBadArgument},
		{"unknown account field", "testAccounts", []any{`[{"id":"a","bogus":1}]`}, bridge.CodeInvalid},
		{"invalid account", "testAccounts", []any{`[{"id":""}]`}, bridge.CodeInvalid},
		{"trailing data", "testAccounts", []any{`[] []`}, bridge.CodeInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := invoke(t, tt.fn, tt.args...)
			if r.OK || r.Code != tt.code {
				t.Fatalf("got ok=%v code=%q (%s), want code %q", r.OK, r.Code, r.Msg, tt.code)
			}
		})
	}
	// The Go program must survive the panic above and keep answering.
	for _, tt := range []struct {
		fn   string
		args []any
		want string
	}{
		{"testArgs", []any{"s", 10}, "s/10/"},
		{"testArgs", []any{"s", 1, nil}, "s/1/"},
		{"testArgs", []any{"s", 1, "o"}, "s/1/o"},
		{"testBytes", []any{"QQ=="}, "QSE="},
		{"testByteArray", []any{bridgetest.Uint8Array(t, []byte{1, 2, 3})}, "AQID"},
	} {
		if r := invoke(t, tt.fn, tt.args...); !r.OK || str(t, r.Value) != tt.want {
			t.Errorf("%s%v: %+v, want %q", tt.fn, tt.args, r, tt.want)
		}
	}
}

func TestPublish(t *testing.T) {
	global := safejs.Global()
	called := 0
	ready, err := safejs.FuncOf(func(safejs.Value, []safejs.Value) any { called++; return nil })
	if err != nil {
		t.Fatal(err)
	}
	defer ready.Release()
	if err := global.Set("__bridgeTestReady", ready); err != nil {
		t.Fatal(err)
	}
	if err := bridge.Publish("bridgeTest"); err != nil {
		t.Fatal(err)
	}
	if called != 1 {
		t.Errorf("ready callback called %d times, want 1", called)
	}
	api, err := global.Get("bridgeTest")
	if err != nil || api.Type() != safejs.TypeObject {
		t.Fatal("globalThis.bridgeTest is not an object")
	}
	r, err := api.Call("testArgs", "p", 2)
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := r.Get("value"); v.Type() != safejs.TypeString {
		t.Errorf("published function returned no value")
	}
	// Without a ready callback Publish still publishes.
	if err := bridge.Publish("bridgeTestQuiet"); err != nil {
		t.Fatal(err)
	}
	if v, _ := global.Get("bridgeTestQuiet"); v.Type() != safejs.TypeObject {
		t.Error("globalThis.bridgeTestQuiet is not an object")
	}
}

func TestRegisterDuplicatePanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("a second registration of one name did not panic")
		}
	}()
	bridge.Register("testPanic", nil)
}
