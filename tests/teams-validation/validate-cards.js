// Validates Adaptive Cards with the official library (npm "adaptivecards"), as a Teams client would
// parse them. Reads a JSON array of cards on stdin; prints one JSON line per card
// {"index","errors":[...]} and exits 1 when any card has an error.
"use strict";
const AC = require("adaptivecards/dist/adaptivecards.js") // the UMD bundle: lib/ is ESM without file extensions;

function validate(json) {
  const errors = [];
  if (json.type !== "AdaptiveCard") errors.push("type must be AdaptiveCard");
  const version = AC.Version.parse(json.version, new AC.SerializationContext());
  if (!version || !version.isValid) errors.push(`invalid version ${json.version}`);
  const context = new AC.SerializationContext(version);
  const card = new AC.AdaptiveCard();
  card.parse(json, context);
  for (let i = 0; i < context.eventCount; i++) {
    const e = context.getEventAt(i);
    errors.push(`parse: ${e.message}`);
  }
  const results = card.validateProperties();
  for (const event of results.validationEvents) errors.push(`validate: ${event.message}`);
  // A card must survive a round trip: what the library serializes back keeps every action and block.
  const back = card.toJSON(context);
  const count = (o, key) => (o && o[key] ? o[key].length : 0);
  if (count(back, "body") !== count(json, "body")) errors.push("body elements lost when parsed");
  if (count(back, "actions") !== count(json, "actions")) errors.push("actions lost when parsed");
  return errors;
}

let input = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (chunk) => (input += chunk));
process.stdin.on("end", () => {
  const cards = JSON.parse(input);
  let failed = false;
  cards.forEach((card, index) => {
    const errors = validate(card);
    if (errors.length > 0) failed = true;
    process.stdout.write(JSON.stringify({ index, errors, latest: AC.Versions.latest.toString() }) + "\n");
  });
  process.exit(failed ? 1 : 0);
});
