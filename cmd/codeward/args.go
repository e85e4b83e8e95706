package main

import "strings"

// parseFlags reads --name value, --name=value (one dash works too) anywhere among the
// arguments; "--" ends the flags. Every flag takes a value, except those named with a
// trailing "!" in names (switches such as "allow-weak-password!"), which take none and
// read as "true". The standard flag package stops at the first positional argument, which
// would make "import FILE --from x" fail.
func parseFlags(args []string, names ...string) (flags map[string]string, positional []string, err error) {
	known := make(map[string]bool, len(names))
	switches := map[string]bool{}
	for _, n := range names {
		if s, ok := strings.CutSuffix(n, "!"); ok {
			switches[s] = true
			n = s
		}
		known[n] = true
	}
	flags = map[string]string{}
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			return flags, append(positional, args[i+1:]...), nil
		}
		if len(a) < 2 || a[0] != '-' {
			positional = append(positional, a)
			continue
		}
		name := strings.TrimPrefix(strings.TrimPrefix(a, "-"), "-")
		name, value, hasValue := strings.Cut(name, "=")
		if !known[name] {
			return nil, nil, usageError("unknown flag %q", "--"+name)
		}
		if _, dup := flags[name]; dup {
			return nil, nil, usageError("--%s given twice", name)
		}
		if switches[name] {
			if hasValue {
				return nil, nil, usageError("--%s takes no value", name)
			}
			flags[name] = "true"
			continue
		}
		if !hasValue {
			if i+1 >= len(args) {
				return nil, nil, usageError("--%s needs a value", name)
			}
			i++
			value = args[i]
		}
		flags[name] = value
	}
	return flags, positional, nil
}
