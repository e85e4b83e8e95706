//go:build !js

// The tests read image files through Decode, which only native builds have (file.go).

package qr

import "testing"

func BenchmarkEncode(b *testing.B) {
	for b.Loop() {
		if _, err := Encode(migration, 512); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDecode(b *testing.B) {
	img, err := Encode(migration, 512)
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := Decode(img); err != nil {
			b.Fatal(err)
		}
	}
}
