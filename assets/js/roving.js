// One Tab stop per group of answers, arrow keys within it (the ARIA radiogroup and toolbar
// patterns). Radios do this natively; [data-kc-roving] gives a group of checkboxes (the
// check-in's tags) the same: the last one focused keeps the group's Tab stop. Enter picks the
// focused answer, as Space does, instead of sending the form half filled in.
(() => {
  "use strict";
  const KEYS = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1 };
  const items = (group) => [...group.querySelectorAll("input:not([disabled])")];

  const holdStop = (group, item) => {
    for (const other of items(group)) other.tabIndex = other === item ? 0 : -1;
  };

  document.addEventListener("focusin", (event) => {
    const group = event.target instanceof Element && event.target.closest("[data-kc-roving]");
    if (group && event.target.matches("input")) holdStop(group, event.target);
  });

  document.addEventListener("keydown", (event) => {
    const input = event.target;
    if (!(input instanceof HTMLInputElement) || event.altKey || event.ctrlKey || event.metaKey) {
      return;
    }
    if (event.key === "Enter" && (input.type === "radio" || input.type === "checkbox")) {
      event.preventDefault();
      if (input.type === "checkbox" || !input.checked) input.click();
      return;
    }
    const group = input.closest("[data-kc-roving]");
    if (!group) return;
    const all = items(group);
    const at = all.indexOf(input);
    let next = -1;
    if (event.key in KEYS) next = (at + KEYS[event.key] + all.length) % all.length;
    else if (event.key === "Home") next = 0;
    else if (event.key === "End") next = all.length - 1;
    if (next < 0) return;
    event.preventDefault();
    all[next].focus();
  });
})();
