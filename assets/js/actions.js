// Small page actions that need the browser, served as a static file so the page's
// Content-Security-Policy allows no script sent by the server:
// - data-kc-print: print the page;
// - data-kc-copy="<element id>": copy that element's text (or a field's value);
// - data-kc-reveal="<n>": when such an element appears or n changes, scroll it into view and
//   move focus to it (the crisis panel above the Save bar, a result, the form being edited).
// - data-kc-back: a link that goes back to the page the patient came from in this app, as the
//   browser's Back would; opened from elsewhere (a calendar, a new tab) it follows its href.
// - a tap made before the app has started: held, and made again once it has (below).
(() => {
  "use strict";

  // A page is drawn from its HTML before its app has started (a phone takes a second or two
  // to start it). A tap in that moment would be lost: a button of the app's does nothing yet,
  // and a form of the app's (one with no action of its own) would be sent by the browser
  // itself, reloading the page with the answers in its address. Both are held here and made
  // again the moment the app has taken that element over (React marks it with its props).
  // Forms this site's other scripts send (data-kc-post, data-kc-outbox) and links are not
  // held: they work without the app.
  const started = (el) => Object.keys(el).some((key) => key.startsWith("__reactProps$"));
  const held = [];
  let watching = false;
  const replay = () => {
    for (let n = held.length - 1; n >= 0; n -= 1) {
      const { el, submitter } = held[n];
      if (!el.isConnected) {
        held.splice(n, 1); // redrawn by the app: nothing left to tap
      } else if (started(el)) {
        held.splice(n, 1);
        if (el instanceof HTMLFormElement) {
          el.requestSubmit(submitter && submitter.isConnected ? submitter : undefined);
        } else {
          el.click();
        }
      }
    }
    watching = held.length > 0;
    if (watching) window.requestAnimationFrame(replay);
  };
  const hold = (event, el, submitter) => {
    event.preventDefault();
    event.stopImmediatePropagation();
    if (!held.some((item) => item.el === el)) held.push({ el, submitter });
    if (!watching) {
      watching = true;
      window.requestAnimationFrame(replay);
    }
  };
  const appForm = (form) =>
    form instanceof HTMLFormElement &&
    !form.hasAttribute("action") &&
    !form.hasAttribute("data-kc-post") &&
    !form.hasAttribute("data-kc-outbox");
  document.addEventListener(
    "submit",
    (event) => {
      const form = event.target;
      if (appForm(form) && !started(form)) hold(event, form, event.submitter);
    },
    true,
  );
  // React marks an element with its props as it renders the page over the HTML, but answers
  // its events only once that render is committed: a submit in between reaches no handler of
  // the app, and the browser would send the form itself. One that comes out at the window
  // not taken (the app's forms all stop the browser's own sending) is held again and made
  // again a frame later; if the app has not taken it within GIVE_UP_MS, the browser sends it,
  // as it would have.
  const GIVE_UP_MS = 10000;
  const firstHeld = new WeakMap();
  window.addEventListener("submit", (event) => {
    const form = event.target;
    if (!appForm(form)) return;
    if (event.defaultPrevented) {
      firstHeld.delete(form); // the app has it
      return;
    }
    if (!firstHeld.has(form)) firstHeld.set(form, Date.now());
    if (Date.now() - firstHeld.get(form) > GIVE_UP_MS) return;
    hold(event, form, event.submitter);
  });
  document.addEventListener(
    "click",
    (event) => {
      const target = event.target instanceof Element ? event.target : null;
      const button = target?.closest("button");
      if (!button || button.type === "submit" || button.disabled) return;
      if (button.closest("[data-kc-print], [data-kc-copy], form[data-kc-outbox]")) return;
      if (!started(button)) hold(event, button, null);
    },
    true,
  );

  document.addEventListener("click", async (event) => {
    const target = event.target instanceof Element ? event.target : null;
    if (!target) return;
    if (target.closest("[data-kc-print]")) {
      event.preventDefault();
      window.print();
      return;
    }
    const copier = target.closest("[data-kc-copy]");
    if (copier) {
      event.preventDefault();
      const source = document.getElementById(copier.getAttribute("data-kc-copy"));
      const text = source ? ("value" in source ? source.value : source.textContent) : "";
      const status = document.getElementById(copier.getAttribute("data-kc-copy-status") || "");
      try {
        await navigator.clipboard.writeText(text.trim());
        if (status) status.textContent = "Copied.";
      } catch (_) {
        if (source && window.getSelection) {
          const range = document.createRange();
          range.selectNodeContents(source);
          window.getSelection().removeAllRanges();
          window.getSelection().addRange(range);
        }
        if (status) status.textContent = "Select the link and copy it.";
      }
    }
  });

  // Before the router's own click handler (capture): the router numbers this tab's entries
  // from 0 (history.state.idx), so above 0 the page before is one of ours.
  document.addEventListener(
    "click",
    (event) => {
      const back = event.target instanceof Element ? event.target.closest("a[data-kc-back]") : null;
      if (!back || !(window.history.state?.idx > 0)) return;
      event.preventDefault();
      event.stopPropagation();
      window.history.back();
    },
    true,
  );

  const reveal = (el) => {
    window.requestAnimationFrame(() => {
      el.scrollIntoView({ block: "start", behavior: "instant" });
      if (el.hasAttribute("tabindex")) el.focus({ preventScroll: true });
    });
  };
  // Reveal when the element appears or its value changes; "" and "0" mean "not now" (a crisis
  // panel shown for an answer saved earlier is there, but not news).
  const seen = new WeakMap();
  const scan = () => {
    document.querySelectorAll("[data-kc-reveal]").forEach((el) => {
      const value = el.getAttribute("data-kc-reveal");
      if (seen.get(el) === value) return;
      seen.set(el, value);
      if (value !== "" && value !== "0") reveal(el);
    });
  };
  // A choice that brings help on screen (data-kc-shows="<id>"): scroll it into view at once.
  document.addEventListener(
    "change",
    (event) => {
      const input = event.target;
      if (!(input instanceof HTMLInputElement) || !input.checked || !input.dataset.kcShows) return;
      const shown = document.getElementById(input.dataset.kcShows);
      if (shown) reveal(shown);
    },
    true,
  );

  const start = () => {
    scan();
    new MutationObserver(scan).observe(document.body, {
      childList: true,
      subtree: true,
      attributes: true,
      attributeFilter: ["data-kc-reveal"],
    });
  };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
