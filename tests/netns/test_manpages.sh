#!/bin/bash
# The man pages in man/ must render without groff warnings and must stay
# true to the code: every config section and key the parser accepts
# (daemon/config.c, daemon/config_overlay.c) is documented in evpnd.conf.5,
# every evpnd option (getopt string) and every environment variable the
# daemon reads is in evpnd.8, and every command in evpnctl's usage text
# (tools/evpnctl/main.c) is in evpnctl.8. Needs no root and no namespaces:
# it only reads files. Exit 0 pass, 1 fail, 77 skip (no groff).
set -euo pipefail

EVPN_ROOT=${EVPN_ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
MAN=$EVPN_ROOT/man
fails=0
fail() { echo "FAIL: $*" >&2; fails=$((fails + 1)); }

command -v groff >/dev/null || { echo "SKIP: groff not installed"; exit 77; }

# roff source with the escaped hyphens made plain, for grepping
plain() { sed 's/\\-/-/g' "$MAN/$1"; }

# 1. render each page; any warning fails
for p in evpnd.8 evpnd.conf.5 evpnctl.8; do
	[ -f "$MAN/$p" ] || { fail "man/$p missing"; continue; }
	w=$(groff -man -Tutf8 -ww "$MAN/$p" 2>&1 >/dev/null) || fail "$p: groff failed"
	[ -z "$w" ] || fail "$p: groff warnings: $w"
	[ -n "$(groff -man -Tutf8 "$MAN/$p" 2>/dev/null)" ] || fail "$p renders empty"
done

# 2. config sections and keys, read from the parser's tables
conf=$(plain evpnd.conf.5)
srcs="$EVPN_ROOT/daemon/config.c $EVPN_ROOT/daemon/config_overlay.c"
sections=$(grep -ho '\.name = "[a-z-]*"' $srcs | sed 's/.*"\(.*\)"/\1/')
[ -n "$sections" ] || fail "no sections found in the parser (test out of date?)"
for s in $sections; do
	grep -q "^\.SS \[$s[] ]" <<<"$conf" || fail "evpnd.conf.5: no [$s] section"
done
# every { "key", fn } line inside a 'struct cfg_key NAME[] = {' table
keys=$(awk '/struct cfg_key [a-z_]+\[\] = \{/ { t = 1; next }
	    t && /^\};/ { t = 0 }
	    t && match($0, /\{ "[a-z0-9-]+"/) {
		print substr($0, RSTART + 3, RLENGTH - 4) }' $srcs)
nkeys=$(wc -w <<<"$keys")
[ "$nkeys" -ge 30 ] || fail "only $nkeys config keys found (test out of date?)"
for k in $keys; do
	# documented as a tagged paragraph: .BI "key = " or .BR "key = value"
	grep -Eq "^\.(B|BI|BR) \"$k = " <<<"$conf" ||
		fail "evpnd.conf.5: key '$k' not documented"
done

# 3. evpnd options and environment variables
d8=$(plain evpnd.8)
opts=$(grep -Eo 'getopt(_long)?\(argc, argv, "[^"]*"' "$EVPN_ROOT/daemon/main.c" |
       sed 's/.*"\(.*\)"/\1/; s/://g')
[ -n "$opts" ] || fail "no getopt string in daemon/main.c"
for ((i = 0; i < ${#opts}; i++)); do
	o=${opts:i:1}
	grep -Eq "^\.(B|BI) -$o( |$)" <<<"$d8" || fail "evpnd.8: option -$o missing"
done
# and the long options (struct option table: { "name", ...)
for o in $(sed -n '/struct option [a-z_]*\[\] = {/,/^};/p' "$EVPN_ROOT/daemon/main.c" |
	   grep -o '{ "[a-z-]*"' | sed 's/{ "//; s/"//'); do
	grep -Eq "^\.(B|BI) -.*--$o( |\"|$)" <<<"$d8" || fail "evpnd.8: option --$o missing"
done
for v in $(grep -rho 'getenv("[A-Z_]*")' "$EVPN_ROOT/daemon" |
	   sed 's/.*"\(.*\)".*/\1/' | sort -u); do
	grep -q "^\.B $v$" <<<"$d8" || fail "evpnd.8: environment $v missing"
done

# 4. evpnctl: every command of the usage text, and its environment
c8=$(plain evpnctl.8)
cmds=$(sed -n '/^static void usage/,/^}/p' "$EVPN_ROOT/tools/evpnctl/main.c" |
       grep -o 'evpnctl [^"]*' | sed 's/\\n$//; s/^evpnctl //' |
       sed -E 's/ \| (show|set|link|key|fdb|events) /\n\1 /g' |
       awk '$1 ~ /^(link|key|fdb)$/ { print $1 "_" $2; next } { print $1 }' |
       sort -u)
[ "$(wc -w <<<"$cmds")" -ge 10 ] || fail "too few evpnctl commands found"
for c in $cmds; do
	c=${c/_/ }
	grep -q "^\.B evpnctl $c\( \|$\)" <<<"$c8" ||
		fail "evpnctl.8: '$c' missing from SYNOPSIS"
	case $c in --version) continue ;; esac
	grep -Eq "^\.(B|BI|BR) \"?$c( |\"|$)" <<<"$c8" ||
		fail "evpnctl.8: '$c' missing from COMMANDS"
done
for v in $(grep -rho 'getenv("[A-Z_]*")' "$EVPN_ROOT/tools/evpnctl" |
	   sed 's/.*"\(.*\)".*/\1/' | sort -u); do
	grep -q "^\.B $v$" <<<"$c8" || fail "evpnctl.8: environment $v missing"
done

if [ "$fails" -ne 0 ]; then
	echo "test_manpages: $fails failure(s)"
	exit 1
fi
echo "test_manpages: ok ($nkeys config keys, $(wc -w <<<"$cmds") evpnctl commands)"
