# Shared by the tools/ scripts (sourced, POSIX sh).
CACHE=${LUNATIK_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/lunatik}
mkdir -p "$CACHE"

log() { echo "[$(basename "$0")] $*" >&2; }
die() { echo "[$(basename "$0")] error: $*" >&2; exit 1; }

# The stock kernel's release, from the installed headers metapackage.
stock_kver()
{
	dpkg-query -W -f='${Depends}' linux-headers-amd64 2>/dev/null |
		sed -n 's/.*linux-headers-\([^ ,]*-amd64\).*/\1/p'
}
