#!/usr/bin/env bash
# Runs every test against real parts: installs Debian's redis-server and chromium when missing,
# starts Redis on a free loopback port, runs `dotnet test`, stops Redis, and ends with one line:
# "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")"

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

missing=()
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
[ -x /usr/bin/chromium ] || missing+=(chromium)
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing ${missing[*]} (Debian packages)..."
  as_root apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "${missing[@]}" >/dev/null || { echo "could not install ${missing[*]}"; echo "0 passed, 1 failed"; exit 1; }
fi

# The official Adaptive Cards library and Teams app manifest schemas validate what the Teams surface makes (tests/teams-validation).
if [ ! -d tests/teams-validation/node_modules/@microsoft/app-manifest ]; then
  command -v npm >/dev/null 2>&1 || { as_root apt-get update -qq >/dev/null; DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq nodejs npm >/dev/null; }
  npm install --prefix tests/teams-validation --no-audit --no-fund --loglevel=error >/dev/null || { echo "could not install adaptivecards and @microsoft/app-manifest (npm)"; echo "0 passed, 1 failed"; exit 1; }
fi

# A free loopback port: one nothing answers on.
port=""
for _ in $(seq 1 50); do
  candidate=$(( 20000 + RANDOM % 40000 ))
  if ! (exec 3<>"/dev/tcp/127.0.0.1/$candidate") 2>/dev/null; then port=$candidate; break; fi
done
[ -n "$port" ] || { echo "no free port for redis-server"; echo "0 passed, 1 failed"; exit 1; }

work=$(mktemp -d)
redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no --daemonize yes \
  --pidfile "$work/redis.pid" --logfile "$work/redis.log" --dir "$work" >/dev/null
stop_redis() {
  if [ -f "$work/redis.pid" ]; then
    pid="$(cat "$work/redis.pid")"
    kill "$pid" 2>/dev/null
    # Redis may still be writing its files as it exits: wait for it (at most 10 s) before removing the folder.
    for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  fi
  rm -rf "$work" 2>/dev/null || true
}
trap stop_redis EXIT
for _ in $(seq 1 50); do redis-cli -p "$port" ping >/dev/null 2>&1 && break; sleep 0.1; done

export SUPPORTBOT_TEST_REDIS="127.0.0.1:$port"
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1
results="$work/results"
dotnet test SupportBot.sln -c Release --logger "trx" --results-directory "$results" "$@"
status=$?

passed=0; failed=0
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters"); f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
  passed=$(( passed + ${p:-0} )); failed=$(( failed + ${f:-0} ))
done
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi  # the build or a test host failed
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
