// Forms marked data-kc-post (sign in, create account, sign out, delete account) are posted
// here with fetch, so a wrong password shows its message in place and nothing typed is lost.
// Without this script the same forms still work: the server answers with a redirect.
(() => {
  "use strict";
  const UNREACHABLE =
    "We couldn't reach the server. Check your connection and try again.";

  const browserZone = () => {
    try {
      return Intl.DateTimeFormat().resolvedOptions().timeZone || "";
    } catch (_) {
      return "";
    }
  };

  const fill = (form) => {
    // The page asked for before signing in, and this browser's time zone for a new account.
    const next = form.querySelector('input[name="next"]');
    if (next && !next.value) {
      next.value = new URLSearchParams(window.location.search).get("next") || "";
    }
    const zone = form.querySelector('input[name="timezone"]');
    if (zone && !zone.value) zone.value = browserZone();
  };

  const show = (form, message, field) => {
    const box = form.querySelector("[data-kc-error]");
    form.querySelectorAll("[aria-invalid]").forEach((el) => el.removeAttribute("aria-invalid"));
    if (box) {
      box.textContent = message;
      box.hidden = !message;
    }
    const input = field ? form.querySelector(`[name="${CSS.escape(field)}"]`) : null;
    if (input) {
      input.setAttribute("aria-invalid", "true");
      input.focus();
    }
  };

  const busy = (form, on) => {
    form.querySelectorAll('button[type="submit"]').forEach((button) => {
      if (on) {
        button.dataset.kcLabel = button.textContent;
        button.textContent = form.dataset.kcBusy || "Please wait…";
        button.disabled = true;
      } else if (button.dataset.kcLabel) {
        button.textContent = button.dataset.kcLabel;
        button.disabled = false;
      }
    });
  };

  // The form is in the page's HTML, so it shows (and can be tapped) before React takes the
  // page over (hydration: on a slow phone, seconds later). A text changed in it before then
  // (a message, the button's "Signing in…") no longer matches what React draws, and React then
  // draws the whole page again, dropping the message and what was typed. So the form is sent
  // at once, and what it shows waits until React owns it (the form it drew, if it drew anew);
  // a page whose scripts never arrive shows it after HYDRATION_WAIT_MS all the same. Tests
  // wait for window.__kcForms before tapping a form the page's HTML drew.
  const HYDRATION_WAIT_MS = 15000;
  const ownedByReact = (el) => Object.keys(el).some((key) => key.startsWith("__reactFiber$"));
  const takenOver = (form) =>
    new Promise((resolve) => {
      const action = form.getAttribute("action") || "";
      const started = Date.now();
      const look = () => {
        const now = form.isConnected
          ? form
          : document.querySelector(`form[data-kc-post][action="${CSS.escape(action)}"]`);
        if (now && (ownedByReact(now) || Date.now() - started > HYDRATION_WAIT_MS)) {
          resolve(now);
        } else {
          setTimeout(look, 50);
        }
      };
      look();
    });

  const send = async (form) => {
    const response = await fetch(form.action, {
      method: "POST",
      credentials: "same-origin",
      headers: {
        Accept: "application/json",
        "Content-Type": "application/x-www-form-urlencoded",
      },
      body: new URLSearchParams(new FormData(form)),
    });
    return { ok: response.ok, answer: await response.json().catch(() => ({})) };
  };

  document.addEventListener(
    "submit",
    async (event) => {
      const form = event.target;
      if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-kc-post")) return;
      event.preventDefault();
      if (form.dataset.kcPending === "1") return; // a second tap while the first is on its way
      form.dataset.kcPending = "1";
      fill(form);
      const sent = send(form);
      // "Signing in…" as soon as React owns the form: at once, unless the page is still
      // being taken over.
      const shown = takenOver(form).then((now) => {
        now.dataset.kcPending = "1";
        show(now, "", "");
        busy(now, true);
        return now;
      });
      let outcome = null;
      try {
        outcome = await sent;
      } catch (_) {
        outcome = null;
      }
      const { ok, answer } = outcome || { ok: false, answer: {} };
      if (ok && typeof answer.next === "string" && answer.next.startsWith("/")) {
        // A new sign-in or sign-out: this tab starts with fresh state on the server, and the
        // help page kept for offline use is made again for whoever is signed in now.
        sessionStorage.removeItem("token");
        navigator.serviceWorker?.controller?.postMessage("forget");
        window.location.replace(answer.next);
        return;
      }
      const now = await shown;
      show(now, (outcome && answer.message) || UNREACHABLE, answer.field || "");
      delete now.dataset.kcPending;
      busy(now, false);
    },
    true,
  );

  window.__kcForms = true;

  // A hidden form marked data-kc-zone-detect (beside a time-zone picker) tells the server this
  // browser's zone, which the picker then offers first. The page renders it only once its
  // state has loaded, so React handles the submit: nothing navigates.
  const detectZones = () => {
    const waiting = "form[data-kc-zone-detect]:not([data-kc-zone-sent])";
    document.querySelectorAll(waiting).forEach((form) => {
      const zone = form.querySelector('input[name="zone"]');
      const detected = browserZone();
      form.setAttribute("data-kc-zone-sent", "");
      if (!zone || !detected) return;
      zone.value = detected;
      form.requestSubmit();
    });
  };
  new MutationObserver(detectZones).observe(document.documentElement, {
    childList: true,
    subtree: true,
  });
})();
