// Small page actions that need the browser, served as a static file so the page's
// Content-Security-Policy allows no script sent by the server:
// - data-kc-print: print the page;
// - data-kc-copy="<element id>": copy that element's text (or a field's value);
// - data-kc-reveal="<n>": when such an element appears or n changes, scroll it into view and
//   move focus to it (the crisis panel above the Save bar, a result, the form being edited).
// - data-kc-back: a link that goes back to the page the patient came from in this app, as the
//   browser's Back would; opened from elsewhere (a calendar, a new tab) it follows its href.
(() => {
  "use strict";

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
