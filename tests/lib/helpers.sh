# Shell helpers the kernel suites share (busybox sh).  Source it after
# ktap.sh.  What they read, set by the suite: LUA (the scripts' folder,
# default /lib/modules/lua), TMP (a scratch chunk), ERR (a scratch error
# file), PRELUDE (Lua put before every chunk ok and err run; joined into
# one line: whole-line comments are dropped, others are not allowed), EVAL
# (what runs a chunk file, default lunatik-eval).
: "${LUA:=/lib/modules/lua}"
: "${EVAL:=lunatik-eval}"
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
	t "$1" $EVAL $TMP
}

# fails_like PATTERN FILE: the chunk in FILE raises, its last line
# matching PATTERN (an extended regex)
fails_like()
{
	if out=$($EVAL "$2"); then
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

# fixture NAME BODY: the script NAME (lunatik run NAME) is FIXTURE (the
# suite's lines every script starts with, if set) and BODY
fixture()
{
	{
		[ -z "${FIXTURE:-}" ] || printf '%s\n' "$FIXTURE"
		printf '%s\n' "$2"
	} >"$LUA/$1.lua"
}

# run_fails PATTERN SCRIPT [ARG...]: `lunatik run SCRIPT ARG...` fails
# with PATTERN, on its standard error or in the kernel's log
run_fails()
{
	_p=$1 _s=$2
	shift 2
	dmesg -c >/dev/null
	if lunatik run "$_s" "$@" 2>$ERR; then
		echo "unexpected success"
		lunatik stop "$_s"
		return 1
	fi
	cat $ERR
	grep -Eq "$_p" $ERR || dmesg | grep -Eq "$_p"
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

# fails_with PATTERN CMD...: CMD fails, its standard error matching PATTERN
fails_with()
{
	_pat=$1
	shift
	if "$@" 2>$ERR; then
		echo "unexpected success"
		return 1
	fi
	cat $ERR
	grep -Eq "$_pat" $ERR
}

# within SECONDS CMD...: CMD succeeds before SECONDS pass (polled every
# 0.2 s).  A bound on a wait that must end, never a speed measurement:
# the bounds are tens of times what the event takes on a loaded host.
within()
{
	_n=$(($1 * 5))
	shift
	while [ $_n -gt 0 ]; do
		"$@" >/dev/null 2>&1 && return 0
		sleep 0.2
		_n=$((_n - 1))
	done
	"$@"
}

# eventually RT EXPR: true_in, within 30 s
eventually() { within 30 true_in "$@"; }

# loaded MODULE, not_loaded MODULE: in /proc/modules, or not
loaded() { grep -q "^$1 " /proc/modules; }
not_loaded() { ! loaded "$1"; }

# listed NAME [CTX], not_listed NAME: `lunatik list` shows the script
# (in that context), or not
listed()
{
	if [ $# -gt 1 ]; then
		lunatik list | grep -qx "$1 $2"
	else
		lunatik list | grep -q "^$1 "
	fi
}
not_listed() { ! lunatik list | grep -q "^$1 "; }

# prints TEXT CMD...: CMD succeeds, its standard output exactly TEXT
prints()
{
	_want=$1
	shift
	_got=$("$@") || return 1
	echo "$_got"
	[ "$_got" = "$_want" ]
}

# gone PID, alive PID: the process has ended, or not
gone() { ! kill -0 "$1" 2>/dev/null; }
alive() { kill -0 "$1" 2>/dev/null; }

# kthread NAME: a task of that name runs; no_kthread NAME: none does
# within 30 s (an exited kthread leaves /proc a little after
# kthread_stop() returns)
kthread() { grep -qx "$1" /proc/[0-9]*/comm 2>/dev/null; }
_no_kthread() { ! kthread "$1"; }
no_kthread() { within 30 _no_kthread "$1"; }

# ready FILE: the peer in the background printed a line "ready..." there,
# within 30 s
_ready() { grep -q '^ready' "$1" 2>/dev/null; }
ready()
{
	within 30 _ready "$1" && return 0
	echo "peer not ready:"
	cat "$1"
	return 1
}

# peer_done PID FILE LINE...: the peer ended well and printed each LINE
peer_done()
{
	_pid=$1 _f=$2
	shift 2
	wait "$_pid" || { echo "peer failed:"; cat "$_f"; return 1; }
	for _l in "$@"; do
		grep -qx "$_l" "$_f" || { echo "no '$_l':"; cat "$_f"; return 1; }
	done
}
