# Shell helpers the kernel suites share (busybox sh).  Source it after
# ktap.sh.  What they read, set by the suite: LUA (the scripts' folder,
# default /lib/modules/lua), TMP (a scratch chunk), ERR (a scratch error
# file), PRELUDE (Lua put before every chunk ok and err run; joined into
# one line: whole-line comments are dropped, others are not allowed).
: "${LUA:=/lib/modules/lua}"
# the suite's name, as the VM lists it
SUITE=$(cat .name 2>/dev/null || basename "$PWD")

# chunk NAME CHUNK: CHUNK after PRELUDE, named SUITE/NAME, with the
# chunk's own line numbers (PRELUDE shares its first line)
chunk()
{
	printf '%s\n' "--@$SUITE/$1"
	printf '%s %s\n' "$(printf '%s\n' "$PRELUDE" |
		sed 's/^[[:space:]]*--.*$//' | tr '\n' ' ')" "$2"
}

# ok NAME CHUNK: PRELUDE and CHUNK run in a fresh state, without error
ok()
{
	chunk "$1" "$2" >$TMP
	t "$1" lunatik-eval $TMP
}

# fails_like PATTERN FILE: the chunk in FILE raises, its last line
# matching PATTERN (an extended regex)
fails_like()
{
	if out=$(lunatik-eval "$2"); then
		echo "unexpected success: $out"
		return 1
	fi
	echo "$out"
	echo "$out" | tail -n 1 | grep -Eq "$1"
}

# err NAME PATTERN CHUNK: PRELUDE and CHUNK raise PATTERN
err()
{
	chunk "$1" "$3" >$TMP
	t "$1" fails_like "$2" $TMP
}

# fixture NAME BODY: the script NAME (lunatik run NAME) is BODY
fixture()
{
	printf '%s\n' "$2" >"$LUA/$1.lua"
}

# run_fails PATTERN SCRIPT [CTX]: `lunatik run` fails with PATTERN, on
# its standard error or in the kernel's log
run_fails()
{
	dmesg -c >/dev/null
	if lunatik run "$2" $3 2>$ERR; then
		echo "unexpected success"
		lunatik stop "$2"
		return 1
	fi
	cat $ERR
	grep -Eq "$1" $ERR || dmesg | grep -Eq "$1"
}

# true_in RT EXPR: EXPR, evaluated in runtime RT, is true
true_in()
{
	_got=$(lunatik exec "$1" "$2") || return 1
	echo "$_got"
	[ "$_got" = true ]
}

# exec_fails PATTERN RT CHUNK: CHUNK, run in runtime RT, raises PATTERN
exec_fails()
{
	if lunatik exec "$2" "$3" 2>$ERR; then
		echo "unexpected success"
		return 1
	fi
	cat $ERR
	grep -Eq "$1" $ERR
}
