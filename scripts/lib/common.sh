# Shared shell helpers for qvirt's scripts. Source, don't execute.
export QVIRT_CACHE="${QVIRT_CACHE:-$HOME/.cache/qvirt}"
QVIRT_LOG_DIR="${QVIRT_LOG_DIR:-$QVIRT_CACHE/logs}"
mkdir -p "$QVIRT_CACHE" "$QVIRT_LOG_DIR"

# sudo only when not root.
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

# run_step NAME CMD...: prints the step with its elapsed time; on failure names the step and its log.
run_step() {
  local name=$1; shift
  local log="$QVIRT_LOG_DIR/$(echo "$name" | tr ' /' '__').log"
  local start=$SECONDS
  printf '==> %s ... ' "$name"
  if "$@" >"$log" 2>&1; then
    printf 'done (%ss)\n' "$((SECONDS - start))"
  else
    local rc=$?
    printf 'FAILED (%ss, exit %s)\n' "$((SECONDS - start))" "$rc"
    echo "    step '$name' failed; its log is $log. Last lines:" >&2
    tail -n 30 "$log" | sed 's/^/    | /' >&2
    return "$rc"
  fi
}

# apt_install PKG...: installs the Debian packages that are missing, with one apt-get update.
apt_install() {
  local missing=()
  for p in "$@"; do dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
}
