//go:build js && wasm

// Command server is "Your own backup server" as a Cloudflare Worker: the handler of
// internal/backupserver over the R2 bucket bound as BACKUPS, with its settings (TOKEN,
// MAX_BYTES, KEEP, ALLOWED_ORIGINS) from the Worker's environment. Build it with
// `make server`; deploy it with wrangler.toml (see the README).
//
// The glue starts a fresh Go instance for every request, so main does only what that
// request needs: read four settings and serve.
package main

import (
	"bytes"
	"io"

	"codeward.dev/internal/backupserver"
	"github.com/syumai/workers"
	"github.com/syumai/workers/cloudflare"
	"github.com/syumai/workers/cloudflare/r2"
)

const bucketBinding = "BACKUPS"

func main() {
	cfg := backupserver.ParseConfig(cloudflare.Getenv)
	workers.Serve(backupserver.New(cfg, &r2Store{}))
}

// r2Store is backupserver.Store over R2. The bucket is looked up on first use, so a
// request refused before it reaches storage never touches it.
type r2Store struct {
	bucket *r2.Bucket
}

func (s *r2Store) open() (*r2.Bucket, error) {
	if s.bucket == nil {
		b, err := r2.NewBucket(bucketBinding)
		if err != nil {
			return nil, err
		}
		s.bucket = b
	}
	return s.bucket, nil
}

func object(o *r2.Object) backupserver.Object {
	return backupserver.Object{Name: o.Key, Size: int64(o.Size), Uploaded: o.Uploaded}
}

// List returns at most the first 1000 objects: the binding's List takes no cursor. With
// retention (KEEP) the bucket never holds that many.
func (s *r2Store) List() ([]backupserver.Object, error) {
	b, err := s.open()
	if err != nil {
		return nil, err
	}
	objs, err := b.List()
	if err != nil {
		return nil, err
	}
	out := make([]backupserver.Object, 0, len(objs.Objects))
	for _, o := range objs.Objects {
		out = append(out, object(o))
	}
	return out, nil
}

func (s *r2Store) Head(name string) (backupserver.Object, error) {
	b, err := s.open()
	if err != nil {
		return backupserver.Object{}, err
	}
	o, err := b.Head(name)
	if err != nil {
		return backupserver.Object{}, err
	}
	if o == nil {
		return backupserver.Object{}, backupserver.ErrNotFound
	}
	return object(o), nil
}

func (s *r2Store) Get(name string) (backupserver.Object, io.ReadCloser, error) {
	b, err := s.open()
	if err != nil {
		return backupserver.Object{}, nil, err
	}
	o, err := b.Get(name)
	if err != nil {
		return backupserver.Object{}, nil, err
	}
	if o == nil || o.Body == nil {
		return backupserver.Object{}, nil, backupserver.ErrNotFound
	}
	body, ok := o.Body.(io.ReadCloser)
	if !ok {
		body = io.NopCloser(o.Body)
	}
	return object(o), body, nil
}

func (s *r2Store) Put(name string, data []byte) (backupserver.Object, error) {
	b, err := s.open()
	if err != nil {
		return backupserver.Object{}, err
	}
	o, err := b.Put(name, io.NopCloser(bytes.NewReader(data)), &r2.PutOptions{
		HTTPMetadata: r2.HTTPMetadata{ContentType: "application/json"},
	})
	if err != nil {
		return backupserver.Object{}, err
	}
	return object(o), nil
}

func (s *r2Store) Delete(name string) error {
	b, err := s.open()
	if err != nil {
		return err
	}
	return b.Delete(name)
}
