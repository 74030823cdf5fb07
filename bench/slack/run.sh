#!/usr/bin/env bash
# Acknowledging signed Slack event deliveries: SupportBot's POST /slack/events (in-memory state, then
# Redis) against a minimal Bolt for JavaScript app (ExpressReceiver), under the same wrk load; between them
# Kestrel's bare acknowledgement (read the body, 200, nothing else: tests/SupportBot.Benchmarks http-floor),
# the most any ASP.NET Core endpoint acknowledges on this machine under this load.
# Needs: Debian's wrk and redis-server, node + npm. Usage: bench/slack/run.sh [SECONDS] [CONNECTIONS]
set -euo pipefail
cd "$(dirname "$0")"
seconds=${1:-10}
connections=${2:-32}
repo=$(cd ../.. && pwd)
export SLACK_SIGNING_SECRET=bench-signing-secret-0123456789

# The lockfile pins Bolt and everything under it, so the baseline is the same app wherever it runs.
[ -d node_modules/@slack/bolt ] || npm ci --no-audit --no-fund --loglevel=error >/dev/null
dotnet build "$repo/bot/SupportBot.Host" -c Release -v quiet -nologo >/dev/null
dotnet build "$repo/tests/SupportBot.Benchmarks" -c Release -v quiet -nologo >/dev/null
bot="$repo/bot/SupportBot.Host/bin/Release/net10.0/supportbot.dll"
floor="$repo/tests/SupportBot.Benchmarks/bin/Release/net10.0/SupportBot.Benchmarks.dll"

pids=()
results=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT

wait_for() { for _ in $(seq 1 100); do curl -s -o /dev/null "$1" && return 0; sleep 0.2; done; echo "not up: $1"; exit 1; }

# CPU time (user + system, in clock ticks) the given processes have used so far.
ticks() { local t=0 p; for p in "$@"; do t=$((t + $(awk '{ print $14 + $15 }' "/proc/$p/stat"))); done; echo "$t"; }
hz=$(getconf CLK_TCK)

measure() { # name url pid... (the processes whose CPU the deliveries cost)
  local name=$1 url=$2; shift 2
  node make-deliveries.js 20000 deliveries.lua >/dev/null
  wrk -t2 -c"$connections" -d3s -s signed-events.lua "$url" >/dev/null   # warm-up (JIT, connections)
  node make-deliveries.js 20000 deliveries.lua >/dev/null               # fresh event ids for the measured run
  local line before after
  before=$(ticks "$@")
  line=$(wrk -t2 -c"$connections" -d"${seconds}s" --latency -s signed-events.lua "$url" | tail -n 1)
  after=$(ticks "$@")
  # CPU per delivery: the app's processes' CPU over the run divided by the deliveries answered.
  line="$line  cpu/delivery $(awk -v t=$((after - before)) -v hz="$hz" -v r="$(field "$line" requests/s)" -v s="$seconds" \
    'BEGIN { printf "%.0f", t / hz * 1e6 / (r * s) }') us"
  printf '%-28s %s\n' "$name" "$line"
  results+=("$line")
}

# "p50 X ms  p99 Y ms  requests/s Z  non-2xx N" -> field
field() { awk -v k="$2" '{ for (i = 1; i < NF; i++) if ($i == k) print $(i + 1) }' <<<"$1"; }
ratios() { # name line: throughput, p99 and CPU per delivery against Bolt's (results[0])
  awk -v name="$1" -v r="$(field "$2" requests/s)" -v br="$(field "${results[0]}" requests/s)" \
      -v p="$(field "$2" p99)" -v bp="$(field "${results[0]}" p99)" \
      -v c="$(field "$2" cpu/delivery)" -v bc="$(field "${results[0]}" cpu/delivery)" \
    'BEGIN { printf "%-28s %.1fx Bolt'"'"'s requests/s, p99 %.2fx Bolt'"'"'s, CPU per delivery %.2fx Bolt'"'"'s\n", name, r / br, p / bp, c / bc }'
}

# The worker's Web API calls go to a closed loopback port: only the acknowledgement path is measured. With no
# auth.test to name the workspace, Slack:AllowedTeams names the deliveries' team; the per-workspace rate limit is
# lifted, since every delivery comes from that one workspace.
serve() { # port extra-args...
  local port=$1; shift
  dotnet "$bot" serve --urls "http://127.0.0.1:$port" --Slack:SigningSecret=$SLACK_SIGNING_SECRET \
    --Slack:BotToken=xoxb-bench --Slack:ApiBaseUrl=http://127.0.0.1:9/api/ --Queue:Concurrency=1 \
    --Slack:AllowedTeams=T0001 --Slack:WorkspaceRequestsPerMinute=100000000 --WarmUp:Rounds=0 \
    --Logging:LogLevel:Default=Critical "$@" >/dev/null 2>&1 &
  pids+=($!)
  wait_for "http://127.0.0.1:$port/healthz"
}

PORT=3901 node bolt-app.js >/dev/null 2>&1 & pids+=($!)
sleep 2
measure "bolt (ExpressReceiver)" http://127.0.0.1:3901 "${pids[-1]}"
kill "${pids[-1]}"; sleep 1

# The floor runs with the bot's runtime settings (workstation GC, tiered PGO off), so the rows compare like for like.
DOTNET_TieredPGO=0 DOTNET_gcServer=0 dotnet "$floor" http-floor 3905 >/dev/null 2>&1 & pids+=($!)
wait_for "http://127.0.0.1:3905/healthz"
measure "kestrel, bare 200 (floor)" http://127.0.0.1:3905 "${pids[-1]}"
kill "${pids[-1]}"; sleep 1

serve 3902
measure "supportbot (in-memory)" http://127.0.0.1:3902 "${pids[-1]}"
kill "${pids[-1]}"; sleep 1

redis_port=3903
redis-server --port $redis_port --bind 127.0.0.1 --save '' --appendonly no >/dev/null 2>&1 & pids+=($!)
redis_pid=$!
sleep 0.5
serve 3904 --Redis:Configuration=127.0.0.1:$redis_port --Redis:KeyPrefix=bench
measure "supportbot (Redis)" http://127.0.0.1:3904 "${pids[-1]}" "$redis_pid"

echo
ratios "kestrel, bare 200 (floor)" "${results[1]}"
ratios "supportbot (in-memory)" "${results[2]}"
ratios "supportbot (Redis)" "${results[3]}"
