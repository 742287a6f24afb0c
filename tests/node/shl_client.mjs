// Resolves a SMART Health Link as an EHR would, with kill-the-clipboard's SHLViewer (pinned in
// package.json): parse the link, POST the manifest (with the passcode), fetch and decrypt the file.
// Usage: node shl_client.mjs <link> <recipient> [passcode] [embeddedLengthMax]
// Prints {"payload": {...}, "files": [...], "phq9Totals": [...]} or {"payload", "error"}.
import { SHLViewer } from "kill-the-clipboard";

const [link, recipient, passcode, lengthMax] = process.argv.slice(2);
const PHQ9_TOTAL = "44261-6";
const out = {};
try {
  const viewer = new SHLViewer({ shlinkURI: link });
  out.payload = viewer.shl.payload;
  const resolved = await viewer.resolveSHL({
    recipient,
    ...(passcode ? { passcode } : {}),
    ...(lengthMax ? { embeddedLengthMax: Number(lengthMax) } : {}),
  });
  out.files = resolved.manifest.files.map((file) => ("embedded" in file ? "embedded" : "location"));
  out.resourceTypes = resolved.fhirResources.map((resource) => resource.resourceType);
  out.phq9Totals = resolved.fhirResources
    .flatMap((bundle) => bundle.entry ?? [])
    .map((entry) => entry.resource)
    .filter((r) => r.resourceType === "Observation" && r.code.coding[0].code === PHQ9_TOTAL)
    .map((r) => r.valueInteger ?? r.valueQuantity?.value);
} catch (error) {
  out.error = { name: error.name, code: error.code, message: error.message };
}
process.stdout.write(JSON.stringify(out));
