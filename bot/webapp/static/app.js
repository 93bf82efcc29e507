// The Summit Bot Mini App: plain JavaScript, no build step, nothing loaded from elsewhere.
// Every call sends Telegram's signed initData; the server decides what this person may
// see and do, and sends the page's words in their language.
"use strict";

(function () {
  const API = new URL("api/", document.baseURI).pathname;
  const state = { me: null, tab: null, day: null, query: "", timer: null };
  const $ = (id) => document.getElementById(id);

  // Telegram passes initData in the URL fragment (#tgWebAppData=...); its own script,
  // which this page does not load, would expose the same string as WebApp.initData.
  function readInitData() {
    const tg = window.Telegram && window.Telegram.WebApp;
    if (tg && tg.initData) return tg.initData;
    const fragment = new URLSearchParams(location.hash.slice(1));
    const fromUrl = fragment.get("tgWebAppData");
    if (fromUrl) {
      sessionStorage.setItem("tgWebAppData", fromUrl);
      return fromUrl;
    }
    return sessionStorage.getItem("tgWebAppData") || "";
  }
  const initData = readInitData();

  function el(tag, props, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(props || {})) {
      if (key === "class") node.className = value;
      else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
      else if (value !== false && value !== null && value !== undefined) node.setAttribute(key, value === true ? "" : value);
    }
    for (const child of children.flat()) {
      if (child !== null && child !== undefined && child !== false) {
        node.append(child instanceof Node ? child : document.createTextNode(String(child)));
      }
    }
    return node;
  }

  const s = (key) => (state.me && state.me.strings[key]) || key;

  async function call(path, body) {
    const options = { headers: { Authorization: "tma " + initData } };
    if (body !== undefined) {
      options.method = "POST";
      options.headers["Content-Type"] = "application/json";
      options.body = JSON.stringify(body);
    }
    const response = await fetch(API + path, options);
    const data = (response.headers.get("Content-Type") || "").startsWith("application/json")
      ? await response.json() : null;
    if (!response.ok) throw new Error((data && data.error) || s("error"));
    return data;
  }

  function toast(text) {
    const box = $("toast");
    box.textContent = text;
    box.hidden = false;
    clearTimeout(toast.timer);
    toast.timer = setTimeout(() => { box.hidden = true; }, 4000);
  }

  function show(...nodes) {
    $("view").replaceChildren(...nodes);
  }

  function status(text) {
    return el("p", { class: "status" }, text);
  }

  // ------------------------------------------------------------------ tabs and days

  function tabs() {
    const me = state.me;
    const list = [];
    if (me.delegate) list.push(["day", s("my_day")]);
    list.push(["programme", s("programme")]);
    if (me.head) list.push(["bilaterals", s("bilaterals")]);
    if (me.organizer) list.push(["grid", s("grid")], ["broadcasts", s("broadcasts")], ["bookings", s("bookings")]);
    return list;
  }

  function renderTabs() {
    $("tabs").replaceChildren(...tabs().map(([id, label]) => el("button", {
      role: "tab", "aria-selected": String(state.tab === id), "data-tab": id,
      onclick: () => open(id),
    }, label)));
  }

  function renderDays(visible) {
    const box = $("days");
    box.hidden = !visible;
    if (!visible) return;
    box.replaceChildren(...state.me.days.map((d) => el("button", {
      "aria-pressed": String(state.day === d.date), "data-day": d.date,
      onclick: () => { state.day = d.date; open(state.tab); },
    }, d.label)));
  }

  function open(tab) {
    state.tab = tab;
    clearInterval(state.timer);
    renderTabs();
    renderDays(["day", "programme", "grid"].includes(tab) && !(tab === "programme" && state.query));
    const views = { day: myDay, programme, grid, broadcasts, bilaterals, bookings };
    return views[tab]().catch((error) => show(status(error.message)));
  }

  // ------------------------------------------------------------------ sessions

  function sessionCard(session, { withTime }) {
    // Each part isolated (<bdi>): Latin names inside an Arabic line keep their own order.
    const parts = [withTime && `${session.start}–${session.end}`, session.room, session.track]
      .filter(Boolean);
    const meta = parts.flatMap((part, i) => (i ? [" · ", el("bdi", {}, part)] : [el("bdi", {}, part)]));
    const actions = [];
    if (session.can_toggle) {
      actions.push(el("button", {
        class: "act" + (session.attending ? "" : " primary"), "data-toggle": session.id,
        onclick: () => toggle(session),
      }, session.attending ? s("remove") : s("add")));
    } else if (session.attending && !session.cancelled) {
      actions.push(el("span", { class: "meta" }, "✓ " + s("on_agenda")));
    }
    if (session.has_map) {
      actions.push(el("button", { class: "act", onclick: () => showMap(session) }, "📍 " + s("map")));
    }
    const classes = ["card", session.cancelled && "cancelled", session.private && "private"];
    return el("div", { class: classes.filter(Boolean).join(" "), "data-session": session.id },
      el("div", { class: "title" }, session.private ? "🔒 " : "", session.title,
        session.cancelled ? el("span", { class: "badge off" }, s("cancelled")) : null),
      el("div", { class: "meta" }, meta),
      session.speakers.length ? el("div", { class: "meta" }, el("bdi", {}, session.speakers.join(", "))) : null,
      actions.length ? el("div", { class: "actions" }, actions) : null);
  }

  async function myDay() {
    const first = state.me.agenda;
    state.me.agenda = null; // sent with /api/me for the first screen only
    const data = first && first.day === state.day
      ? first : await call("agenda?day=" + encodeURIComponent(state.day));
    const items = data.sessions.map((session) => el("li", {},
      el("span", { class: "time" }, session.start), sessionCard(session, { withTime: true })));
    show(el("h2", {}, data.label),
      items.length ? el("ol", { class: "timeline", id: "timeline" }, items) : status(s("nothing_today")));
  }

  async function programme() {
    const search = el("input", {
      class: "search", type: "search", id: "search", value: state.query,
      placeholder: s("search"), "aria-label": s("search"), autocomplete: "off",
    });
    const results = el("ul", { class: "list", id: "results" });
    let pending = null;
    const load = async () => {
      const q = state.query.trim();
      const path = q ? "programme?q=" + encodeURIComponent(q) : "programme?day=" + encodeURIComponent(state.day);
      const data = await call(path);
      const cards = data.sessions.map((session) => el("li", {}, sessionCard(session, { withTime: true })));
      results.replaceChildren(...(cards.length ? cards : [status(s("no_results"))]));
    };
    search.addEventListener("input", () => {
      state.query = search.value;
      renderDays(!state.query.trim());
      clearTimeout(pending);
      pending = setTimeout(() => load().catch((e) => toast(e.message)), 250);
    });
    show(search, results);
    await load();
  }

  async function toggle(session) {
    try {
      const answer = await call("attend", { session: session.id, attending: !session.attending });
      toast(answer.message);
    } catch (error) {
      toast(error.message);
    }
    open(state.tab);
  }

  // ------------------------------------------------------------------ venue map

  async function showMap(session) {
    const body = $("dialog-body");
    try {
      const where = await call("map?session=" + encodeURIComponent(session.id));
      // The plan comes through the API (it checks who asks), so it needs the header too.
      const response = await fetch(API + "map-image?session=" + encodeURIComponent(session.id),
        { headers: { Authorization: "tma " + initData } });
      if (!response.ok) throw new Error(s("no_map"));
      const image = el("img", { alt: where.room, src: URL.createObjectURL(await response.blob()) });
      const pin = el("span", { class: "pin" });
      image.addEventListener("load", () => {
        pin.style.left = (100 * where.x / image.naturalWidth) + "%";
        pin.style.top = (100 * where.y / image.naturalHeight) + "%";
      });
      body.replaceChildren(el("h2", {}, where.room),
        el("p", { class: "meta" }, [where.building, where.floor].filter(Boolean).join(" · ")),
        el("div", { class: "map" }, image, pin), closeRow());
    } catch (error) {
      body.replaceChildren(el("p", {}, error.message), closeRow());
    }
    $("dialog").showModal();
  }

  function closeRow(...extra) {
    return el("div", { class: "row" }, ...extra,
      el("button", { class: "act", onclick: () => $("dialog").close() }, s("close")));
  }

  // ------------------------------------------------------------------ organizers

  const SLOT = 5 * 60; // seconds per grid row

  async function grid() {
    const data = await call("grid?day=" + encodeURIComponent(state.day));
    if (!data.sessions.length) {
      show(el("h2", {}, data.label), status(s("no_results")));
      return;
    }
    const top = data.hours[0].ts;
    const last = Math.max(...data.sessions.map((x) => x.end_ts));
    const rows = Math.ceil((last - top) / SLOT);
    const box = el("div", { class: "grid", id: "grid" });
    box.style.gridTemplateColumns = `3.5em repeat(${data.rooms.length}, 10em)`;
    box.style.gridTemplateRows = `auto repeat(${rows}, 0.45em)`;
    box.append(el("div", { class: "room" }));
    data.rooms.forEach((room, i) => {
      const head = el("div", { class: "room" }, room);
      head.style.gridColumn = String(i + 2);
      box.append(head);
    });
    for (const hour of data.hours) {
      const row = 2 + (hour.ts - top) / SLOT;
      const mark = el("div", { class: "hour" }, hour.label);
      mark.style.gridColumn = "1";
      mark.style.gridRow = `${row} / span ${Math.min(3600 / SLOT, rows + 2 - row)}`;
      box.append(mark);
    }
    for (const session of data.sessions) {
      const block = el("button", {
        class: ["session", session.private && "private", session.cancelled && "cancelled"].filter(Boolean).join(" "),
        "data-session": session.id, title: `${session.start}–${session.end} ${session.title}`,
        onclick: () => editSession(session, data),
      }, `${session.start} ${session.private ? "🔒 " : ""}${session.title}`);
      block.style.gridColumn = String(data.rooms.indexOf(session.room) + 2);
      const from = 2 + Math.floor((session.start_ts - top) / SLOT);
      block.style.gridRow = `${from} / span ${Math.max(1, Math.round((session.end_ts - session.start_ts) / SLOT))}`;
      box.append(block);
    }
    show(el("h2", {}, data.label), el("div", { class: "grid-wrap" }, box));
  }

  function editSession(session, data) {
    const body = $("dialog-body");
    const room = el("input", { id: "move-room", list: "known-rooms", value: session.room, autocomplete: "off" });
    const rooms = el("datalist", { id: "known-rooms" }, data.known_rooms.map((name) => el("option", { value: name })));
    const start = el("input", { id: "new-start", value: session.start, inputmode: "numeric", dir: "ltr" });
    const done = async (path, payload) => {
      try {
        const answer = await call(path, payload);
        $("dialog").close();
        toast(answer.message);
        open("grid");
      } catch (error) {
        toast(error.message);
      }
    };
    body.replaceChildren(
      el("h2", {}, session.title),
      el("p", { class: "meta" }, `${session.id} · ${session.start}–${session.end} · ${session.room}`),
      el("label", { for: "move-room" }, s("new_room")), room, rooms,
      el("div", { class: "row" }, el("button", {
        class: "act primary", id: "do-move",
        onclick: () => done("move", { session: session.id, room: room.value }),
      }, s("move"))),
      el("label", { for: "new-start" }, s("new_start")), start,
      el("div", { class: "row" }, el("button", {
        class: "act primary", id: "do-reschedule",
        onclick: () => done("reschedule", { session: session.id, start: start.value }),
      }, s("reschedule"))),
      closeRow(el("button", {
        class: "act danger", id: "do-cancel",
        onclick: () => { if (confirm(s("confirm_cancel"))) done("cancel", { session: session.id }); },
      }, s("cancel_session"))));
    $("dialog").showModal();
  }

  async function broadcasts() {
    const render = async () => {
      const data = await call("broadcasts");
      const items = data.items.map((b) => {
        const bar = el("div", { class: "bar" }, el("span"));
        bar.firstChild.style.width = (b.total ? (100 * b.delivered / b.total) : 0) + "%";
        const counts = [`${b.delivered}/${b.total} ${s("delivered")}`, `${b.waiting} ${s("waiting")}`,
          `${b.failed} ${s("failed")}`];
        if (b.urgent) counts.push(`${b.acknowledged} ${s("acknowledged")}`);
        return el("li", { class: "card" }, el("div", { class: "title" }, b.urgent ? "🚨 " : "📢 ", b.audience),
          el("div", { class: "meta" }, b.text), bar, el("div", { class: "meta" }, counts.join(" · ")));
      });
      show(items.length ? el("ul", { class: "list" }, items) : status(s("none_yet")));
    };
    await render();
    state.timer = setInterval(() => render().catch(() => {}), 3000);
  }

  function bilateralList(items) {
    return items.length
      ? el("ul", { class: "list" }, items.map((item) => el("li", { class: "card" },
        el("div", { class: "title" }, item.other), el("div", { class: "meta" }, `${item.when} · ${item.room} · ${item.state}`))))
      : status(s("none_yet"));
  }

  async function bilaterals() {
    show(bilateralList((await call("bilaterals")).items));
  }

  async function bookings() {
    show(bilateralList((await call("bookings")).items));
  }

  // ------------------------------------------------------------------ start

  async function start() {
    if (!initData) {
      show(status("Open this page from the bot's menu button in Telegram."));
      return;
    }
    try {
      state.me = await call("me");
    } catch (error) {
      show(status(error.message));
      return;
    }
    const me = state.me;
    document.documentElement.lang = me.language;
    document.documentElement.dir = me.dir;
    document.title = s("title");
    $("summit").textContent = me.summit;
    $("dialog").addEventListener("click", (event) => { if (event.target === $("dialog")) $("dialog").close(); });
    state.day = me.today;
    await open(me.delegate ? "day" : me.organizer ? "grid" : "programme");
    // The first render is done: bench/webapp.py reads this mark.
    performance.mark("summit-first-render");
    document.body.dataset.ready = "true";
  }

  start();
})();
