// The app's own connection line, in place of the framework's "Cannot connect" toast: it never
// covers Save or the tab bar (it sits under the header) and says what is happening in words:
//   "Offline: your entry is kept on this phone and will be sent"  (no network)
//   "Connecting…"                                                  (network, no server yet)
//   "Not sent yet: …" / "Saved: …"                                 (entries kept, then sent)
// and nothing at all when everything is well.
(() => {
  "use strict";
  let line = null;
  let serverDown = false;
  let socketDown = false;
  let downTimer = 0;
  let leaving = false;

  // The app's websocket, watched from outside: this script runs before the app's bundle, so
  // the bundle builds its socket with this wrapper. Nothing about the socket changes.
  const Native = window.WebSocket;
  if (Native) {
    const Watched = function (url, protocols) {
      const socket = protocols === undefined ? new Native(url) : new Native(url, protocols);
      if (String(url).includes("/_event")) {
        socket.addEventListener("open", () => {
          window.clearTimeout(downTimer);
          socketDown = false;
          serverDown = false;
          render();
          window.kcOutbox?.flush();
        });
        socket.addEventListener("close", () => {
          if (leaving) return;
          // A moment's grace: the app reconnects by itself after most hiccups.
          window.clearTimeout(downTimer);
          downTimer = window.setTimeout(() => {
            socketDown = true;
            render();
          }, 1500);
        });
      }
      return socket;
    };
    Watched.prototype = Native.prototype;
    for (const name of ["CONNECTING", "OPEN", "CLOSING", "CLOSED"]) Watched[name] = Native[name];
    window.WebSocket = Watched;
  }
  window.addEventListener("pagehide", () => {
    leaving = true;
  });
  window.addEventListener("pageshow", () => {
    leaving = false;
  });
  let savedNote = "";
  let savedTimer = 0;
  let pingTimer = 0;

  const pending = () => (window.kcOutbox ? window.kcOutbox.waiting() : []);
  const clock = (ms) =>
    new Date(ms).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit", hourCycle: "h23" });

  const render = () => {
    line = document.getElementById("kc-connection");
    if (!line) return;
    const waiting = pending();
    let text = "";
    let state = "";
    if (!navigator.onLine) {
      text = waiting.length
        ? "Offline: your entry is kept on this phone and will be sent."
        : "Offline: anything you save is kept on this phone and will be sent.";
      state = "offline";
    } else if (serverDown || socketDown) {
      text = waiting.length
        ? "Connecting… your entry is kept on this phone and will be sent."
        : "Connecting…";
      state = "connecting";
    } else if (waiting.length) {
      const first = waiting[0];
      const more = waiting.length > 1 ? ` and ${waiting.length - 1} more` : "";
      const why = first.signedOut ? " Sign in again to send it." : "";
      text = `Not sent yet: ${first.label} (made ${clock(first.made_at)})${more}.${why}`;
      state = "waiting";
    } else if (savedNote) {
      text = savedNote;
      state = "saved";
    }
    if (line.textContent !== text) line.textContent = text;
    line.dataset.kcState = state;
    line.hidden = !text;
  };

  // Is the server answering? Asked only while something is wrong, and then every few seconds.
  const ping = async () => {
    window.clearTimeout(pingTimer);
    if (!navigator.onLine) return;
    try {
      // Given up after 5 s: one ping that never answers must not end the asking.
      const signal = AbortSignal.timeout ? AbortSignal.timeout(5000) : undefined;
      const response = await fetch("/ping", { cache: "no-store", signal });
      serverDown = !response.ok;
    } catch (_) {
      serverDown = true;
    }
    render();
    if (serverDown || pending().length) {
      pingTimer = window.setTimeout(ping, 3000);
      if (!serverDown) window.kcOutbox?.flush();
    }
  };

  window.addEventListener("online", () => {
    render();
    ping();
  });
  window.addEventListener("offline", render);
  // After the outbox has started sending what it just took (an entry on its way is not shown).
  window.addEventListener("kc-outbox", () => window.setTimeout(render, 0));
  window.addEventListener("kc-waiting", () => {
    render();
    ping();
  });
  window.addEventListener("kc-saved", (event) => {
    serverDown = false;
    const { entry, shown } = event.detail;
    // Saved from an earlier page or visit: say so here, for a while.
    if (!shown) {
      savedNote = `Saved: ${entry.label} (made ${clock(entry.made_at)}).`;
      window.clearTimeout(savedTimer);
      savedTimer = window.setTimeout(() => {
        savedNote = "";
        render();
      }, 8000);
    }
    render();
  });
  const start = () => {
    render();
    new MutationObserver(() => {
      if (document.getElementById("kc-connection") !== line) render();
    }).observe(document.body, { childList: true, subtree: true });
    if (pending().length) ping();
  };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
