// eventwire page: map, timeline, table and event panel over the REST API.
// Every value from the API reaches the page as text (textContent / createTextNode), never as HTML:
// reports contain markup, and none of it may run or render.
"use strict";

(() => {
  const settings = JSON.parse(document.querySelector('meta[name="eventwire-settings"]').content);
  const COLORS = {
    "Battles": "#d62728",
    "Explosions/Remote violence": "#ff7f0e",
    "Violence against civilians": "#9467bd",
    "Protests": "#2ca02c",
    "Riots": "#8c564b",
    "Strategic developments": "#1f77b4",
  };
  const OTHER_COLOR = "#7f7f7f";
  const PAGE = 50;
  const FILTER_NAMES = ["date_from", "date_to", "country", "admin1", "sub_event_type", "actor", "text",
    "review_status"];

  const state = { filters: {}, sort: "-event_date", offset: 0, selected: null, total: 0, bins: [] };
  const $ = (id) => document.getElementById(id);
  const fmt = (n) => Number(n).toLocaleString("en");
  const colorOf = (type) => COLORS[type] || OTHER_COLOR;

  // ------------------------------------------------------------------ DOM and HTTP helpers

  function el(tag, props, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(props || {})) {
      if (value === undefined || value === null || value === false) continue;
      if (key === "className") node.className = value;
      else if (key === "dataset") Object.assign(node.dataset, value);
      else if (key === "style") Object.assign(node.style, value);
      else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
      else node.setAttribute(key, value === true ? "" : String(value));
    }
    for (const child of children.flat()) {
      if (child === undefined || child === null || child === false) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  function svg(tag, attrs) {
    const node = document.createElementNS("http://www.w3.org/2000/svg", tag);
    for (const [key, value] of Object.entries(attrs || {})) node.setAttribute(key, String(value));
    return node;
  }

  const tokenInput = $("token");
  tokenInput.value = sessionStorage.getItem("eventwire-token") || "";
  const saveToken = () => sessionStorage.setItem("eventwire-token", tokenInput.value.trim());
  tokenInput.addEventListener("change", saveToken);
  $("token-form").addEventListener("submit", (event) => { event.preventDefault(); saveToken(); });

  class ApiError extends Error {
    constructor(status, detail) { super(detail); this.status = status; }
  }

  async function api(path, options = {}) {
    const headers = { Accept: "application/json", ...(options.headers || {}) };
    const token = tokenInput.value.trim();
    if (token) headers.Authorization = "Bearer " + token;
    if (options.json !== undefined) {
      headers["Content-Type"] = "application/json";
      options.body = JSON.stringify(options.json);
    }
    const response = await fetch(path, { method: options.method || "GET", headers, body: options.body,
      signal: options.signal });
    const body = await response.json().catch(() => ({}));
    if (!response.ok) {
      const detail = typeof body.detail === "string" ? body.detail
        : Array.isArray(body.detail) ? body.detail.map((d) => d.msg).join("; ") : response.statusText;
      throw new ApiError(response.status, detail);
    }
    return body;
  }

  function query(params) {
    const out = new URLSearchParams();
    for (const [key, value] of Object.entries(params)) {
      if (value !== undefined && value !== null && value !== "") out.append(key, value);
    }
    return out.toString();
  }

  // Each refresh cancels the one before it, so a slow answer never overwrites a newer one.
  const pending = {};
  function latest(name) {
    if (pending[name]) pending[name].abort();
    pending[name] = new AbortController();
    return pending[name].signal;
  }
  const ignoreAbort = (error) => { if (error.name !== "AbortError") console.error(error); };

  // ------------------------------------------------------------------ filters

  const form = $("filters");
  function readFilters() {
    const data = new FormData(form);
    state.filters = {};
    for (const name of FILTER_NAMES) {
      const value = String(data.get(name) || "").trim();
      if (value) state.filters[name] = value;
    }
  }
  let debounce = null;
  function filtersChanged({ timeline = true } = {}) {
    clearTimeout(debounce);
    debounce = setTimeout(() => {
      readFilters();
      state.offset = 0;
      refreshTable();
      refreshMap();
      if (timeline) refreshTimeline(); else drawTimeline();
    }, 250);
  }
  form.addEventListener("input", (event) => {
    const dates = event.target.name === "date_from" || event.target.name === "date_to";
    filtersChanged({ timeline: !dates });
  });
  form.addEventListener("reset", () => setTimeout(() => filtersChanged(), 0));
  form.addEventListener("submit", (event) => event.preventDefault());
  const withoutDates = () => {
    const { date_from, date_to, ...rest } = state.filters;
    return rest;
  };

  // ------------------------------------------------------------------ summary and choices

  async function loadStats() {
    const stats = await api("/api/stats");
    $("summary").textContent = `${fmt(stats.events)} events from ${fmt(stats.articles)} articles · `
      + `${fmt(stats.fatalities)} reported fatalities`;
    const select = form.elements.sub_event_type;
    for (const [name, count] of Object.entries(stats.by_sub_event_type || {})) {
      select.append(el("option", { value: name }, `${name} (${fmt(count)})`));
    }
    const countries = $("countries");
    for (const name of Object.keys(stats.by_country || {})) {
      if (name !== "(unknown)") countries.append(el("option", { value: name }));
    }
  }

  // ------------------------------------------------------------------ table

  const tbody = document.querySelector("#events tbody");
  function dateText(event) {
    if (!event.event_date) return "unknown";
    if (event.date_start && event.date_end && event.date_start !== event.date_end) {
      return `${event.event_date} (${event.date_start} – ${event.date_end})`;
    }
    return event.event_date;
  }
  const placeText = (e) => [e.location, e.admin1, e.country].filter(Boolean).join(", ") || "unknown";
  const actorsText = (e) => [e.actor1, e.actor2].filter(Boolean).join(" vs ");

  async function refreshTable() {
    const params = { ...state.filters, sort: state.sort, limit: PAGE, offset: state.offset };
    let page;
    try {
      page = await api("/api/events?" + query(params), { signal: latest("table") });
    } catch (error) { return ignoreAbort(error); }
    state.total = page.total;
    tbody.replaceChildren(...page.events.map((e) => el("tr", {
      dataset: { eventId: e.event_id },
      className: e.event_id === state.selected ? "selected" : null,
      onclick: () => openEvent(e.event_id),
    },
      el("td", {}, dateText(e)),
      el("td", {}, el("span", { className: "dot", style: { background: colorOf(e.event_type) } }), e.sub_event_type),
      el("td", {}, placeText(e)),
      el("td", {}, actorsText(e)),
      el("td", { className: "num" }, fmt(e.fatalities)),
      el("td", {}, el("span", { className: "status " + e.review_status }, e.review_status)),
    )));
    if (!page.events.length) tbody.append(el("tr", {}, el("td", { colspan: 6 }, "No events match these filters.")));
    const last = Math.min(state.offset + page.events.length, page.total);
    // Past the server's count cap the total is the database's estimate: say so, and let "next" go on
    // while pages come back full.
    const about = page.total_is_estimate ? "about " : "";
    $("page-info").textContent = page.total ? `${fmt(state.offset + 1)}–${fmt(last)} of ${about}${fmt(page.total)}` : "0 events";
    $("prev").disabled = state.offset === 0;
    $("next").disabled = page.total_is_estimate ? page.events.length < PAGE : last >= page.total;
    document.querySelectorAll("#events th.sortable").forEach((th) => {
      th.classList.toggle("sorted-asc", state.sort === th.dataset.sort);
      th.classList.toggle("sorted-desc", state.sort === "-" + th.dataset.sort);
    });
    if (page.events.length && !document.body.dataset.firstEvents) {
      document.body.dataset.firstEvents = String(Math.round(performance.now()));
    }
  }
  $("prev").addEventListener("click", () => { state.offset = Math.max(0, state.offset - PAGE); refreshTable(); });
  $("next").addEventListener("click", () => { state.offset += PAGE; refreshTable(); });
  document.querySelectorAll("#events th.sortable").forEach((th) => th.addEventListener("click", () => {
    const key = th.dataset.sort;
    state.sort = state.sort === "-" + key ? key : "-" + key;
    state.offset = 0;
    refreshTable();
  }));

  // ------------------------------------------------------------------ map

  const map = L.map("map", { worldCopyJump: true, minZoom: 1, maxZoom: 14 }).setView([30, 20], 2);
  const layer = L.layerGroup().addTo(map);
  let fitted = false;
  map.attributionControl.setPrefix(false);
  drawGraticule();
  if (settings.tiles) addTiles();
  else showMapNote("No map tiles configured: plain background (eventwire serve --tiles URL adds them).");

  function showMapNote(text) { const note = $("map-note"); note.textContent = text; note.hidden = false; }

  function addTiles() {
    // Without the internet the tiles fail to load: drop them and keep the plain background with the points.
    const tiles = L.tileLayer(settings.tiles, { attribution: settings.tilesAttribution || "", maxZoom: 19 });
    let loaded = 0; let failed = 0;
    tiles.on("tileload", () => { loaded += 1; });
    tiles.on("tileerror", () => {
      failed += 1;
      if (!loaded && failed >= 2 && map.hasLayer(tiles)) {
        map.removeLayer(tiles);
        showMapNote("Map tiles unavailable (offline?): plain background.");
      }
    });
    tiles.addTo(map);
  }

  function drawGraticule() {
    const style = { color: "#b9c7d4", weight: 1, interactive: false };
    for (let lon = -180; lon <= 180; lon += 30) L.polyline([[-85, lon], [85, lon]], style).addTo(map);
    for (let lat = -60; lat <= 60; lat += 30) L.polyline([[lat, -180], [lat, 180]], style).addTo(map);
  }

  // Capitals and big cities as grey labels, so that a map without tiles still shows where things are.
  const placesLayer = L.layerGroup().addTo(map);
  let referencePlaces = [];
  map.attributionControl.addAttribution("Places: GeoNames");
  api("/api/reference-places").then((places) => { referencePlaces = places; drawPlaces(); }).catch(ignoreAbort);
  function drawPlaces() {
    placesLayer.clearLayers();
    const zoom = map.getZoom();
    if (zoom < 4) return;
    const view = map.getBounds().pad(0.1);
    for (const p of referencePlaces) {
      if (!(p.capital || zoom >= 6) || !view.contains([p.lat, p.lon])) continue;
      const dot = L.circleMarker([p.lat, p.lon], { radius: 2, color: "#6b7785", weight: 1, fillOpacity: 1,
        interactive: false });
      dot.bindTooltip(el("span", {}, p.name), { permanent: true, direction: "right", className: "place-label", offset: [4, 0] });
      placesLayer.addLayer(dot);
    }
  }
  map.on("moveend", drawPlaces);

  const legend = L.control({ position: "bottomright" });
  legend.onAdd = () => el("div", { className: "legend" },
    ...Object.entries(COLORS).map(([name, color]) => el("div", {}, el("i", { style: { background: color } }), name)),
    el("div", {}, "Size: fatalities"));
  legend.addTo(map);

  const pointRadius = (fatalities) => Math.min(22, 5 + 2.5 * Math.sqrt(fatalities || 0));
  const clusterSize = (fatalities, count) => Math.round(Math.min(72, 26 + 7 * Math.log2(1 + (fatalities || 0))
    + 2 * Math.log10(count)));
  const short = (n) => (n >= 10000 ? Math.round(n / 1000) + "k" : n >= 1000 ? (n / 1000).toFixed(1) + "k" : String(n));

  async function refreshMap() {
    const bounds = map.getBounds();
    const bbox = [bounds.getWest(), bounds.getSouth(), bounds.getEast(), bounds.getNorth()]
      .map((v) => v.toFixed(4)).join(",");
    const params = { ...state.filters, zoom: map.getZoom(), bbox: fitted ? bbox : "" };
    let data;
    try {
      data = await api("/api/map?" + query(params), { signal: latest("map") });
    } catch (error) { return ignoreAbort(error); }
    if (!data || !Array.isArray(data.clusters)) return;  // a superseded or failed answer: keep the layer
    layer.clearLayers();
    for (const c of data.clusters) layer.addLayer(c.count === 1 && c.event ? pointMarker(c) : clusterMarker(c));
    document.body.dataset.mapClusters = String(data.clusters.length);
    if (params.bbox) {  // the clusters of the view itself, not of the first whole-world answer
      document.body.dataset.mapZoom = String(map.getZoom());
      if (!document.body.dataset.mapReady) document.body.dataset.mapReady = String(Math.round(performance.now()));
    }
    if (!fitted) {  // first answer, for the whole world: fit the view to the data, then ask for its clusters
      fitted = true;
      if (data.clusters.length) {
        const corners = data.clusters.flatMap((c) => [[c.bounds[0], c.bounds[1]], [c.bounds[2], c.bounds[3]]]);
        map.fitBounds(L.latLngBounds(corners).pad(0.2), { maxZoom: 7, animate: false });
      }
      refreshMap();
    }
  }

  function pointMarker(c) {
    const color = colorOf(c.event_type);
    const marker = L.circleMarker([c.lat, c.lon], { radius: pointRadius(c.fatalities), color: "#fff", weight: 1.5,
      fillColor: color, fillOpacity: 0.85 });
    marker.bindTooltip(el("div", {},
      el("strong", {}, c.event.sub_event_type), el("br"),
      [c.event.location, c.event.event_date || "date unknown"].filter(Boolean).join(" · "), el("br"),
      `${fmt(c.fatalities)} fatalities`));
    marker.on("click", () => openEvent(c.event.event_id));
    return marker;
  }

  function clusterMarker(c) {
    const size = clusterSize(c.fatalities, c.count);
    const icon = L.divIcon({
      className: "",
      html: el("div", { className: "cluster", dataset: { count: c.count },
        style: { width: size + "px", height: size + "px", background: colorOf(c.event_type) } }, short(c.count)),
      iconSize: [size, size],
    });
    const marker = L.marker([c.lat, c.lon], { icon, keyboard: false });
    const kinds = Object.entries(c.types).map(([type, n]) => `${type}: ${fmt(n)}`);
    marker.bindTooltip(el("div", {}, el("strong", {}, `${fmt(c.count)} events`), el("br"),
      `${fmt(c.fatalities)} fatalities`, ...kinds.map((k) => [el("br"), k])));
    marker.on("click", () => {
      const [south, west, north, east] = c.bounds;
      const tiny = north - south < 1e-4 && east - west < 1e-4;
      if (tiny || map.getZoom() >= map.getMaxZoom()) showClusterList(c);
      else map.fitBounds([[south, west], [north, east]], { padding: [30, 30], maxZoom: map.getMaxZoom() });
    });
    return marker;
  }

  async function showClusterList(c) {
    const [south, west, north, east] = c.bounds;
    const pad = 1e-4;
    const params = { ...state.filters, bbox: [west - pad, south - pad, east + pad, north + pad].join(","), limit: 25 };
    const page = await api("/api/events?" + query(params));
    const list = el("ol", { className: "cluster-list" }, ...page.events.map((e) => el("li", {},
      el("a", { onclick: () => openEvent(e.event_id) }, `${dateText(e)} · ${e.sub_event_type}`))));
    const about = page.total_is_estimate ? "about " : "";
    const more = page.total > page.events.length ? el("div", {}, `and ${about}${fmt(page.total - page.events.length)} more`) : null;
    L.popup().setLatLng([c.lat, c.lon]).setContent(el("div", {}, el("strong", {}, placeText(page.events[0] || {})),
      list, more)).openOn(map);
  }

  let moveTimer = null;
  map.on("moveend", () => { clearTimeout(moveTimer); moveTimer = setTimeout(refreshMap, 150); });

  // ------------------------------------------------------------------ timeline with brushing

  const chart = $("timeline");
  const margin = { left: 34, right: 8, top: 8, bottom: 20 };
  async function refreshTimeline() {
    let data;
    try {
      data = await api("/api/timeline?" + query(withoutDates()), { signal: latest("timeline") });
    } catch (error) { return ignoreAbort(error); }
    state.bins = data.bins;
    state.bucket = data.bucket;
    state.undated = data.undated;
    drawTimeline();
  }

  function geometry() {
    const width = chart.clientWidth || 600;
    const height = chart.clientHeight || 140;
    const inner = width - margin.left - margin.right;
    const step = state.bins.length ? inner / state.bins.length : inner;
    return { width, height, inner, step };
  }

  function selectedRange() {
    const from = state.filters.date_from; const to = state.filters.date_to;
    if (!from && !to) return null;
    return [from || "0000-01-01", to || "9999-12-31"];
  }

  function drawTimeline(draft) {
    const { width, height, step } = geometry();
    chart.setAttribute("viewBox", `0 0 ${width} ${height}`);
    chart.replaceChildren();
    const bins = state.bins;
    const plot = height - margin.top - margin.bottom;
    const max = Math.max(1, ...bins.map((b) => b.count));
    chart.append(svg("line", { class: "axis", x1: margin.left, x2: width - margin.right, y1: margin.top + plot,
      y2: margin.top + plot }));
    const yLabel = svg("text", { x: margin.left - 4, y: margin.top + 9, "text-anchor": "end" });
    yLabel.textContent = short(max);
    chart.append(yLabel);
    const range = selectedRange();
    bins.forEach((bin, i) => {
      const h = Math.max(bin.count ? 1 : 0, (bin.count / max) * plot);
      const inRange = !range || (bin.end >= range[0] && bin.start <= range[1]);
      const rect = svg("rect", { class: "bar" + (range && inRange ? " in" : ""), x: margin.left + i * step + 0.5,
        y: margin.top + plot - h, width: Math.max(1, step - 1), height: h });
      const title = svg("title", {});
      title.textContent = `${bin.start}${bin.end !== bin.start ? " – " + bin.end : ""}: ${fmt(bin.count)} events`;
      rect.append(title);
      chart.append(rect);
    });
    const ticks = bins.length ? [0, Math.floor(bins.length / 2), bins.length - 1] : [];
    for (const i of [...new Set(ticks)]) {
      const label = svg("text", { x: margin.left + (i + 0.5) * step, y: height - 5,
        "text-anchor": i === 0 ? "start" : i === bins.length - 1 ? "end" : "middle" });
      label.textContent = bins[i].start;
      chart.append(label);
    }
    const shade = draft || (range && rangeToPixels(range));
    if (shade) {
      chart.append(svg("rect", { class: "brush", x: Math.min(shade[0], shade[1]), y: margin.top,
        width: Math.abs(shade[1] - shade[0]), height: plot }));
    }
    const info = range ? `Dates ${state.filters.date_from || "…"} to ${state.filters.date_to || "…"} `
      + "(click the timeline to clear)" : `Drag across the timeline to filter by date (${state.bucket || "day"} bins)`;
    $("timeline-info").textContent = info + (state.undated ? ` · ${fmt(state.undated)} events without a date` : "");
  }

  function rangeToPixels(range) {
    const { step } = geometry();
    const first = state.bins.findIndex((b) => b.end >= range[0]);
    let last = -1;
    state.bins.forEach((b, i) => { if (b.start <= range[1]) last = i; });
    if (first < 0 || last < first) return null;
    return [margin.left + first * step, margin.left + (last + 1) * step];
  }

  const binAt = (x) => {
    const { step } = geometry();
    return Math.max(0, Math.min(state.bins.length - 1, Math.floor((x - margin.left) / step)));
  };
  let brushStart = null;
  const localX = (event) => {
    const box = chart.getBoundingClientRect();
    return (event.clientX - box.left) * (geometry().width / box.width);
  };
  chart.addEventListener("pointerdown", (event) => {
    if (!state.bins.length) return;
    brushStart = localX(event);
    chart.setPointerCapture(event.pointerId);
  });
  chart.addEventListener("pointermove", (event) => {
    if (brushStart !== null) drawTimeline([brushStart, localX(event)]);
  });
  chart.addEventListener("pointerup", (event) => {
    if (brushStart === null) return;
    const end = localX(event);
    const start = brushStart;
    brushStart = null;
    if (Math.abs(end - start) < 4) {  // a click clears the date filter
      form.elements.date_from.value = "";
      form.elements.date_to.value = "";
    } else {
      const a = binAt(Math.min(start, end)); const b = binAt(Math.max(start, end));
      form.elements.date_from.value = state.bins[a].start;
      form.elements.date_to.value = state.bins[b].end;
    }
    filtersChanged({ timeline: false });
  });
  window.addEventListener("resize", () => drawTimeline());

  // ------------------------------------------------------------------ event panel and review

  const panel = $("panel");
  $("panel-close").addEventListener("click", () => {
    panel.hidden = true; state.selected = null; markSelected();
  });
  const markSelected = () => tbody.querySelectorAll("tr").forEach((tr) =>
    tr.classList.toggle("selected", tr.dataset.eventId === state.selected));

  async function openEvent(eventId, message) {
    state.selected = eventId;
    markSelected();
    panel.hidden = false;
    const body = $("panel-body");
    let event;
    try {
      event = await api("/api/events/" + encodeURIComponent(eventId), { signal: latest("event") });
    } catch (error) {
      if (error.name !== "AbortError") body.replaceChildren(el("p", { className: "message error" }, error.message));
      return;
    }
    $("panel-title").textContent = `${event.sub_event_type} — ${placeText(event)}, ${dateText(event)}`;
    const status = el("div", { className: "message", role: "status", id: "review-message" }, message || "");
    body.replaceChildren(...[
      reviewBar(event, status),
      status,
      fieldList(event),
      event.flags.length ? el("div", { className: "flags" }, "Flags: " + event.flags.join(", ")) : null,
      Object.keys(event.conflicts).length
        ? el("div", { className: "flags" }, "Reports disagree: " + JSON.stringify(event.conflicts)) : null,
      el("h3", {}, `Evidence (${fmt(event.evidence.length)} spans in ${fmt(event.articles.length)} articles)`),
      el("div", { id: "evidence" }),
      event.history.length ? el("h3", {}, "History") : null,
      event.history.length ? el("ul", { className: "history" },
        ...event.history.map((h) => el("li", {}, `${h.at.replace("T", " ").slice(0, 19)} · ${h.who} · ${h.action}`))) : null,
    ].filter(Boolean));
    const evidence = $("evidence");
    for (const article of event.articles) {
      const box = el("div", { className: "article" }, el("div", { className: "article-head" }, "Loading…"));
      evidence.append(box);
      showArticle(box, article, event.event_id);
    }
  }

  function fieldList(e) {
    const rows = [
      ["Event type", e.event_type], ["Sub-event type", e.sub_event_type], ["Date", dateText(e)],
      ["Time precision", e.time_precision], ["Actor 1", e.actor1], ["Associated", e.assoc_actor_1.join(", ")],
      ["Actor 2", e.actor2], ["Associated ", e.assoc_actor_2.join(", ")], ["Location", placeText(e)],
      ["Coordinates", e.latitude !== null ? `${e.latitude}, ${e.longitude} (precision ${e.geo_precision})` : null],
      ["Fatalities", e.fatalities_low !== e.fatalities_high
        ? `${e.fatalities} (reports: ${e.fatalities_low}–${e.fatalities_high})` : e.fatalities],
      ["Quantities", Object.entries(e.quantities).map(([k, v]) => `${k}: ${v}`).join(", ")],
      ["Civilians targeted", e.civilian_targeting ? "yes" : "no"], ["Claimed by", e.claimed_by.join(", ")],
      ["Sources", e.sources.join(", ")], ["Notes", e.notes], ["Confidence", e.confidence],
      ["CAMEO / PLOVER", [e.cameo, e.plover_event, e.plover_mode].filter(Boolean).join(" / ")],
      ["Event id", e.event_id],
    ];
    return el("dl", { className: "fields" }, ...rows.filter(([, v]) => v !== null && v !== undefined && v !== "")
      .map(([k, v]) => [el("dt", {}, k), el("dd", {}, String(v))]));
  }

  function reviewBar(event, status) {
    const act = (action, fields) => review(event.event_id, action, fields, status);
    return el("div", { className: "review" },
      el("span", { className: "status " + event.review_status, id: "review-status" }, event.review_status),
      el("button", { type: "button", className: "confirm", onclick: () => act("confirm") }, "Confirm"),
      el("button", { type: "button", className: "reject", onclick: () => act("reject") }, "Reject"),
      el("button", { type: "button", className: "edit", onclick: (e) => {
        e.target.disabled = true;
        e.target.parentNode.after(editForm(event, act));
      } }, "Edit…"));
  }

  function editForm(event, act) {
    const names = Object.keys(settings.subEventTypes);
    const inputs = {
      sub_event_type: el("select", { name: "sub_event_type" }, ...names.map((n) => el("option",
        { value: n, selected: n === event.sub_event_type }, n))),
      event_date: el("input", { type: "date", name: "event_date", value: event.event_date || "" }),
      location: el("input", { name: "location", value: event.location || "" }),
      admin1: el("input", { name: "admin1", value: event.admin1 || "" }),
      country: el("input", { name: "country", value: event.country || "" }),
      actor1: el("input", { name: "actor1", value: event.actor1 || "" }),
      actor2: el("input", { name: "actor2", value: event.actor2 || "" }),
      fatalities: el("input", { type: "number", min: 0, name: "fatalities", value: event.fatalities }),
      notes: el("textarea", { name: "notes", rows: 2 }, event.notes),
    };
    const save = (submit) => {
      submit.preventDefault();
      const fields = {};
      for (const [name, input] of Object.entries(inputs)) {
        const value = input.value.trim();
        let before = event[name];
        if (name === "fatalities") {
          if (Number(value) !== before) fields[name] = Number(value);
          continue;
        }
        before = before === null || before === undefined ? "" : String(before);
        if (value !== before) fields[name] = value === "" ? null : value;
      }
      if (fields.notes === null) fields.notes = "";
      act("edit", fields);
    };
    return el("form", { className: "edit-form", onsubmit: save },
      ...Object.entries(inputs).map(([name, input]) => [el("label", {}, name.replace("_", " ")), input]),
      el("div", { className: "actions" }, el("button", { type: "submit" }, "Save changes"),
        el("button", { type: "button", onclick: (e) => { e.target.closest("form").remove(); openEvent(event.event_id); } },
          "Cancel")));
  }

  async function review(eventId, action, fields, status) {
    status.className = "message";
    status.textContent = "Saving…";
    try {
      const updated = await api("/api/events/" + encodeURIComponent(eventId),
        { method: "PATCH", json: { action, fields: fields || {} } });
      await openEvent(updated.event_id, `Saved: ${updated.review_status}.`);
      refreshTable();
      refreshMap();
    } catch (error) {
      status.className = "message error";
      status.textContent = error.status === 401 || error.status === 403
        ? `${error.message} — enter a token in the header to review.` : error.message;
      if (error.status === 401 || error.status === 403) tokenInput.focus();
    }
  }

  async function showArticle(box, ref, eventId) {
    let article;
    try {
      article = await api(`/api/articles/${encodeURIComponent(ref.id)}?` + query({ event_id: eventId }));
    } catch (error) {
      box.replaceChildren(el("div", { className: "article-head" }, `${ref.id}: ${error.message}`));
      return;
    }
    const meta = [article.source, article.published].filter(Boolean).join(" · ");
    const link = /^https?:\/\//i.test(article.url || "")
      ? el("a", { href: article.url, target: "_blank", rel: "noopener noreferrer" }, "source") : null;
    const head = el("div", { className: "article-head" }, el("strong", {}, article.title || article.id), " ",
      el("span", { className: "meta" }, meta), " ", link);
    const text = el("pre", { className: "article-text" }, ...highlighted(article.text, article.evidence));
    box.replaceChildren(head, text);
    const first = text.querySelector("mark");
    if (first) text.scrollTop = Math.max(0, first.offsetTop - text.offsetTop - 40);
  }

  // The article text as text nodes, with each evidence span (overlaps joined) in a <mark>.
  function highlighted(text, spans) {
    const ranges = spans.map((s) => ({ start: Math.max(0, s.start), end: Math.min(text.length, s.end),
      fields: s.fields || [] })).filter((r) => r.end > r.start).sort((a, b) => a.start - b.start);
    const joined = [];
    for (const r of ranges) {
      const lastRange = joined[joined.length - 1];
      if (lastRange && r.start <= lastRange.end) {
        lastRange.end = Math.max(lastRange.end, r.end);
        lastRange.fields = [...new Set([...lastRange.fields, ...r.fields])];
      } else joined.push({ ...r });
    }
    const out = [];
    let at = 0;
    for (const r of joined) {
      if (r.start > at) out.push(text.slice(at, r.start));
      out.push(el("mark", { className: "evidence", title: r.fields.length ? "supports: " + r.fields.join(", ") : null },
        text.slice(r.start, r.end)));
      at = r.end;
    }
    if (at < text.length) out.push(text.slice(at));
    return out;
  }

  // ------------------------------------------------------------------ start

  readFilters();
  refreshTable();
  refreshMap();
  refreshTimeline();
  loadStats().catch((error) => { $("summary").textContent = error.message; });
})();
