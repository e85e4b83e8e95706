package backupserver

import (
	"bytes"
	"errors"
	"io"
	"sort"
	"sync"
	"time"
)

// Object describes one stored backup file.
type Object struct {
	Name     string
	Size     int64
	Uploaded time.Time
}

// ErrNotFound is returned by a Store for a name it does not hold.
var ErrNotFound = errors.New("backupserver: no such backup")

// Store keeps the backup files. The Worker wires it to an R2 bucket; tests use MemStore.
// Names reaching a Store have already been checked by the handler.
type Store interface {
	// List returns every stored backup, in any order.
	List() ([]Object, error)
	// Head returns the object's description, or ErrNotFound.
	Head(name string) (Object, error)
	// Get returns the object's description and its content, or ErrNotFound.
	Get(name string) (Object, io.ReadCloser, error)
	// Put stores body under name, replacing nothing: the handler checks first.
	Put(name string, body []byte) (Object, error)
	// Delete removes the object; deleting a missing one is not an error.
	Delete(name string) error
}

// MemStore is a Store in memory, for tests and local runs.
type MemStore struct {
	// Now gives upload times; time.Now when nil.
	Now func() time.Time

	mu    sync.Mutex
	files map[string]memFile
}

type memFile struct {
	obj  Object
	data []byte
}

func (m *MemStore) List() ([]Object, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := make([]Object, 0, len(m.files))
	for _, f := range m.files {
		out = append(out, f.obj)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

func (m *MemStore) Head(name string) (Object, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	f, ok := m.files[name]
	if !ok {
		return Object{}, ErrNotFound
	}
	return f.obj, nil
}

func (m *MemStore) Get(name string) (Object, io.ReadCloser, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	f, ok := m.files[name]
	if !ok {
		return Object{}, nil, ErrNotFound
	}
	return f.obj, io.NopCloser(bytes.NewReader(f.data)), nil
}

func (m *MemStore) Put(name string, body []byte) (Object, error) {
	now := time.Now
	if m.Now != nil {
		now = m.Now
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.files == nil {
		m.files = map[string]memFile{}
	}
	obj := Object{Name: name, Size: int64(len(body)), Uploaded: now().UTC()}
	m.files[name] = memFile{obj: obj, data: bytes.Clone(body)}
	return obj, nil
}

func (m *MemStore) Delete(name string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.files, name)
	return nil
}
