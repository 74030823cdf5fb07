// Writes deliveries.lua for wrk: N distinct app_mention deliveries (distinct event_id and ts), each signed
// now with Slack's v0 algorithm. Signatures are valid for five minutes: generate right before a run.
const crypto = require('crypto');
const fs = require('fs');

const secret = process.env.SLACK_SIGNING_SECRET;
const count = Number(process.argv[2] || 5000);
const out = process.argv[3] || 'deliveries.lua';
const ts = Math.floor(Date.now() / 1000).toString();
const run = crypto.randomBytes(4).toString('hex');
const lines = ['deliveries = {'];
for (let i = 0; i < count; i++) {
  const mts = `1710000000.${String(i).padStart(6, '0')}`;
  const body = JSON.stringify({
    token: 'legacy', team_id: 'T0001', api_app_id: 'A0001', type: 'event_callback',
    event_id: `Ev${run}${i}`, event_time: Number(ts),
    authorizations: [{ team_id: 'T0001', user_id: 'UBOT0001', is_bot: true }],
    event: { type: 'app_mention', user: 'UAGENT01', text: '<@UBOT0001> help', ts: mts, channel: 'C0BENCH', event_ts: mts },
  });
  const sig = 'v0=' + crypto.createHmac('sha256', secret).update(`v0:${ts}:${body}`).digest('hex');
  lines.push(`  {${JSON.stringify(sig)}, ${JSON.stringify(body)}},`);
}
lines.push('}');
lines.push(`timestamp = "${ts}"`);
fs.writeFileSync(out, lines.join('\n') + '\n');
console.log(`wrote ${count} deliveries to ${out}`);
