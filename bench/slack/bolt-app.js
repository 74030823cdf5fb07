// A minimal Bolt for JavaScript app: ExpressReceiver verifies the signature, parses the event and
// acknowledges it; the handler does nothing. The baseline SupportBot's /slack/events is measured against.
const { App, ExpressReceiver } = require('@slack/bolt');

const receiver = new ExpressReceiver({ signingSecret: process.env.SLACK_SIGNING_SECRET, endpoints: '/slack/events' });
const app = new App({
  token: 'xoxb-bench',
  receiver,
  // Known ids: otherwise Bolt calls auth.test on the first event.
  botId: 'BBOT0001',
  botUserId: 'UBOT0001',
  tokenVerificationEnabled: false,
  logLevel: 'error',
});
app.event('app_mention', async () => {});
app.error(async () => {});

// The receiver's Express app, bound to loopback only (App.start would listen on every interface).
const port = Number(process.env.PORT || 3000);
receiver.app.listen(port, '127.0.0.1', () => console.log(`bolt listening on 127.0.0.1:${port}`));
