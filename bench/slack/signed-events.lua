-- wrk script: POST /slack/events, cycling through pre-signed deliveries (deliveries.lua).
-- Each wrk thread starts at a different offset so threads do not send the same delivery together.
dofile("deliveries.lua")
local n = #deliveries
local i = 0

function setup(thread)
  thread:set("offset", math.random(0, n - 1))
end

function init(args)
  i = tonumber(offset) or 0
end

request = function()
  i = (i % n) + 1
  local d = deliveries[i]
  return wrk.format("POST", "/slack/events", {
    ["Content-Type"] = "application/json",
    ["X-Slack-Request-Timestamp"] = timestamp,
    ["X-Slack-Signature"] = d[1],
  }, d[2])
end

done = function(summary, latency, requests)
  io.write(string.format("p50 %.2f ms  p99 %.2f ms  requests/s %.0f  non-2xx %d\n",
    latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    summary.requests / (summary.duration / 1e6), summary.errors.status))
end
