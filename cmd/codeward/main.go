// Command codeward computes one-time codes and converts between Codeward backups,
// otpauth:// URI lists and the other formats in internal/formats, without a browser.
//
//	codeward code [--at UNIX_SECONDS] URI...        one code per URI ("-": URIs from stdin)
//	codeward import [--from FORMAT] [--password-file F] FILE
//	codeward export --to FORMAT [--password-file F] [--out FILE] [--allow-weak-password] < uris.txt
//	codeward formats
//
// Output rules (after age's cmd/age): results go to stdout; an error is exactly one
// "codeward: <message>" line on stderr, optionally followed by "codeward: hint: ..." lines,
// and a non-zero exit status (1, or 2 for a usage mistake); warnings about a result that
// was still produced are "codeward: warning: ..." lines. No message ever contains a
// password, a secret or an otpauth URI. Passwords are read from --password-file (one
// trailing newline is dropped) or, when stdin is a terminal, asked for without echo;
// never from an argument, which other users of the machine could see.
package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/term"

	"codeward.dev/internal/formats"
	_ "codeward.dev/internal/formats/all"
	"codeward.dev/internal/vault"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// Exit statuses.
const (
	exitOK    = 0
	exitError = 1
	exitUsage = 2
)

// maxInput is the largest file (or stdin) any command reads; it is refused, not read
// whole, when larger. Real exports are a few KiB.
const maxInput = 16 << 20

// testKDF, when set by tests, replaces the default Argon2id cost of formats that allow
// it (see kdfSetter). It is deliberately not reachable from the command line or the
// environment, so a user cannot make a weak backup by accident.
var testKDF *vault.KDFParams

type cli struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	// prompt asks for a password without echo; nil when stdin is not a terminal.
	prompt   func(label string) ([]byte, error)
	now      func() time.Time
	kdf      *vault.KDFParams
	warnings []string // printed only when the command succeeds
}

// run is main without the process: tests call it in-process.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	c := &cli{stdin: stdin, stdout: stdout, stderr: stderr, now: time.Now, kdf: testKDF}
	if f, ok := stdin.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		fd := int(f.Fd())
		c.prompt = func(label string) ([]byte, error) {
			fmt.Fprint(stderr, label)
			defer fmt.Fprintln(stderr)
			return term.ReadPassword(fd)
		}
	}
	return c.main(args)
}

func (c *cli) main(args []string) (status int) {
	defer func() {
		if r := recover(); r != nil {
			// A runtime error's text names an index or a nil pointer, never data; any
			// other panic value might carry data, so it is not printed.
			msg := "internal error"
			if e, ok := r.(runtime.Error); ok {
				msg += ": " + e.Error()
			}
			c.printError(&cliError{msg: msg, hints: []string{"this is a bug in codeward; please report it"}})
			status = exitError
		}
	}()
	if err := c.dispatch(args); err != nil {
		return c.printError(err)
	}
	for _, w := range c.warnings {
		fmt.Fprintln(c.stderr, "codeward: warning: "+oneLine(w))
	}
	return exitOK
}

func (c *cli) warn(format string, a ...any) {
	c.warnings = append(c.warnings, fmt.Sprintf(format, a...))
}

// cliError is an error with what to tell the user about it.
type cliError struct {
	msg   string
	hints []string
	usage bool
	err   error // the cause, for errors.Is in tests
}

func (e *cliError) Error() string { return e.msg }
func (e *cliError) Unwrap() error { return e.err }

func usageError(format string, a ...any) *cliError {
	return &cliError{msg: fmt.Sprintf(format, a...), usage: true, hints: []string{`run "codeward help" for usage`}}
}

// explain turns an error from the packages below into what the user should read, with
// hints for the sentinels a user can act on. context (a file name, "standard input")
// goes in front of the message.
func explain(context string, err error) *cliError {
	var ce *cliError
	if errors.As(err, &ce) {
		return ce
	}
	e := &cliError{msg: err.Error(), err: err}
	if context != "" {
		e.msg = context + ": " + e.msg
	}
	switch {
	case errors.Is(err, vault.ErrWrongPassword):
		e.hints = append(e.hints, "a backup opens with the backup password chosen when it was made, which need not be the master password")
	case errors.Is(err, vault.ErrUnsupportedVersion):
		e.hints = append(e.hints, "the file was written by a newer Codeward; a newer codeward command can read it")
	case errors.Is(err, vault.ErrKDFParams):
		e.hints = append(e.hints, "the file is damaged, or was not written by Codeward")
	case errors.Is(err, formats.ErrPasswordRequired):
		e.hints = append(e.hints, "give the password with --password-file FILE, or run codeward in a terminal to be asked for it")
	case errors.Is(err, formats.ErrNotEncrypted):
		e.hints = append(e.hints, "leave out --password-file, or choose an encrypted format such as codeward or aegis")
	case errors.Is(err, formats.ErrUnknownFormat):
		e.hints = append(e.hints, `name the format with --from; "codeward formats" lists them`)
	}
	return e
}

func (c *cli) printError(err error) int {
	e := explain("", err)
	fmt.Fprintln(c.stderr, "codeward: "+oneLine(e.msg))
	for _, h := range e.hints {
		fmt.Fprintln(c.stderr, "codeward: hint: "+oneLine(h))
	}
	if e.usage {
		return exitUsage
	}
	return exitError
}

// oneLine keeps a message on one line and free of terminal control sequences: file names
// and labels come from the user's files.
func oneLine(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	return strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || r == utf8.RuneError {
			return '\uFFFD'
		}
		return r
	}, s)
}

const usage = `codeward — two-factor codes and Codeward backups without a browser

usage:
  codeward code [--at UNIX_SECONDS] URI...
      print the current code of each otpauth:// URI, one a line (HOTP: at the URI's
      counter); "-" instead of URIs reads them from standard input, one a line —
      better on a shared machine, where other users can see a command's arguments
  codeward import [--from FORMAT] [--password-file FILE] FILE
      print the accounts of FILE ("-" for standard input) as otpauth:// URIs, one a line;
      FORMAT is a name from "codeward formats" or auto (the default)
  codeward export --to FORMAT [--password-file FILE] [--out FILE] [--allow-weak-password]
      read otpauth:// URIs from standard input and write them in FORMAT to stdout or FILE;
      --out writes a new file or replaces a regular one (never a link, device or
      directory). An encrypted format's password must pass the same strength check as in
      the extension (not short, common or a pattern); --allow-weak-password skips that
      check, for tests and scripts writing throwaway files
  codeward formats
      list the formats import and export know

Passwords come from --password-file (one trailing newline is ignored) or, when standard
input is a terminal, from a prompt; never from the command line.
`

func (c *cli) dispatch(args []string) error {
	if len(args) == 0 {
		return usageError("no command given")
	}
	cmd, rest := args[0], args[1:]
	switch cmd {
	case "code":
		return c.code(rest)
	case "import":
		return c.importCmd(rest)
	case "export":
		return c.exportCmd(rest)
	case "formats":
		return c.formatsCmd(rest)
	case "help", "-h", "-help", "--help":
		_, err := io.WriteString(c.stdout, usage)
		return err
	}
	return usageError("unknown command %q", cmd)
}
