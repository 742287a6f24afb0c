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

  document.addEventListener(
    "submit",
    async (event) => {
      const form = event.target;
      if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-kc-post")) return;
      event.preventDefault();
      if (form.dataset.kcPending === "1") return; // a second tap while the first is on its way
      form.dataset.kcPending = "1";
      fill(form);
      show(form, "", "");
      busy(form, true);
      try {
        const response = await fetch(form.action, {
          method: "POST",
          credentials: "same-origin",
          headers: {
            Accept: "application/json",
            "Content-Type": "application/x-www-form-urlencoded",
          },
          body: new URLSearchParams(new FormData(form)),
        });
        const answer = await response.json().catch(() => ({}));
        if (response.ok && typeof answer.next === "string" && answer.next.startsWith("/")) {
          // A new sign-in or sign-out: this tab starts with fresh state on the server, and
          // the help page kept for offline use is made again for whoever is signed in now.
          sessionStorage.removeItem("token");
          navigator.serviceWorker?.controller?.postMessage("forget");
          window.location.replace(answer.next);
          return;
        }
        show(form, answer.message || UNREACHABLE, answer.field || "");
      } catch (_) {
        show(form, UNREACHABLE, "");
      }
      delete form.dataset.kcPending;
      busy(form, false);
    },
    true,
  );

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
