// A minimal Bolt for JavaScript app: ExpressReceiver verifies the signature, parses the event and
// acknowledges it; the handler does nothing. The baseline SupportBot's /slack/events is measured against.
const { App, ExpressReceiver } = require('@slack/bolt');

const receiver = new ExpressReceiver({ signingSecret: process.env.SLACK_SIGNING_SECRET, endpoints: '/slack/events' });
const app = new App({
  token: 'xoxb-bench',
  receiver,
  tokenVerificationEnabled: false,
  logLevel: 'error',
});
app.event('app_mention', async () => {});
app.error(async () => {});

(async () => {
  await app.start(Number(process.env.PORT || 3000), '127.0.0.1');
  console.log(`bolt listening on 127.0.0.1:${process.env.PORT || 3000}`);
})();
