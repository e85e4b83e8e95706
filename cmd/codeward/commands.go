package main

import (
	"fmt"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"codeward.dev/internal/formats"
	"codeward.dev/internal/formats/otpauth"
	"codeward.dev/internal/otp"
	"codeward.dev/internal/passgen"
	"codeward.dev/internal/vault"
)

// maxHints bounds the per-entry hints printed with a failed import or export.
const maxHints = 10

func (c *cli) code(args []string) error {
	flags, uris, err := parseFlags(args, "at")
	if err != nil {
		return err
	}
	at := c.now()
	if s, ok := flags["at"]; ok {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil || n < 0 {
			return usageError("--at takes a Unix time in whole seconds, 0 or later")
		}
		at = time.Unix(n, 0)
	}
	if len(uris) == 0 {
		return usageError("no otpauth:// URI given")
	}
	var keys []otp.Key
	if len(uris) == 1 && uris[0] == "-" {
		data, err := c.readInput("-")
		if err != nil {
			return err
		}
		accounts, err := readURIs(data)
		if err != nil {
			return err
		}
		for _, a := range accounts {
			k, err := a.Key()
			if err != nil {
				return explain("", err)
			}
			keys = append(keys, k)
		}
	} else {
		for i, u := range uris {
			k, err := otp.ParseURI(u)
			if err != nil {
				return &cliError{msg: fmt.Sprintf("URI %d: %v", i+1, err), err: err}
			}
			keys = append(keys, k)
		}
	}
	var out strings.Builder
	for i, k := range keys {
		code, err := k.Code(at)
		if err != nil {
			return &cliError{msg: fmt.Sprintf("URI %d: %v", i+1, err), err: err}
		}
		out.WriteString(code + "\n")
	}
	_, err = fmt.Fprint(c.stdout, out.String())
	return err
}

// readURIs reads otpauth lines for export and code: unlike import, any bad line fails the
// whole command, because writing a backup that silently lacks an account is worse than
// writing none.
func readURIs(data []byte) ([]vault.Account, error) {
	res, err := otpauth.Importer{}.Import(data, nil)
	if err == nil && len(res.Problems) == 0 {
		return res.Accounts, nil
	}
	e := &cliError{err: err}
	switch {
	case len(res.Problems) == 0:
		e.msg = "standard input: " + err.Error()
	case len(res.Problems) == 1:
		e.msg = "standard input: " + res.Problems[0].Message
	default:
		e.msg = fmt.Sprintf("standard input: %d lines are not valid otpauth URIs (first: %s)", len(res.Problems), res.Problems[0].Message)
		for i, p := range res.Problems[1:] {
			if i == maxHints {
				e.hints = append(e.hints, fmt.Sprintf("and %d more", len(res.Problems)-1-maxHints))
				break
			}
			e.hints = append(e.hints, p.Message)
		}
	}
	e.hints = append(e.hints, "nothing was written; fix or remove those lines")
	return nil, e
}

func (c *cli) importCmd(args []string) error {
	flags, pos, err := parseFlags(args, "from", "password-file")
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usageError("import takes exactly one FILE (or - for standard input)")
	}
	file := pos[0]
	from := flags["from"]
	if from == "" {
		from = "auto"
	}
	var f formats.Format
	if from != "auto" {
		var ok bool
		if f, ok = formats.Lookup(from); !ok || f.Importer == nil {
			return unknownFormat(from, "import", func(f formats.Format) bool { return f.Importer != nil })
		}
	}
	data, err := c.readInput(file)
	if err != nil {
		return err
	}
	name := file
	if file == "-" {
		name = "standard input"
	}
	if len(data) == 0 {
		return &cliError{msg: name + ": the file is empty"}
	}
	if from == "auto" {
		if f, err = formats.Detect(data); err != nil {
			return explain(name, err)
		}
	}
	var password []byte
	if f.Importer.Encrypted(data) {
		if password, err = c.password(flags["password-file"], "Password for "+oneLine(name), false); err != nil {
			return err
		}
		defer clear(password)
	} else if flags["password-file"] != "" {
		c.warn("%s is not encrypted; the password file was not used", name)
	}
	res, err := f.Importer.Import(data, password)
	if err != nil {
		e := explain(name, err)
		for i, p := range res.Problems {
			if i == maxHints {
				e.hints = append(e.hints, fmt.Sprintf("and %d more", len(res.Problems)-maxHints))
				break
			}
			e.hints = append(e.hints, p.String())
		}
		return e
	}
	for _, w := range res.Warnings {
		c.warn("%s", w)
	}
	for _, p := range res.Problems {
		c.warn("%s", p.String())
	}
	var out strings.Builder
	for i, a := range res.Accounts {
		k, err := a.Key()
		if err != nil {
			// Importers validate; this guards the output against one that does not.
			c.warn("account %d: %v", i+1, err)
			continue
		}
		out.WriteString(k.URI() + "\n")
	}
	if out.Len() == 0 {
		c.warn("%s holds no accounts", name)
	}
	_, err = fmt.Fprint(c.stdout, out.String())
	return err
}

// kdfSetter is implemented by exporters whose key derivation cost can be lowered; the
// CLI uses it only when tests set testKDF.
type kdfSetter interface {
	WithKDF(vault.KDFParams) formats.Exporter
}

func (c *cli) exportCmd(args []string) error {
	flags, pos, err := parseFlags(args, "to", "password-file", "out", "allow-weak-password!")
	if err != nil {
		return err
	}
	if len(pos) != 0 {
		return usageError("export reads otpauth URIs from standard input and takes no FILE argument")
	}
	to, ok := flags["to"]
	if !ok {
		return usageError("export needs --to FORMAT")
	}
	f, ok := formats.Lookup(to)
	if !ok || f.Exporter == nil {
		return unknownFormat(to, "export", func(f formats.Format) bool { return f.Exporter != nil })
	}
	exp := f.Exporter
	if s, ok := exp.(kdfSetter); ok && c.kdf != nil {
		exp = s.WithKDF(*c.kdf)
	}
	data, err := c.readInput("-")
	if err != nil {
		return err
	}
	accounts, err := readURIs(data)
	if err != nil {
		return err
	}
	if accounts, err = c.leaveOut(exp, f.Name, accounts); err != nil {
		return err
	}
	for i := range accounts {
		accounts[i].Order = i
	}
	var password []byte
	if exp.NeedsPassword() || flags["password-file"] != "" {
		if password, err = c.password(flags["password-file"], "New password for the "+f.Name+" file", true); err != nil {
			return err
		}
		defer clear(password)
		if err := checkNewPassword(password, flags["allow-weak-password"] != ""); err != nil {
			return err
		}
	}
	out, err := exp.Export(accounts, password)
	if err != nil {
		return explain("export", err)
	}
	return c.writeOutput(flags["out"], out)
}

// supporter is implemented by exporters that cannot hold every valid account (Google
// Authenticator: no Steam, only 30 s periods...).
type supporter interface {
	Supports(vault.Account) error
}

// leaveOut drops the accounts exp cannot hold, with one warning each (the export of the
// others is still worth having), and fails only when none is left.
func (c *cli) leaveOut(exp formats.Exporter, format string, accounts []vault.Account) ([]vault.Account, error) {
	s, ok := exp.(supporter)
	if !ok {
		return accounts, nil
	}
	var kept []vault.Account
	left := 0
	for i, a := range accounts {
		if err := s.Supports(a); err != nil {
			left++
			if left <= maxHints {
				c.warn("line %d (%s) left out: %v", i+1, formats.Label(a.Issuer, a.Name), err)
			}
			continue
		}
		kept = append(kept, a)
	}
	if left > maxHints {
		c.warn("%d more accounts left out", left-maxHints)
	}
	if len(kept) == 0 {
		return nil, &cliError{msg: fmt.Sprintf("none of the %d accounts can be written as %s", len(accounts), format), hints: c.warnings}
	}
	return kept, nil
}

// checkNewPassword applies the extension's rules for a backup password (internal/passgen):
// a file that can be attacked offline for as long as anyone likes needs a password that
// is not short, common or a pattern. allowWeak (--allow-weak-password) is for tests and
// scripts that knowingly write throwaway files.
func checkNewPassword(password []byte, allowWeak bool) error {
	if allowWeak {
		return nil
	}
	if err := passgen.Check(string(password)); err != nil {
		return &cliError{
			msg:   "the password is too weak for a file that can be attacked offline: " + cliHint(passgen.Judge(string(password)).Hint),
			hints: []string{"choose a longer one (four or five unrelated words, or random letters and digits), or pass --allow-weak-password for a throwaway file"},
			err:   err,
		}
	}
	return nil
}

// cliHint drops the extension's "press Generate" advice, which has no button here.
func cliHint(h string) string {
	return strings.Replace(h, ", or press Generate.", ".", 1)
}

func unknownFormat(name, verb string, can func(formats.Format) bool) *cliError {
	var names []string
	for _, f := range formats.All() {
		if can(f) {
			names = append(names, f.Name)
		}
	}
	if verb == "import" {
		names = append(names, "auto")
	}
	e := &cliError{usage: true, hints: []string{"formats to " + verb + ": " + strings.Join(names, ", ")}}
	if _, known := formats.Lookup(name); known {
		e.msg = fmt.Sprintf("format %q cannot %s", name, verb)
	} else {
		e.msg = fmt.Sprintf("unknown format %q", name)
	}
	if name == "" {
		e.msg = "no format given"
	}
	return e
}

func (c *cli) formatsCmd(args []string) error {
	if len(args) != 0 {
		return usageError("formats takes no arguments")
	}
	w := tabwriter.NewWriter(c.stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(w, "NAME\tIMPORT\tEXPORT\tDESCRIPTION")
	yes := func(b bool) string {
		if b {
			return "yes"
		}
		return "-"
	}
	for _, f := range formats.All() {
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\n", f.Name, yes(f.Importer != nil), yes(f.Exporter != nil), f.Description)
	}
	fmt.Fprintln(w, "auto\tyes\t-\tdetect the format of the file (import only)")
	return w.Flush()
}
