// Entries kept on this phone until the server confirms them.
//
// A form marked data-kc-outbox="<kind>" (check-in, infusion, post-infusion check,
// questionnaire, safety plan) keeps what is tapped in localStorage as it is tapped, under an
// id made here (one per entry). Save moves it to the outbox and sends it to
// POST /api/entries/<kind>; only the server's answer removes it. A reload, a closed tab, a
// dropped connection or a restarted server loses nothing: every page of the app (the offline
// help page too) sends what is waiting as soon as it can, and the same id never saves twice.
//
//   data-kc-key="<kind>:<which>"  one draft per form and day/infusion (default: the kind)
//   data-kc-send="all"            send every field, not only those changed (default: changed)
//   data-kc-label="<words>"       how the entry is named when it is saved from another page
//   [data-kc-status]              where the form says Saving…, Saved or what to fix
//   [data-kc-refresh~="<kind>"]   buttons clicked once an entry is saved (the page's refresh)
//   [data-kc-clearable]           a radio group whose answer a second tap clears
//   data-kc-loading               the form does not know yet which day/entry it is for: what
//                                 is tapped is held (and a Save waits) until it does
//   data-kc-version="<n>"         the answers the server sent (the inputs' defaults) changed:
//                                 the form is reset to them and the draft put back on top,
//                                 without the page re-drawing every input
//   [data-kc-forget="<key>"]      a button that deletes that entry: its draft and unsent copy go
//   data-kc-day, data-kc-zone     the day a "<kind>:today" form shows and the patient's zone: a
//                                 draft or unsent entry kept under "today" past midnight belongs
//                                 to the day it was made on, and moves under that day's key
(() => {
  "use strict";
  const OUTBOX = "kc-outbox";
  const draftName = (key) => `kc-draft:${key}`;
  const memory = new Map(); // where things are kept when the browser refuses storage
  let stored = true;
  const inFlight = new Set();
  // The last word each form was given (Saved, what to fix): said again if the page re-draws
  // the form a moment later, as it does when it loads what was just saved.
  const lastWord = new Map();
  let retryTimer = 0;
  let backoff = 2000;

  const read = (name, fallback) => {
    try {
      const raw = localStorage.getItem(name);
      return raw ? JSON.parse(raw) : memory.get(name) ?? fallback;
    } catch (_) {
      return memory.get(name) ?? fallback;
    }
  };
  const write = (name, value) => {
    memory.set(name, value);
    try {
      localStorage.setItem(name, JSON.stringify(value));
      stored = true;
    } catch (_) {
      stored = false;
    }
  };
  const drop = (name) => {
    memory.delete(name);
    try {
      localStorage.removeItem(name);
    } catch (_) {
      /* nothing kept */
    }
  };

  const giveUpAfter = (ms) => {
    if (AbortSignal.timeout) return AbortSignal.timeout(ms);
    const controller = new AbortController();
    window.setTimeout(() => controller.abort(), ms);
    return controller.signal;
  };

  const newId = () => {
    if (window.crypto?.randomUUID) return window.crypto.randomUUID();
    const bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  };
  const clock = (ms) =>
    new Date(ms).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit", hourCycle: "h23" });

  const outbox = () => read(OUTBOX, []);
  const setOutbox = (entries) => {
    write(OUTBOX, entries);
    window.dispatchEvent(new CustomEvent("kc-outbox", { detail: { entries } }));
  };

  // --- the forms -------------------------------------------------------------------------

  // data-kc-param="day" names the address's parameter that says which entry a form is for;
  // data-kc-for is its value the form's state was loaded for. A tab's server state outlives the
  // page: until it matches this page's own address, the form is still loading, and nothing
  // tapped is filed under the last page's entry.
  const forParam = (form) => form.dataset.kcParam || "";
  const here = (name) => new URLSearchParams(window.location.search).get(name) || "";
  const forHere = (form) => !forParam(form) || here(forParam(form)) === (form.dataset.kcFor ?? "");
  const loading = (form) => form.hasAttribute("data-kc-loading") || !forHere(form);
  const heldName = (form) => `held:${form.dataset.kcOutbox}`;
  const keyOf = (form) =>
    loading(form) ? heldName(form) : form.dataset.kcKey || form.dataset.kcOutbox;
  const forms = () => document.querySelectorAll("form[data-kc-outbox]");
  const formFor = (key) => [...forms()].find((form) => keyOf(form) === key);

  // The form's controls of that name (looked up by name, not by walking every control: this
  // runs on every tap).
  const controlsNamed = (form, name) => {
    const found = form.elements.namedItem(name);
    if (!found) return [];
    const controls = found instanceof RadioNodeList ? [...found] : [found];
    return controls.filter((el) => el.name === name); // namedItem matches an id too
  };
  const valueOf = (form, name) => {
    const controls = controlsNamed(form, name);
    if (!controls.length) return undefined;
    if (controls[0].type === "checkbox") {
      return controls.filter((el) => el.checked).map((el) => el.value);
    }
    if (controls[0].type === "radio") {
      const chosen = controls.find((el) => el.checked);
      return chosen ? chosen.value : "";
    }
    return controls[0].value;
  };

  const show = (form, value, name) => {
    for (const el of form.elements) {
      if (el.name !== name) continue;
      if (el.type === "checkbox") el.checked = Array.isArray(value) && value.includes(el.value);
      else if (el.type === "radio") el.checked = el.value === value;
      else if (el.value !== value) el.value = value;
    }
  };

  const draftOf = (form) => read(draftName(keyOf(form)), null);

  const status = (form, text, kind) => {
    const line = form?.querySelector("[data-kc-status]");
    if (!line) return;
    if (kind === "saved" || kind === "error") {
      lastWord.set(keyOf(form), { text, kind, at: Date.now() });
    } else if (kind !== "waiting") {
      lastWord.delete(keyOf(form));
    }
    // Written only when they change: a write is a change of the page for the browser to redraw.
    if (line.textContent !== text) line.textContent = text;
    if (line.dataset.kcState !== (kind || "")) line.dataset.kcState = kind || "";
    const role = kind === "error" ? "alert" : "status";
    if (line.getAttribute("role") !== role) line.setAttribute("role", role);
  };
  const button = (form, label) => {
    form?.querySelectorAll('button[type="submit"]').forEach((b) => {
      if (!b.dataset.kcLabel) b.dataset.kcLabel = b.textContent;
      const text = label || b.dataset.kcLabel;
      if (b.textContent !== text) b.textContent = text;
    });
  };

  const remember = (form, name) => {
    if (!name || name.startsWith("_")) return;
    openSocket();
    const key = keyOf(form);
    const draft = read(draftName(key), null) || { id: newId(), fields: {}, made_at: Date.now() };
    draft.fields[name] = valueOf(form, name);
    if (key === heldName(form)) draft.at = window.location.pathname + window.location.search;
    write(draftName(key), draft);
    button(form, "");
    const waiting = outbox().find((entry) => entry.key === key);
    if (!waiting) status(form, "", "");
  };

  // Taps held while the form was loading go to the entry it turned out to be for.
  const takeHeld = (form) => {
    if (loading(form)) return;
    const held = read(draftName(heldName(form)), null);
    if (!held) return;
    drop(draftName(heldName(form)));
    if (held.at !== window.location.pathname + window.location.search) return; // another visit's
    const draft = draftOf(form) || { id: newId(), fields: {}, made_at: held.made_at };
    Object.assign(draft.fields, held.fields);
    write(draftName(keyOf(form)), draft);
    if (held.send) window.setTimeout(() => submit(form), 0);
  };

  // "<kind>:today" keeps what is tapped before the page knows its date. Kept past midnight
  // (a draft not saved, an entry not yet sent), it belongs to the day it was made on, where the
  // server files it too: it moves under that day's key, so today's form starts clean, says
  // nothing of it, and deleting today's check-in leaves it be.
  // One formatter per zone: making one costs most of a millisecond, and every form is looked at
  // again each time the page changes.
  const formatters = new Map();
  const formatter = (zone) => {
    if (!formatters.has(zone)) {
      const options = { year: "numeric", month: "2-digit", day: "2-digit" };
      let made;
      try {
        made = new Intl.DateTimeFormat("en-US", { ...options, timeZone: zone || undefined });
      } catch (_) {
        made = new Intl.DateTimeFormat("en-US", options);
      }
      formatters.set(zone, made);
    }
    return formatters.get(zone);
  };
  const dayOf = (ms, zone) => {
    const parts = formatter(zone || "").formatToParts(new Date(ms));
    const part = (type) => parts.find((p) => p.type === type)?.value;
    return `${part("year")}-${part("month")}-${part("day")}`;
  };
  const madeEarlier = (form, madeAt) => {
    const shown = form.dataset.kcDay;
    if (!shown || typeof madeAt !== "number") return "";
    const day = dayOf(madeAt, form.dataset.kcZone);
    return day < shown ? day : "";
  };
  const moveEarlier = (form) => {
    const key = keyOf(form);
    if (loading(form) || !key.endsWith(":today")) return;
    const kind = form.dataset.kcOutbox;
    const draft = read(draftName(key), null);
    const day = draft && madeEarlier(form, draft.made_at);
    if (day) {
      const there = read(draftName(`${kind}:${day}`), null);
      write(
        draftName(`${kind}:${day}`),
        there ? { ...there, fields: { ...draft.fields, ...there.fields } } : draft,
      );
      drop(draftName(key));
    }
    const entries = outbox();
    if (entries.some((e) => e.key === key && madeEarlier(form, e.made_at))) {
      setOutbox(
        entries.map((e) => {
          const made = e.key === key ? madeEarlier(form, e.made_at) : "";
          return made ? { ...e, key: `${kind}:${made}` } : e;
        }),
      );
    }
  };

  // The version of the server's answers each form was last reset to.
  const shownVersion = new WeakMap();
  const resetToServer = (form) => {
    const version = form.dataset.kcVersion;
    if (version === undefined || loading(form) || shownVersion.get(form) === version) return;
    shownVersion.set(form, version);
    form.reset(); // every input back to its default: what the server sent for this entry
  };

  const restore = (form) => {
    resetToServer(form);
    takeHeld(form);
    moveEarlier(form);
    const draft = draftOf(form);
    if (draft) for (const [name, value] of Object.entries(draft.fields)) show(form, value, name);
    const waiting = outbox().find((entry) => entry.key === keyOf(form));
    const line = form.querySelector("[data-kc-status]");
    if (!line) return;
    // "Not sent yet" for an entry no longer waiting (answered while the form was loading, so
    // not found then) is said again from its answer.
    const stale = line.dataset.kcState === "waiting" && !waiting;
    if (line.textContent && !stale) return;
    const word = lastWord.get(keyOf(form));
    if (waiting) status(form, notSent(waiting), "waiting");
    else if (word && Date.now() - word.at < 60000) {
      line.textContent = word.text;
      line.dataset.kcState = word.kind;
      if (word.kind === "saved") button(form, "Saved");
    } else if (stale) status(form, "", "");
  };

  const notSent = (entry) =>
    `Not sent yet (made ${clock(entry.made_at)}). It is kept on this phone and will be sent.`;

  const hiddenFields = (form) => {
    const fields = {};
    for (const el of form.querySelectorAll('input[type="hidden"][name]')) fields[el.name] = el.value;
    return fields;
  };

  const everyField = (form) => {
    const fields = {};
    for (const el of form.elements) {
      if (!el.name || el.name in fields) continue;
      fields[el.name] = valueOf(form, el.name);
    }
    return fields;
  };

  const submit = (form) => {
    // Taps held while the form loaded go to its entry first: a form drawn anew (its key
    // changed) can be saved before the page's watcher has moved them.
    takeHeld(form);
    const key = keyOf(form);
    const draft = draftOf(form);
    if (loading(form)) {
      const param = forParam(form);
      if (draft && Object.keys(draft.fields).length && param) {
        // The page's address says which entry it is for (?day=…, or none: the day it was
        // made): sent now, without waiting for the page's state, which may never come.
        const value = here(param);
        seal(form, key, draft, value ? { ...draft.fields, [param]: value } : draft.fields);
        return;
      }
      // Saved the moment the form knows its day: the answers are kept meanwhile.
      if (draft && Object.keys(draft.fields).length) {
        write(draftName(key), { ...draft, send: true });
        status(form, "Saving…", "saving");
        button(form, "Saving…");
      } else {
        status(form, form.dataset.kcNothing || "Nothing new to save.", "");
      }
      return;
    }
    const waiting = outbox().find((entry) => entry.key === key);
    if (!draft || !Object.keys(draft.fields).length) {
      if (waiting) {
        status(form, "Saving…", "saving");
        button(form, "Saving…");
        flush(true);
      } else {
        status(form, form.dataset.kcNothing || "Nothing new to save.", "");
      }
      return;
    }
    const fields =
      form.dataset.kcSend === "all"
        ? { ...everyField(form), ...hiddenFields(form) }
        : { ...draft.fields, ...hiddenFields(form) };
    seal(form, key, draft, fields);
  };

  const seal = (form, key, draft, fields) => {
    const entry = {
      kind: form.dataset.kcOutbox,
      key,
      id: draft.id,
      fields,
      made_at: draft.made_at,
      label: form.dataset.kcLabel || "your entry",
      page: window.location.pathname,
      at: window.location.pathname + window.location.search,
    };
    // Sealed: from here on this entry goes as it is; a later change is a new entry.
    setOutbox([...outbox().filter((e) => e.id !== entry.id), entry]);
    drop(draftName(key));
    flush(true); // sent first: what the page says next is no reason for the entry to wait
    status(form, "Saving…", "saving");
    button(form, "Saving…");
  };

  // --- sending ---------------------------------------------------------------------------

  // The form an answer is for: by its key, or (sent while the page was loading) the same
  // kind of form on the page it was made on, which has loaded since.
  const formOf = (entry) =>
    formFor(entry.key) ||
    (entry.key.startsWith("held:") && entry.at === window.location.pathname + window.location.search
      ? [...forms()].find((form) => form.dataset.kcOutbox === entry.kind)
      : undefined);

  // The page loads what it shows again once "Saved" is on screen and the patient has paused
  // for REFRESH_AFTER_MS: the reload is the app's own work (the server's and a redraw), and a
  // Save tapped meanwhile would wait behind it. Saves in a row make one reload.
  const REFRESH_AFTER_MS = 250;
  const refreshKinds = new Set();
  let refreshTimer = 0;
  const refreshSoon = (kind) => {
    refreshKinds.add(kind);
    window.clearTimeout(refreshTimer);
    refreshTimer = window.setTimeout(() => {
      const kinds = [...refreshKinds];
      refreshKinds.clear();
      document.querySelectorAll("[data-kc-refresh]").forEach((refresh) => {
        const wanted = refresh.dataset.kcRefresh.split(" ");
        if (kinds.some((k) => wanted.includes(k))) refresh.click();
      });
    }, REFRESH_AFTER_MS);
  };

  const settle = (sent, answer, ok) => {
    // Its key as kept now: it may have moved to the day it was made on while on its way.
    const entry = outbox().find((e) => e.id === sent.id) || sent;
    setOutbox(outbox().filter((e) => e.id !== entry.id));
    const form = formOf(entry);
    if (ok) {
      backoff = 2000;
      if (form) {
        status(form, answer.message || "Saved.", "saved");
        button(form, answer.deleted ? "" : "Saved"); // not saved: its day was deleted since
      } else {
        // Its form is loading (or drawn anew): it says so once it shows this entry's key.
        lastWord.set(entry.key, { text: answer.message || "Saved.", kind: "saved", at: Date.now() });
      }
      // The connection line hears of it a moment later, after "Saved" is on screen.
      const saved = new CustomEvent("kc-saved", { detail: { entry, answer, shown: !!form } });
      window.setTimeout(() => window.dispatchEvent(saved), 0);
      refreshSoon(entry.kind);
      return;
    }
    // Refused: the answers go back into the form to fix, nothing is lost.
    const name = draftName(entry.key);
    const draft = read(name, null) || { id: newId(), fields: {}, made_at: entry.made_at };
    for (const [field, value] of Object.entries(entry.fields)) {
      if (!(field in draft.fields) && !(form && form.querySelector(`[type=hidden][name="${field}"]`))) {
        draft.fields[field] = value;
      }
    }
    write(name, draft);
    if (form) {
      restore(form);
      status(form, answer.message || "Please check your answers.", "error");
      button(form, "");
      const field = answer.field && form.querySelector(`[name="${CSS.escape(answer.field)}"]`);
      if (field) field.focus();
    }
    window.dispatchEvent(new CustomEvent("kc-refused", { detail: { entry, answer } }));
  };

  // A request that never answers (a connection that died without a word, a server killed as
  // it took the request) is given up after this long, and the entry sent again: the server
  // saves an entry once whatever the number of times it comes.
  const ANSWER_WITHIN_MS = 10000;

  // Saves go over one websocket a page keeps open while it shows an entry (or has one to send):
  // a message each way on a connection already made, a third of a new request's time. Whenever
  // it is not open, the phone is offline, or it gives no answer within SOCKET_ANSWER_MS, the
  // entry goes by POST instead (the server saves an id once, however it comes).
  const SOCKET_ANSWER_MS = 3000;
  const SOCKET_AGAIN_MS = 5000;
  let socket = null;
  let socketAgain = 0;
  // A socket that closed is opened again SOCKET_AGAIN_MS later, not sooner, whoever asks (a tap,
  // the page changing): one the server refuses is not asked for again at every change.
  let socketAgainAt = 0;
  const answers = new Map(); // entry id -> the function its answer goes to
  const openSocket = () => {
    if (socket || Date.now() < socketAgainAt) return;
    if (!("WebSocket" in window) || navigator.onLine === false) return;
    const scheme = window.location.protocol === "https:" ? "wss" : "ws";
    let opened;
    try {
      opened = new WebSocket(`${scheme}://${window.location.host}/api/entries-socket`);
    } catch (_) {
      return;
    }
    socket = opened;
    opened.addEventListener("message", (event) => {
      let reply = null;
      try {
        reply = JSON.parse(event.data);
      } catch (_) {
        return;
      }
      const answer = reply && answers.get(reply.id);
      if (answer) answer({ status: reply.status, answer: reply.answer || {} });
    });
    const closed = () => {
      if (socket !== opened) return;
      socket = null;
      for (const answer of [...answers.values()]) answer(null); // each goes by POST
      window.clearTimeout(socketAgain);
      socketAgainAt = Date.now() + SOCKET_AGAIN_MS;
      socketAgain = window.setTimeout(() => {
        if (outbox().length || forms().length) openSocket();
      }, SOCKET_AGAIN_MS);
    };
    opened.addEventListener("close", closed);
    opened.addEventListener("error", closed);
  };
  const overSocket = (entry) =>
    new Promise((resolve) => {
      if (!socket || socket.readyState !== WebSocket.OPEN || navigator.onLine === false) {
        resolve(null);
        return;
      }
      const done = (reply) => {
        window.clearTimeout(timer);
        answers.delete(entry.id);
        resolve(reply);
      };
      const timer = window.setTimeout(() => done(null), SOCKET_ANSWER_MS);
      answers.set(entry.id, done);
      try {
        socket.send(
          JSON.stringify({
            kind: entry.kind,
            id: entry.id,
            fields: entry.fields,
            made_at: entry.made_at,
          }),
        );
      } catch (_) {
        done(null);
      }
    });

  const deliver = async (entry) => {
    const reply = await overSocket(entry);
    if (reply) return reply;
    const response = await fetch(`/api/entries/${encodeURIComponent(entry.kind)}`, {
      method: "POST",
      signal: giveUpAfter(ANSWER_WITHIN_MS),
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify({ id: entry.id, fields: entry.fields, made_at: entry.made_at }),
    });
    return { status: response.status, answer: await response.json().catch(() => ({})) };
  };

  const send = async (entry) => {
    inFlight.add(entry.id);
    try {
      const { status: code, answer } = await deliver(entry);
      if (code >= 200 && code < 300) return settle(entry, answer, true);
      if (code === 400 || code === 404 || code === 410) return settle(entry, answer, false);
      // 401 (signed out), 403, 5xx: kept, and tried again later.
      entry.problem = answer.message || "";
      entry.signedOut = code === 401;
      throw new Error(String(code));
    } catch (_) {
      // Not sent: marked so, for the connection line (an entry on its way is not "waiting").
      setOutbox(
        outbox().map((e) =>
          e.id === entry.id ? { ...e, failed: true, signedOut: !!entry.signedOut } : e,
        ),
      );
      const form = formOf(entry);
      if (form) {
        status(form, entry.signedOut ? entry.problem : notSent(entry), "waiting");
        button(form, "");
      }
      window.dispatchEvent(new CustomEvent("kc-waiting", { detail: { entry } }));
      schedule();
    } finally {
      inFlight.delete(entry.id);
    }
  };

  const schedule = () => {
    window.clearTimeout(retryTimer);
    retryTimer = window.setTimeout(() => flush(false), backoff);
    backoff = Math.min(backoff * 2, 60000);
  };

  const flush = (now) => {
    if (now) backoff = 2000;
    if (outbox().length) openSocket();
    for (const entry of outbox()) if (!inFlight.has(entry.id)) send(entry);
  };

  // --- wiring ----------------------------------------------------------------------------

  const outboxForm = (target) =>
    target instanceof Element ? target.closest("form[data-kc-outbox]") : null;

  document.addEventListener(
    "submit",
    (event) => {
      const form = outboxForm(event.target);
      if (!form) return;
      event.preventDefault();
      event.stopPropagation();
      submit(form);
    },
    true,
  );
  // A tap on Save is taken as it comes: the browser's own way from a submit button's click to
  // the form's "submit" (its checks of the whole form first) took 1.2 ms of a Save on the
  // check-in page, a sixth of it. Enter in a field still comes as "submit", above.
  document.addEventListener(
    "click",
    (event) => {
      const target = event.target instanceof Element ? event.target : null;
      const save = target?.closest('button[type="submit"], input[type="submit"]');
      const form = save?.form;
      if (!form || !form.hasAttribute("data-kc-outbox") || event.defaultPrevented) return;
      event.preventDefault();
      submit(form);
    },
    true,
  );
  const changed = (event) => {
    // A tap on a radio or a checkbox is an "input" and then a "change": kept once, on the change.
    const type = event.target instanceof HTMLInputElement ? event.target.type : "";
    if (event.type === "input" && (type === "radio" || type === "checkbox")) return;
    const form = outboxForm(event.target);
    if (form) remember(form, event.target.name);
  };
  document.addEventListener("change", changed, true);
  document.addEventListener("input", changed, true);

  // Deleting a saved day (data-kc-forget="<key>" on the confirming button): its draft and any
  // entry not yet sent are dropped first, so no later resend brings the day back.
  document.addEventListener(
    "click",
    (event) => {
      const target = event.target instanceof Element ? event.target.closest("[data-kc-forget]") : null;
      if (!target) return;
      const key = target.dataset.kcForget;
      const shown = formFor(key);
      if (shown) moveEarlier(shown); // not an earlier day's, kept under "today"
      drop(draftName(key));
      setOutbox(outbox().filter((e) => e.key !== key));
      const form = formFor(key);
      if (form) status(form, "", "");
      else lastWord.delete(key);
    },
    true,
  );

  // A second tap on the chosen answer of an optional row clears it.
  document.addEventListener(
    "pointerdown",
    (event) => {
      const label = event.target instanceof Element ? event.target.closest("label") : null;
      const input = label?.querySelector('input[type="radio"]');
      if (input && input.closest("[data-kc-clearable]")) input.dataset.kcWasChecked = input.checked ? "1" : "";
    },
    true,
  );
  document.addEventListener(
    "click",
    (event) => {
      const input = event.target;
      if (!(input instanceof HTMLInputElement) || input.type !== "radio") return;
      if (!input.closest("[data-kc-clearable]") || input.dataset.kcWasChecked !== "1") return;
      input.dataset.kcWasChecked = "";
      input.checked = false;
      input.dispatchEvent(new Event("change", { bubbles: true }));
    },
    true,
  );

  // Forms appear and re-mount as the page loads its data: what was tapped is put back.
  let pending = 0;
  const ownWords = (change) =>
    change.type === "childList" &&
    change.target instanceof Element &&
    change.target.matches('form[data-kc-outbox] [data-kc-status], form[data-kc-outbox] button[type="submit"]');
  const restoreAll = () => {
    pending = 0;
    const shown = forms();
    shown.forEach(restore);
    // A page with an entry on it keeps the socket open, so that even its first Save is one
    // message on a connection already made.
    if (shown.length) openSocket();
  };
  const start = () => {
    restoreAll();
    new MutationObserver((changes) => {
      // What this script writes itself (a form's status line, its Save button's label) changes
      // nothing to restore.
      if (changes.every(ownWords)) return;
      if (!pending) pending = window.requestAnimationFrame(restoreAll);
    }).observe(document.body, {
      childList: true,
      subtree: true,
      attributes: true,
      attributeFilter: ["data-kc-key", "data-kc-loading", "data-kc-for", "data-kc-version"],
    });
    flush(true);
  };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
  window.addEventListener("online", () => flush(true));
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible") flush(true);
  });
  window.addEventListener("storage", (event) => {
    if (event.key === OUTBOX) window.dispatchEvent(new CustomEvent("kc-outbox", { detail: {} }));
  });
  // Only when this browser refuses to keep anything does leaving lose an unsent entry.
  window.addEventListener("beforeunload", (event) => {
    if (!stored && outbox().length) {
      event.preventDefault();
      event.returnValue = "";
    }
  });
  // Entries not sent: those that failed, and those left by an earlier page not yet on their way.
  const waiting = () => outbox().filter((e) => e.failed || !inFlight.has(e.id));
  // Whether saves go over the entries socket just now (else by POST).
  const socketOpen = () => !!socket && socket.readyState === WebSocket.OPEN;
  window.kcOutbox = { entries: outbox, waiting, flush: () => flush(true), socketOpen };
})();
