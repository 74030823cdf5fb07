// Validates a Teams app manifest against the official JSON schema of its manifestVersion, as shipped
// in Microsoft's npm package @microsoft/app-manifest, the way that package validates (ajv with the
// draft-04 dialect and uri/email/regex formats), offline.
// Usage: node validate-manifest.js manifest.json; prints the errors and exits 1 when there are any.
"use strict";
const fs = require("fs");
const path = require("path");
const AjvDraft04 = require("ajv-draft-04");
const addFormats = require("ajv-formats");

const manifest = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
const schemaFile = path.join(path.dirname(require.resolve("@microsoft/app-manifest/package.json")),
  "build", "json-schemas", "teams", `v${manifest.manifestVersion}`, "MicrosoftTeams.schema.json");
if (!fs.existsSync(schemaFile)) {
  console.log(`no official schema for manifestVersion ${manifest.manifestVersion}`);
  process.exit(1);
}
const schema = JSON.parse(fs.readFileSync(schemaFile, "utf8"));
const ajv = new AjvDraft04({ allErrors: true, strictTypes: false });
addFormats(ajv, ["uri", "email", "regex"]);
const validate = ajv.compile(schema);
if (!validate(manifest)) {
  for (const error of validate.errors) console.log(`${error.instancePath} ${error.message} ${JSON.stringify(error.params)}`);
  process.exit(1);
}
console.log(`valid against the official v${manifest.manifestVersion} schema`);
