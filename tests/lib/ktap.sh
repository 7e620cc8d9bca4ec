# KTAP for shell suites (busybox sh).  Source it, then:
#   t "name" command args...     one test case: passes if the command does
#   t_fail "name" command...     one test case: passes if the command fails
#   ktap_done                    prints the document and exits 0 iff all ok
# Output of a failing command is kept as diagnostic lines; a case that
# took 20 s or more says so in one ("# took N s"), to find slow ones.
_ktap_n=0
_ktap_t0=0
_ktap_fail=0
_ktap_buf=$(mktemp)

_ktap_record()
{
	_ktap_n=$((_ktap_n + 1))
	if [ "$1" = 0 ]; then
		echo "ok $_ktap_n - $2" >>"$_ktap_buf"
		_ktap_took
	else
		echo "not ok $_ktap_n - $2" >>"$_ktap_buf"
		sed 's/^/# /' "$_ktap_buf.out" | head -n 20 >>"$_ktap_buf"
		_ktap_took
		_ktap_fail=1
	fi
}

_ktap_took()
{
	_s=$(($(date +%s) - _ktap_t0))
	[ "$_s" -lt 20 ] || echo "# took $_s s" >>"$_ktap_buf"
}

t()
{
	_name=$1
	shift
	_ktap_t0=$(date +%s)
	"$@" >"$_ktap_buf.out" 2>&1
	_ktap_record $? "$_name"
}

t_fail()
{
	_name=$1
	shift
	_ktap_t0=$(date +%s)
	if "$@" >"$_ktap_buf.out" 2>&1; then
		echo "unexpected success" >>"$_ktap_buf.out"
		_ktap_record 1 "$_name"
	else
		_ktap_record 0 "$_name"
	fi
}

t_skip()
{
	_ktap_n=$((_ktap_n + 1))
	echo "ok $_ktap_n - $1 # SKIP $2" >>"$_ktap_buf"
}

ktap_done()
{
	echo "KTAP version 1"
	echo "1..$_ktap_n"
	cat "$_ktap_buf"
	rm -f "$_ktap_buf" "$_ktap_buf.out"
	exit $_ktap_fail
}
