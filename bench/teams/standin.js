// Bot Framework on loopback for the benchmark: OpenID metadata and a JWKS with one RSA key endorsed
// for msteams, a token endpoint and a Connector that accept everything. Prints one JSON line
// {"port","token"}: a channel token minted exactly as Bot Framework signs them (RS256, iss
// https://api.botframework.com, aud = the app id, serviceurl claim), valid for an hour.
"use strict";
const http = require("http");
const crypto = require("crypto");

const appId = process.argv[2];
const { publicKey, privateKey } = crypto.generateKeyPairSync("rsa", { modulusLength: 2048 });
const kid = "bench-key-1";
const jwk = { ...publicKey.export({ format: "jwk" }), kid, use: "sig", endorsements: ["msteams"] };

const server = http.createServer((req, res) => {
  const base = `http://127.0.0.1:${server.address().port}`;
  const json = (status, body) => { res.writeHead(status, { "content-type": "application/json" }); res.end(JSON.stringify(body)); };
  req.resume();
  req.on("end", () => {
    if (req.url === "/v1/.well-known/openidconfiguration") {
      return json(200, { issuer: "https://api.botframework.com", jwks_uri: `${base}/v1/.well-known/keys`, id_token_signing_alg_values_supported: ["RS256"], token_endpoint_auth_methods_supported: ["private_key_jwt"] });
    }
    if (req.url === "/v1/.well-known/keys") return json(200, { keys: [jwk] });
    if (req.url.startsWith("/botframework.com/oauth2")) return json(200, { token_type: "Bearer", expires_in: 3600, access_token: "bench-bot-token" });
    if (req.url.startsWith("/amer/")) return json(200, { id: "1" });
    json(404, {});
  });
});

const b64 = (o) => Buffer.from(JSON.stringify(o)).toString("base64url");
server.listen(0, "127.0.0.1", () => {
  const now = Math.floor(Date.now() / 1000);
  const serviceUrl = `http://127.0.0.1:${server.address().port}/amer/`;
  const unsigned = `${b64({ alg: "RS256", typ: "JWT", kid })}.${b64({ iss: "https://api.botframework.com", aud: appId, serviceurl: serviceUrl, nbf: now - 60, iat: now - 60, exp: now + 3600 })}`;
  const signature = crypto.sign("RSA-SHA256", Buffer.from(unsigned), privateKey).toString("base64url");
  process.stdout.write(JSON.stringify({ port: server.address().port, serviceUrl, token: `${unsigned}.${signature}` }) + "\n");
});
