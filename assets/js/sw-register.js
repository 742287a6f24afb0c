// Registers the service worker that keeps the help page for when the connection is gone,
// and asks it to refresh its copy once this page has loaded online.
(() => {
  "use strict";
  if (!("serviceWorker" in navigator)) return;
  window.addEventListener("load", () => {
    navigator.serviceWorker
      .register("/sw.js", { scope: "/" })
      .then(() => navigator.serviceWorker.ready)
      .then((registration) => {
        if (navigator.onLine && registration.active) registration.active.postMessage("refresh");
      })
      .catch(() => undefined);
  });
})();
