// A minimal bot on the Bot Framework JavaScript SDK (CloudAdapter), validating channel tokens against
// the same OpenID stand-in as SupportBot. Its turn does nothing: only authentication, parsing and the
// acknowledgement are measured. Usage: node jsbot.js PORT APP_ID OPENID_METADATA_URL TOKEN_URL
"use strict";
const http = require("http");
const { CloudAdapter, ConfigurationBotFrameworkAuthentication } = require("botbuilder");

const [port, appId, metadataUrl, tokenUrl] = process.argv.slice(2);
const auth = new ConfigurationBotFrameworkAuthentication({
  MicrosoftAppId: appId,
  MicrosoftAppPassword: "bench-secret",
  MicrosoftAppType: "MultiTenant",
  ValidateAuthority: true,
  ToBotFromChannelTokenIssuer: "https://api.botframework.com",
  ToBotFromChannelOpenIdMetadataUrl: metadataUrl,
  ToBotFromEmulatorOpenIdMetadataUrl: metadataUrl,
  ToChannelFromBotLoginUrl: tokenUrl,
  ToChannelFromBotOAuthScope: "https://api.botframework.com",
  OAuthUrl: "https://api.botframework.com",
  CallerId: "urn:botframework:azure",
});
const adapter = new CloudAdapter(auth);

// The SDK expects express/restify-style objects with a parsed body; this is the thinnest such shim.
http.createServer((req, res) => {
  const chunks = [];
  req.on("data", (c) => chunks.push(c));
  req.on("end", async () => {
    try {
      req.body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
    } catch {
      res.statusCode = 400;
      return res.end();
    }
    const response = {
      socket: res.socket,
      status(code) { res.statusCode = code; },
      header(name, value) { res.setHeader(name, value); },
      send(body) {
        if (typeof body === "object") { res.setHeader("content-type", "application/json"); res.write(JSON.stringify(body)); }
        else res.write(String(body));
      },
      end() { res.end(); },
    };
    await adapter.process(req, response, async () => {});
  });
}).listen(Number(port), "127.0.0.1", () => console.log(`listening on ${port}`));
