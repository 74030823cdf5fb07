#!/usr/bin/env bash
# Acknowledging signed Slack event deliveries: SupportBot's POST /slack/events (in-memory state, then
# Redis) against a minimal Bolt for JavaScript app (ExpressReceiver), under the same wrk load.
# Needs: Debian's wrk and redis-server, node + npm. Usage: bench/slack/run.sh [SECONDS] [CONNECTIONS]
set -euo pipefail
cd "$(dirname "$0")"
seconds=${1:-10}
connections=${2:-32}
repo=$(cd ../.. && pwd)
export SLACK_SIGNING_SECRET=bench-signing-secret-0123456789

[ -d node_modules/@slack/bolt ] || npm install --no-audit --no-fund >/dev/null
dotnet build "$repo/bot/SupportBot.Host" -c Release -v quiet -nologo >/dev/null
bot="$repo/bot/SupportBot.Host/bin/Release/net10.0/supportbot.dll"

pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT

wait_for() { for _ in $(seq 1 100); do curl -s -o /dev/null "$1" && return 0; sleep 0.2; done; echo "not up: $1"; exit 1; }

measure() { # name url
  node make-deliveries.js 20000 deliveries.lua >/dev/null
  wrk -t2 -c"$connections" -d3s -s signed-events.lua "$2" >/dev/null   # warm-up (JIT, connections)
  node make-deliveries.js 20000 deliveries.lua >/dev/null               # fresh event ids for the measured run
  printf '%-28s ' "$1"
  wrk -t2 -c"$connections" -d"${seconds}s" --latency -s signed-events.lua "$2" | tail -n 1
}

# The worker's Web API calls go to a closed loopback port: only the acknowledgement path is measured.
serve() { # port extra-args...
  local port=$1; shift
  dotnet "$bot" serve --urls "http://127.0.0.1:$port" --Slack:SigningSecret=$SLACK_SIGNING_SECRET \
    --Slack:BotToken=xoxb-bench --Slack:ApiBaseUrl=http://127.0.0.1:9/api/ --Queue:Concurrency=1 \
    --Logging:LogLevel:Default=Critical "$@" >/dev/null 2>&1 &
  pids+=($!)
  wait_for "http://127.0.0.1:$port/healthz"
}

PORT=3901 node bolt-app.js >/dev/null 2>&1 & pids+=($!)
sleep 2
measure "bolt (ExpressReceiver)" http://127.0.0.1:3901
kill "${pids[-1]}"; sleep 1

serve 3902
measure "supportbot (in-memory)" http://127.0.0.1:3902
kill "${pids[-1]}"; sleep 1

redis_port=3903
redis-server --port $redis_port --bind 127.0.0.1 --save '' --appendonly no >/dev/null 2>&1 & pids+=($!)
sleep 0.5
serve 3904 --Redis:Configuration=127.0.0.1:$redis_port --Redis:KeyPrefix=bench
measure "supportbot (Redis)" http://127.0.0.1:3904
