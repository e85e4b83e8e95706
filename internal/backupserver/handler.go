// Package backupserver is the HTTP side of "Your own backup server": a small service that
// keeps already-encrypted Codeward backup files for one person. It never sees a password
// or an account; it only checks that what it stores looks like a backup file.
//
// The handler is plain net/http over a Store, so it runs natively in tests (MemStore) and
// inside a Cloudflare Worker (wasm/server wires it to an R2 bucket). It is built to be
// cheap there: Go starts a fresh instance for every request, so nothing here does work at
// init, and it avoids regexp, fmt and encoding/json.
//
// Endpoints (all need "Authorization: Bearer <token>"):
//
//	GET    /backups          list, newest first: {"backups":[{"name","size","uploaded"}]}
//	PUT    /backups/{name}   store a new backup (never overwrites) → 201
//	GET    /backups/{name}   the file
//	HEAD   /backups/{name}   its size
//	DELETE /backups/{name}   remove it → 204
//
// Errors are JSON {"error": CODE, "message": TEXT}; CODE is one of the Code* constants.
package backupserver

import (
	"bytes"
	"crypto/sha256"
	"crypto/subtle"
	"errors"
	"io"
	"net/http"
	"sort"
	"strconv"
	"strings"
)

const (
	// DefaultMaxBytes is the upload size cap when MAX_BYTES is not set: a backup of
	// thousands of accounts is well under 1 MiB.
	DefaultMaxBytes = 4 << 20
	// LimitMaxBytes bounds MAX_BYTES: the Worker holds an upload in memory.
	LimitMaxBytes = 64 << 20
	// MinTokenLength is the shortest secret the server accepts; with a shorter (or no)
	// secret it refuses every request.
	MinTokenLength = 32
	// MaxNameLength bounds a backup's name.
	MaxNameLength = 128
	// prefixBytes is how much of an upload is read to decide whether it is a backup.
	prefixBytes = 256
)

// Stable error codes, for clients to act on (messages may change).
const (
	CodeNotConfigured    = "server_not_configured"
	CodeUnauthorized     = "unauthorized"
	CodeNotFound         = "not_found"
	CodeMethodNotAllowed = "method_not_allowed"
	CodeBadName          = "bad_name"
	CodeTooLarge         = "too_large"
	CodeNotABackup       = "not_a_backup"
	CodeExists           = "exists"
	CodeOriginNotAllowed = "origin_not_allowed"
	CodeStorage          = "storage_error"
)

// Config is the server's settings, normally read from the Worker's environment by
// ParseConfig.
type Config struct {
	// Token is the shared secret clients send as a bearer token.
	Token string
	// MaxBytes caps an upload; DefaultMaxBytes when 0.
	MaxBytes int64
	// Keep is how many backups to keep: after each upload the oldest beyond Keep are
	// deleted. 0 keeps everything.
	Keep int
	// AllowedOrigins are the exact browser origins (e.g. "chrome-extension://<id>") that
	// get CORS headers. Codeward itself needs none: it calls with host access, which
	// browsers exempt from CORS.
	AllowedOrigins []string
	// Invalid names a setting that could not be read; the server then refuses every
	// request rather than guess.
	Invalid string
}

// ParseConfig reads the settings TOKEN, MAX_BYTES, KEEP and ALLOWED_ORIGINS
// (comma-separated) through get.
func ParseConfig(get func(string) string) Config {
	c := Config{Token: get("TOKEN")}
	if s := strings.TrimSpace(get("MAX_BYTES")); s != "" {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil || n < 1 || n > LimitMaxBytes {
			c.Invalid = "MAX_BYTES"
		}
		c.MaxBytes = n
	}
	if s := strings.TrimSpace(get("KEEP")); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 0 || n > 1000 {
			c.Invalid = "KEEP"
		}
		c.Keep = n
	}
	for _, o := range strings.Split(get("ALLOWED_ORIGINS"), ",") {
		if o = strings.TrimSpace(o); o != "" {
			c.AllowedOrigins = append(c.AllowedOrigins, o)
		}
	}
	return c
}

// Handler serves the backup endpoints.
type Handler struct {
	cfg       Config
	store     Store
	tokenHash [sha256.Size]byte
	refusal   string // non-empty: the server is not set up and refuses everything
}

// New returns the handler for cfg over store.
func New(cfg Config, store Store) *Handler {
	h := &Handler{cfg: cfg, store: store}
	if h.cfg.MaxBytes <= 0 {
		h.cfg.MaxBytes = DefaultMaxBytes
	}
	switch {
	case cfg.Invalid != "":
		h.refusal = "The server setting " + cfg.Invalid + " is not valid; it refuses every request until it is fixed."
	case len(cfg.Token) < MinTokenLength:
		h.refusal = "The server has no TOKEN secret of at least 32 characters; it refuses every request until one is set."
	default:
		h.tokenHash = sha256.Sum256([]byte(cfg.Token))
	}
	return h
}

func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	hdr := w.Header()
	hdr.Set("Cache-Control", "no-store")
	hdr.Set("X-Content-Type-Options", "nosniff")
	if origin := r.Header.Get("Origin"); origin != "" && h.originAllowed(origin) {
		hdr.Set("Access-Control-Allow-Origin", origin)
		hdr.Set("Access-Control-Expose-Headers", "WWW-Authenticate, Location")
		hdr.Add("Vary", "Origin")
		if r.Method == http.MethodOptions {
			hdr.Set("Access-Control-Allow-Methods", "GET, HEAD, PUT, DELETE")
			hdr.Set("Access-Control-Allow-Headers", "Authorization, Content-Type, If-None-Match")
			hdr.Set("Access-Control-Max-Age", "600")
			w.WriteHeader(http.StatusNoContent)
			return
		}
	} else if r.Method == http.MethodOptions {
		writeError(w, http.StatusForbidden, CodeOriginNotAllowed, "This origin may not call the server from a web page.")
		return
	}
	if h.refusal != "" {
		writeError(w, http.StatusServiceUnavailable, CodeNotConfigured, h.refusal)
		return
	}
	if !h.authorized(r) {
		hdr.Set("WWW-Authenticate", `Bearer realm="codeward-backups"`)
		writeError(w, http.StatusUnauthorized, CodeUnauthorized, "Missing or wrong token.")
		return
	}

	path := r.URL.Path
	if path == "/backups" || path == "/backups/" {
		switch r.Method {
		case http.MethodGet, http.MethodHead:
			h.list(w, r)
		default:
			methodNotAllowed(w, "GET, HEAD")
		}
		return
	}
	name, ok := strings.CutPrefix(path, "/backups/")
	if !ok {
		writeError(w, http.StatusNotFound, CodeNotFound, "No such endpoint; backups are under /backups.")
		return
	}
	if !ValidName(name) {
		writeError(w, http.StatusBadRequest, CodeBadName, "A backup name is 1 to 128 letters, digits, '.', '-' or '_', starts with a letter or digit, has no '..' and ends in .json.")
		return
	}
	switch r.Method {
	case http.MethodGet, http.MethodHead:
		h.get(w, r, name)
	case http.MethodPut:
		h.put(w, r, name)
	case http.MethodDelete:
		if err := h.store.Delete(name); err != nil {
			storageError(w)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	default:
		methodNotAllowed(w, "GET, HEAD, PUT, DELETE")
	}
}

func (h *Handler) originAllowed(origin string) bool {
	for _, o := range h.cfg.AllowedOrigins {
		if o == origin {
			return true
		}
	}
	return false
}

// authorized compares the bearer token with the secret in constant time. Both sides are
// hashed first so that neither the comparison nor its length check says anything about
// the secret's length or content.
func (h *Handler) authorized(r *http.Request) bool {
	auth := r.Header.Get("Authorization")
	if len(auth) < 7 || !strings.EqualFold(auth[:7], "bearer ") {
		return false
	}
	token := strings.TrimSpace(auth[7:])
	if token == "" {
		return false
	}
	got := sha256.Sum256([]byte(token))
	return subtle.ConstantTimeCompare(got[:], h.tokenHash[:]) == 1
}

func (h *Handler) list(w http.ResponseWriter, r *http.Request) {
	objs, err := h.store.List()
	if err != nil {
		storageError(w)
		return
	}
	newestFirst(objs)
	b := make([]byte, 0, 32+len(objs)*96)
	b = append(b, `{"backups":[`...)
	for i, o := range objs {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendObject(b, o)
	}
	b = append(b, "]}\n"...)
	writeJSON(w, r, http.StatusOK, b)
}

func (h *Handler) get(w http.ResponseWriter, r *http.Request, name string) {
	var (
		obj  Object
		body io.ReadCloser
		err  error
	)
	if r.Method == http.MethodHead {
		obj, err = h.store.Head(name)
	} else {
		obj, body, err = h.store.Get(name)
	}
	if errors.Is(err, ErrNotFound) {
		writeError(w, http.StatusNotFound, CodeNotFound, "No backup by that name.")
		return
	}
	if err != nil {
		storageError(w)
		return
	}
	hdr := w.Header()
	hdr.Set("Content-Type", "application/json")
	hdr.Set("Content-Length", strconv.FormatInt(obj.Size, 10))
	hdr.Set("Last-Modified", obj.Uploaded.UTC().Format(http.TimeFormat))
	w.WriteHeader(http.StatusOK)
	if body != nil {
		defer body.Close()
		io.Copy(w, body)
	}
}

func (h *Handler) put(w http.ResponseWriter, r *http.Request, name string) {
	max := h.cfg.MaxBytes
	// A declared length over the cap is refused before a single byte is read; a body
	// without one is cut off by MaxBytesReader as soon as it passes the cap.
	if r.ContentLength > max {
		tooLarge(w, max)
		return
	}
	if r.Body == nil { // the Worker's glue leaves it nil for a request without a body
		r.Body = http.NoBody
	}
	body := http.MaxBytesReader(w, r.Body, max)
	defer body.Close()

	// The first bytes decide whether this is a backup, before the rest is read.
	prefix := make([]byte, prefixBytes)
	n, err := io.ReadFull(body, prefix)
	prefix = prefix[:n]
	if err != nil && err != io.ErrUnexpectedEOF && err != io.EOF {
		readError(w, err, max)
		return
	}
	if !LooksLikeBackup(prefix) {
		writeError(w, http.StatusUnprocessableEntity, CodeNotABackup, `Only Codeward backup files are stored: a JSON object whose first member is "format": "codeward-backup".`)
		return
	}
	// Backups are never overwritten, whether or not the client sent If-None-Match: *.
	if _, err := h.store.Head(name); err == nil {
		writeError(w, http.StatusPreconditionFailed, CodeExists, "A backup with this name is already stored; backups are never overwritten.")
		return
	} else if !errors.Is(err, ErrNotFound) {
		storageError(w)
		return
	}

	var buf bytes.Buffer
	if r.ContentLength > 0 {
		buf.Grow(int(r.ContentLength))
	}
	buf.Write(prefix)
	if _, err := buf.ReadFrom(body); err != nil {
		readError(w, err, max)
		return
	}
	obj, err := h.store.Put(name, buf.Bytes())
	if err != nil {
		storageError(w)
		return
	}
	h.prune()
	w.Header().Set("Location", "/backups/"+name)
	b := appendObject(nil, obj)
	writeJSON(w, r, http.StatusCreated, append(b, '\n'))
}

// prune deletes the oldest backups beyond Keep. A failure here leaves extra files, never
// fewer, so it does not fail the upload that has just been stored.
func (h *Handler) prune() {
	if h.cfg.Keep <= 0 {
		return
	}
	objs, err := h.store.List()
	if err != nil || len(objs) <= h.cfg.Keep {
		return
	}
	newestFirst(objs)
	for _, o := range objs[h.cfg.Keep:] {
		h.store.Delete(o.Name)
	}
}

// newestFirst orders by upload time, newest first; names break ties (backup names carry
// their time, so this keeps uploads within one clock tick in order).
func newestFirst(objs []Object) {
	sort.Slice(objs, func(i, j int) bool {
		if !objs[i].Uploaded.Equal(objs[j].Uploaded) {
			return objs[i].Uploaded.After(objs[j].Uploaded)
		}
		return objs[i].Name > objs[j].Name
	})
}

// ValidName reports whether name may name a backup: 1 to MaxNameLength characters from
// [A-Za-z0-9._-], starting with a letter or digit, without "..", ending in ".json". The
// alphabet leaves no room for path separators, percent-encoding or control characters.
func ValidName(name string) bool {
	if len(name) < len("x.json") || len(name) > MaxNameLength || !strings.HasSuffix(name, ".json") || strings.Contains(name, "..") {
		return false
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		alnum := 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
		if !alnum && (i == 0 || c != '.' && c != '-' && c != '_') {
			return false
		}
	}
	return true
}

// LooksLikeBackup reports whether data begins like a Codeward backup: a JSON object whose
// first member is "format": "codeward-backup", as every writer emits it (see
// docs/backup-format.md). It reads no further than that member.
func LooksLikeBackup(data []byte) bool {
	for _, want := range []string{"{", `"format"`, ":", `"codeward-backup"`} {
		data = bytes.TrimLeft(data, " \t\r\n")
		if !bytes.HasPrefix(data, []byte(want)) {
			return false
		}
		data = data[len(want):]
	}
	data = bytes.TrimLeft(data, " \t\r\n")
	return len(data) > 0 && (data[0] == ',' || data[0] == '}')
}

func appendObject(b []byte, o Object) []byte {
	b = append(b, `{"name":`...)
	b = appendString(b, o.Name)
	b = append(b, `,"size":`...)
	b = strconv.AppendInt(b, o.Size, 10)
	b = append(b, `,"uploaded":"`...)
	b = o.Uploaded.UTC().AppendFormat(b, "2006-01-02T15:04:05.000Z07:00")
	return append(b, `"}`...)
}

// appendString writes s as a JSON string. Names and messages are plain ASCII already;
// the escaping is there so that nothing can ever break the document.
func appendString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '"' || c == '\\':
			b = append(b, '\\', c)
		case c < 0x20 || c == 0x7f:
			b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
		default:
			b = append(b, c)
		}
	}
	return append(b, '"')
}

func writeJSON(w http.ResponseWriter, r *http.Request, status int, body []byte) {
	hdr := w.Header()
	hdr.Set("Content-Type", "application/json; charset=utf-8")
	hdr.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	if r == nil || r.Method != http.MethodHead {
		w.Write(body)
	}
}

func writeError(w http.ResponseWriter, status int, code, message string) {
	b := appendString([]byte(`{"error":`), code)
	b = append(b, `,"message":`...)
	b = appendString(b, message)
	writeJSON(w, nil, status, append(b, "}\n"...))
}

func methodNotAllowed(w http.ResponseWriter, allow string) {
	w.Header().Set("Allow", allow)
	writeError(w, http.StatusMethodNotAllowed, CodeMethodNotAllowed, "Allowed here: "+allow+".")
}

func storageError(w http.ResponseWriter) {
	writeError(w, http.StatusBadGateway, CodeStorage, "The storage behind the server failed; try again later.")
}

func tooLarge(w http.ResponseWriter, max int64) {
	writeError(w, http.StatusRequestEntityTooLarge, CodeTooLarge, "The upload is larger than the server's limit of "+strconv.FormatInt(max, 10)+" bytes (setting MAX_BYTES).")
}

func readError(w http.ResponseWriter, err error, max int64) {
	var tl *http.MaxBytesError
	if errors.As(err, &tl) {
		tooLarge(w, max)
		return
	}
	writeError(w, http.StatusBadRequest, CodeNotABackup, "The upload could not be read to its end.")
}
