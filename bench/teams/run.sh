#!/usr/bin/env bash
# Authenticated Teams activity acknowledgement: SupportBot against a minimal Bot Framework JavaScript
# SDK bot (CloudAdapter), same token, same OpenID stand-in, same load, one after the other.
# Usage: bench/teams/run.sh [CONNECTIONS] [SECONDS]   (defaults 32 and 15; a 3-second warm-up precedes each run)
set -euo pipefail
cd "$(dirname "$0")"
connections=${1:-32}; seconds=${2:-15}
app_id=0b6fe6d1-fece-44f7-9a48-56465e2d5ab8
[ -d node_modules/botbuilder ] || npm install --no-audit --no-fund --loglevel=error >/dev/null
root=$(cd ../.. && pwd)
dotnet build "$root/bot/SupportBot.Host" -c Release -v q -nologo >/dev/null

pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT

coproc STANDIN { exec node standin.js "$app_id"; }
pids+=("$STANDIN_PID")
read -r line <&"${STANDIN[0]}"
port=$(node -pe "JSON.parse(process.argv[1]).port" "$line")
token=$(node -pe "JSON.parse(process.argv[1]).token" "$line")
service_url=$(node -pe "JSON.parse(process.argv[1]).serviceUrl" "$line")
metadata="http://127.0.0.1:$port/v1/.well-known/openidconfiguration"
token_url="http://127.0.0.1:$port/botframework.com/oauth2/v2.0/token"

free_port() { node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }
wait_for() { for _ in $(seq 1 300); do curl -s -o /dev/null "http://127.0.0.1:$1/" && return 0; sleep 0.1; done; echo "bot on $1 never started" >&2; exit 1; }

measure() {
  local name=$1 url=$2
  node load.js "$url" "$token" "$service_url" "$connections" 3 >/dev/null
  echo "$name $(node load.js "$url" "$token" "$service_url" "$connections" "$seconds")"
}

js_port=$(free_port)
node jsbot.js "$js_port" "$app_id" "$metadata" "$token_url" >/dev/null 2>&1 & pids+=($!)
wait_for "$js_port"
measure "botbuilder-js" "http://127.0.0.1:$js_port/api/messages"
kill "${pids[-1]}"

sb_port=$(free_port)
dotnet "$root/bot/SupportBot.Host/bin/Release/net10.0/supportbot.dll" --urls "http://127.0.0.1:$sb_port" \
  --Teams:AppId="$app_id" --Teams:AppPassword=bench-secret --Teams:OpenIdMetadataUrl="$metadata" --Teams:TokenEndpoint="$token_url" \
  --Logging:LogLevel:Default=Warning >/dev/null 2>&1 & pids+=($!)
wait_for "$sb_port"
measure "supportbot" "http://127.0.0.1:$sb_port/api/messages"
