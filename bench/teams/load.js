// Sends the same authenticated Teams activities to a bot with autocannon and prints one JSON line:
// requests/s, latency p50/p99 (ms), non-2xx responses. Each activity has a unique id, as Teams sends
// them (set per request: autocannon's idReplacement keeps the template's Content-Length). Usage: node load.js URL TOKEN SERVICE_URL CONNECTIONS SECONDS
"use strict";
const autocannon = require("autocannon");

const [url, token, serviceUrl, connections, seconds] = process.argv.slice(2);
// A reaction on one of the bot's answers: authenticated, parsed, and (for SupportBot) taken through
// the gateway as feedback; no answer is drafted, so only the acknowledgement path is measured.
const activity = {
  type: "messageReaction",
  id: "",
  timestamp: "2026-01-07T06:04:59.89Z",
  serviceUrl,
  channelId: "msteams",
  from: { id: "29:1uMVvhoAyfTqdMsyvHL0qlJTTfQF9MOUSI8", name: "Rido", aadObjectId: "c5e99701-2a32-49c1-a660-4629ceeb8c61" },
  recipient: { id: "28:bench-bot", name: "SupportBot" },
  conversation: { id: "a:17vxw6pGQOb3Zfh8acXT8m_PqHycYpaFgzu2mFMUfkT", conversationType: "personal", tenantId: "56653e9d-2158-46ee-90d7-675c39642038" },
  channelData: { tenant: { id: "56653e9d-2158-46ee-90d7-675c39642038" } },
  replyToId: "1767765488332",
  reactionsAdded: [{ type: "like" }],
};
let sent = 0;
autocannon({
  url,
  method: "POST",
  connections: Number(connections),
  duration: Number(seconds),
  headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
  requests: [{
    method: "POST",
    setupRequest: (request) => {
      sent += 1;
      return { ...request, body: JSON.stringify({ ...activity, id: `${process.pid}-${sent}` }) };
    },
  }],
}, (err, result) => {
  if (err) throw err;
  console.log(JSON.stringify({
    rps: Math.round(result.requests.average),
    p50_ms: result.latency.p50,
    p99_ms: result.latency.p99,
    requests: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors,
  }));
});
