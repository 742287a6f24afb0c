// Validates a FHIR R4 JSON Bundle read from stdin with the npm package "fhir" (FHIR.js, pinned in
// package.json), the Bundle and each entry's resource apart; prints {"bundle": [...], "entries": [[...]]}.
const { Fhir } = require("fhir");

const fhir = new Fhir();
// Unknown properties are errors too: a misspelt element would otherwise pass unnoticed.
const options = { errorOnUnexpected: true };
const bundle = JSON.parse(require("fs").readFileSync(0, "utf8"));
const messages = (resource) => fhir.validate(resource, options).messages;
process.stdout.write(
  JSON.stringify({
    bundle: messages(bundle),
    entries: (bundle.entry || []).map((entry) => messages(entry.resource)),
  }),
);
