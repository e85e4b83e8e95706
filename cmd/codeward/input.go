package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// readInput reads a file, or standard input for "-", refusing anything over maxInput: a
// regular file by its size before reading, a stream after maxInput+1 bytes.
func (c *cli) readInput(name string) ([]byte, error) {
	var r io.Reader = c.stdin
	if name != "-" {
		f, err := os.Open(name)
		if err != nil {
			return nil, explainOpen(name, err)
		}
		defer f.Close()
		fi, err := f.Stat()
		if err != nil {
			return nil, &cliError{msg: name + ": cannot read the file", err: err}
		}
		if fi.IsDir() {
			return nil, &cliError{msg: name + ": is a directory"}
		}
		if fi.Mode().IsRegular() && fi.Size() > maxInput {
			return nil, tooLarge(name)
		}
		r = f
	} else {
		name = "standard input"
	}
	data, err := io.ReadAll(io.LimitReader(r, maxInput+1))
	if err != nil {
		return nil, &cliError{msg: name + ": read error", err: err}
	}
	if len(data) > maxInput {
		return nil, tooLarge(name)
	}
	return data, nil
}

func tooLarge(name string) *cliError {
	return &cliError{
		msg:   fmt.Sprintf("%s: larger than %d MiB, which no authenticator export is", name, maxInput>>20),
		hints: []string{"check that this is the file you meant"},
	}
}

func explainOpen(name string, err error) *cliError {
	switch {
	case errors.Is(err, os.ErrNotExist):
		return &cliError{msg: name + ": no such file", err: err}
	case errors.Is(err, os.ErrPermission):
		return &cliError{msg: name + ": permission denied", err: err}
	}
	return &cliError{msg: name + ": cannot open the file", err: err}
}

// maxPassword bounds a password file; a larger one is surely the wrong file.
const maxPassword = 4096

// password returns the password from file, or asks for it (twice when confirm is set,
// for a password that is being chosen). what says what it is for, in the prompt.
func (c *cli) password(file, what string, confirm bool) ([]byte, error) {
	if file != "" {
		f, err := os.Open(file)
		if err != nil {
			return nil, explainOpen(file, err)
		}
		defer f.Close()
		b, err := io.ReadAll(io.LimitReader(f, maxPassword+1))
		if err != nil {
			return nil, &cliError{msg: file + ": read error", err: err}
		}
		if len(b) > maxPassword {
			return nil, &cliError{msg: fmt.Sprintf("%s: longer than %d bytes, which is not a password file", file, maxPassword)}
		}
		b = bytes.TrimSuffix(b, []byte("\n"))
		b = bytes.TrimSuffix(b, []byte("\r"))
		if len(b) == 0 {
			return nil, &cliError{msg: file + ": the password file is empty"}
		}
		return b, nil
	}
	if c.prompt == nil {
		return nil, &cliError{
			msg:   "a password is needed and standard input is not a terminal to ask for it",
			hints: []string{"give it with --password-file FILE"},
		}
	}
	pw, err := c.prompt(what + ": ")
	if err != nil {
		return nil, &cliError{msg: "could not read the password", err: err}
	}
	if len(pw) == 0 {
		return nil, &cliError{msg: "the password is empty"}
	}
	if confirm {
		again, err := c.prompt("Repeat " + what + ": ")
		if err != nil {
			return nil, &cliError{msg: "could not read the password", err: err}
		}
		same := bytes.Equal(pw, again)
		clear(again)
		if !same {
			clear(pw)
			return nil, &cliError{msg: "the passwords do not match"}
		}
	}
	return pw, nil
}

// writeOutput writes data to stdout, or to file through a temporary file in the same
// directory renamed into place, so that a failure never leaves half a backup. Only a
// regular file is ever replaced: renaming over a symbolic link, a device such as /dev/full,
// a FIFO or a socket would swap that special file for a file of secrets. A replaced file
// keeps its permission bits; a new one is readable by its owner only, since every export
// holds secrets.
func (c *cli) writeOutput(file string, data []byte) error {
	if file == "" {
		_, err := c.stdout.Write(data)
		return err
	}
	perm := os.FileMode(0o600)
	fi, err := os.Lstat(file)
	switch {
	case err == nil && !fi.Mode().IsRegular():
		return &cliError{
			msg:   file + ": is " + fileKind(fi.Mode()) + ", not a regular file; nothing was written",
			hints: []string{"--out writes a new file or replaces a regular one; give another path, or leave out --out to write to standard output"},
		}
	case err == nil:
		perm = fi.Mode().Perm()
	case !errors.Is(err, os.ErrNotExist):
		return explainOpen(file, err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(file), ".codeward-*.tmp")
	if err != nil {
		return &cliError{msg: file + ": cannot create the file", err: err}
	}
	defer os.Remove(tmp.Name()) // no-op after the rename
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return &cliError{msg: file + ": write error", err: err}
	}
	if err := tmp.Chmod(perm); err != nil {
		tmp.Close()
		return &cliError{msg: file + ": cannot set the file's permissions", err: err}
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return &cliError{msg: file + ": write error", err: err}
	}
	if err := tmp.Close(); err != nil {
		return &cliError{msg: file + ": write error", err: err}
	}
	if err := os.Rename(tmp.Name(), file); err != nil {
		return &cliError{msg: file + ": cannot create the file", err: err}
	}
	return nil
}

// fileKind names a special file's kind for an error message.
func fileKind(m os.FileMode) string {
	switch {
	case m&os.ModeSymlink != 0:
		return "a symbolic link"
	case m.IsDir():
		return "a directory"
	case m&os.ModeNamedPipe != 0:
		return "a named pipe (FIFO)"
	case m&os.ModeSocket != 0:
		return "a socket"
	case m&os.ModeDevice != 0:
		return "a device"
	}
	return "a special file"
}
