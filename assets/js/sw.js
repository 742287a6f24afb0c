// The service worker: keeps one page, the help page with the patient's own numbers and plan
// (/help/offline), and serves it when help is asked for and the network does not answer in
// time, or when any page cannot load while offline. It caches nothing else, ever: no patient
// page, no API answer. A new release changes VERSION, and the old copy is thrown away.
"use strict";
const VERSION = "__VERSION__";
const CACHE = "kc-help-" + VERSION;
const HELP = "/help/offline";
// Wait this long for /help before showing the kept copy (a weak signal, a crisis).
const HELP_PATIENCE_MS = 2500;

const keepHelp = async () => {
  const response = await fetch(HELP, { credentials: "same-origin", cache: "no-store" });
  if (response.ok) {
    const cache = await caches.open(CACHE);
    await cache.put(HELP, response);
  }
};

self.addEventListener("install", (event) => {
  event.waitUntil(keepHelp().catch(() => undefined).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) =>
        Promise.all(keys.filter((k) => k.startsWith("kc-") && k !== CACHE).map((k) => caches.delete(k))),
      )
      .then(() => self.clients.claim()),
  );
});

// Pages say "refresh" after they load online (the clinic or the plan may have changed) and
// "forget" after signing out or deleting the account.
self.addEventListener("message", (event) => {
  if (event.data === "refresh") event.waitUntil(keepHelp().catch(() => undefined));
  if (event.data === "forget") {
    event.waitUntil(caches.delete(CACHE).then(() => keepHelp()).catch(() => undefined));
  }
});

const keptHelp = async () => {
  const cache = await caches.open(CACHE);
  const kept = await cache.match(HELP);
  if (kept) return kept;
  // Never kept (first visit offline): the numbers anyone can use, in plain text.
  return new Response(
    "<!doctype html><meta charset=utf-8><meta name=viewport content='width=device-width'>" +
      "<title>Get help now</title><main data-offline-help=1><h1>Get help now</h1>" +
      "<p>Nobody watches your entries in real time. If you are in danger, contact one of these now.</p>" +
      "<p><a href='tel:988'>Call 988</a> (US and Canada) · <a href='tel:911'>Call 911</a> · " +
      "<a href='tel:112'>Call 112</a> or your local emergency number · " +
      "<a href='https://findahelpline.com'>findahelpline.com</a></p></main>",
    { headers: { "content-type": "text/html; charset=utf-8" } },
  );
};

const withPatience = (promise, ms) =>
  Promise.race([promise, new Promise((_, reject) => setTimeout(() => reject(new Error("slow")), ms))]);

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.mode !== "navigate") return; // everything but page loads: the network, untouched
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  const help = url.pathname === "/help" || url.pathname === "/help/" || url.pathname === HELP;
  event.respondWith(
    (async () => {
      try {
        const answer = fetch(request);
        return help ? await withPatience(answer, HELP_PATIENCE_MS) : await answer;
      } catch (_) {
        return keptHelp();
      }
    })(),
  );
});
