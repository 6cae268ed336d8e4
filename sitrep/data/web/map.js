/* sitrep's event map: clustered markers, a date-range slider and filters by type, country and actor.
 *
 * Reads its settings from the data-* attributes of #sitrep-map, and its events either from
 * window.SITREP_DATA (the self-contained file) or from the URL in data-src (the web app), as
 * sitrep's compact column form or as a GeoJSON FeatureCollection.  Every string from the data is
 * put on the page as text (textContent or escaped), never as markup.
 */
(function () {
  "use strict";

  var root = document.getElementById("sitrep-map");
  var cfg = root.dataset;
  var TYPES = ["Battles", "Explosions/Remote violence", "Violence against civilians", "Protests", "Riots",
               "Strategic developments"];
  var COLOURS = {"Battles": "#d55e00", "Explosions/Remote violence": "#e69f00",
                 "Violence against civilians": "#cc79a7", "Protests": "#009e73", "Riots": "#8c564b",
                 "Strategic developments": "#0072b2"};
  var OTHER = "#666666";
  var DAY = 86400000;
  var t0 = performance.now();
  var state = window.sitrepMap = {ready: false, error: null};

  function esc(s) {
    return String(s == null ? "" : s).replace(/[&<>"']/g, function (c) {
      return {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"}[c];
    });
  }
  function fmt(n) { return Number(n).toLocaleString("en-US"); }
  function slug(s) { return String(s).toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, ""); }
  function colour(t) { return COLOURS[t] || OTHER; }
  function dayText(d) {
    if (d == null) { return "date unknown"; }
    return new Date(d * DAY).toISOString().slice(0, 10);
  }
  function dayNumber(iso) { return iso ? Math.round(Date.parse(iso.slice(0, 10) + "T00:00:00Z") / DAY) : null; }
  function radius(f) { return f ? Math.min(24, 6 + 2 * Math.sqrt(f)) : 6; }

  /* ---- data: both forms become one list of plain event objects ---- */

  function fromColumns(d) {
    var out = [], D = d.dict, n = d.id.length;
    function pick(col, i) { var k = d[col][i]; return k < 0 ? null : D[col][k]; }
    function actor(col, i) { var k = d[col][i]; return k < 0 ? null : D.actor[k]; }
    for (var i = 0; i < n; i++) {
      out.push({id: d.id[i], lat: d.lat[i], lon: d.lon[i], day: d.day[i] == null ? null : d.d0 + d.day[i],
                type: pick("type", i), sub: pick("sub", i), country: pick("country", i), admin1: pick("admin1", i),
                loc: pick("loc", i), a1: actor("a1", i), a2: actor("a2", i), fat: d.fat[i], prec: d.prec[i],
                corr: d.corr[i], src: pick("src", i)});
    }
    return out;
  }

  function fromGeoJSON(fc) {
    return fc.features.map(function (f) {
      var p = f.properties || {}, g = f.geometry;
      var src = p.sources;
      return {id: p.id || p.event_id || p.event_id_cnty || f.id,
              lat: g ? g.coordinates[1] : null, lon: g ? g.coordinates[0] : null,
              day: dayNumber(p.date || p.event_date), type: p.type || p.event_type,
              sub: p.sub || p.sub_event_type, country: p.country || null, admin1: p.admin1 || null,
              loc: p.location || null, a1: p.actor1 || null, a2: p.actor2 || null,
              fat: p.fatalities == null || p.fatalities === "" ? null : +p.fatalities,
              prec: +(p.geo_precision || p.precision || 1), corr: +(p.corroboration || 1),
              src: Array.isArray(src) ? src.join(", ") : (src || p.source || null)};
    });
  }

  function normalise(data) {
    return data && data.type === "FeatureCollection" ? fromGeoJSON(data) : fromColumns(data);
  }
  state.normalise = normalise;

  function load(url, acc) {
    // Follows `next` links of a paged GeoJSON endpoint, at most 50 pages.
    return fetch(url, {credentials: "same-origin"}).then(function (r) {
      if (!r.ok) { throw new Error("events: HTTP " + r.status); }
      return r.json();
    }).then(function (data) {
      acc = acc.concat(normalise(data));
      var next = data.next || (data.links || []).filter(function (l) { return l.rel === "next"; }).map(function (l) {
        return l.href; })[0];
      return next && acc.length < 200000 ? load(next, acc) : acc;
    });
  }

  /* ---- the map ---- */

  var map = L.map(root, {zoomControl: true, worldCopyJump: false, minZoom: 1, maxZoom: 16,
                         zoomSnap: 0.5, preferCanvas: false});
  map.attributionControl.setPrefix(false);
  map.setView([20, 20], 2);
  state.map = map;

  function outlines(geo) {
    map.createPane("sitrepOutlines").style.zIndex = 150;
    L.geoJSON(geo, {pane: "sitrepOutlines", interactive: false, attribution: "Outlines: Natural Earth",
                    style: {color: "#8a8f98", weight: 0.8, fillColor: "#f4f1ea", fillOpacity: 1}}).addTo(map);
    countryLabels(geo);
  }

  function ringCentroid(ring) {
    var a = 0, cx = 0, cy = 0;
    for (var i = 0; i < ring.length - 1; i++) {
      var c = ring[i][0] * ring[i + 1][1] - ring[i + 1][0] * ring[i][1];
      a += c; cx += (ring[i][0] + ring[i + 1][0]) * c; cy += (ring[i][1] + ring[i + 1][1]) * c;
    }
    return a ? [cy / (3 * a), cx / (3 * a), Math.abs(a) / 2] : [ring[0][1], ring[0][0], 0];
  }

  function countryLabels(geo) {
    // Largest countries first, so a small neighbour's name gives way when the two would overprint.
    map.createPane("sitrepCountryLabels").style.zIndex = 350;
    map.getPane("sitrepCountryLabels").style.pointerEvents = "none";
    var labels = [];
    geo.features.forEach(function (f) {
      var g = f.geometry, polys = g.type === "MultiPolygon" ? g.coordinates : [g.coordinates];
      var best = polys.map(function (p) { return ringCentroid(p[0]); }).sort(function (a, b) { return b[2] - a[2]; })[0];
      if (best && f.properties.name) { labels.push([best[2], best[0], best[1], f.properties.name]); }
    });
    labels.sort(function (a, b) { return b[0] - a[0]; });
    var group = L.layerGroup(labels.map(function (l) {
      return L.marker([l[1], l[2]], {icon: L.divIcon({className: "sp-country", html: esc(l[3]), iconSize: null}),
                                     interactive: false, keyboard: false, pane: "sitrepCountryLabels"});
    }));
    group.addTo(map);
    declutter();
  }

  function declutter() {
    // Labels that would overprint a label placed before them are hidden, again after every move.
    var kept = [];
    Array.prototype.slice.call(document.querySelectorAll(".sp-place")).concat(
      Array.prototype.slice.call(document.querySelectorAll(".sp-country"))).forEach(function (el) {
      el.style.visibility = "visible";
      var r = el.getBoundingClientRect();
      var hit = kept.some(function (k) { return r.left < k.right + 4 && r.right + 4 > k.left && r.top < k.bottom && r.bottom > k.top; });
      if (hit) { el.style.visibility = "hidden"; } else { kept.push(r); }
    });
  }
  map.on("zoomend moveend", function () { setTimeout(declutter, 0); });

  function placeLabels(events) {
    // The most-reported places get a name from zoom 5 on.
    map.createPane("sitrepPlaceLabels").style.zIndex = 450;
    map.getPane("sitrepPlaceLabels").style.pointerEvents = "none";
    var count = {}, at = {};
    events.forEach(function (e) {
      if (e.loc && e.lat != null) { count[e.loc] = (count[e.loc] || 0) + 1; at[e.loc] = at[e.loc] || [e.lat, e.lon]; }
    });
    var names = Object.keys(count).sort(function (a, b) { return count[b] - count[a]; }).slice(0, 200);
    var group = L.layerGroup(names.map(function (n) {
      return L.marker(at[n], {icon: L.divIcon({className: "sp-place", html: esc(n), iconSize: null}),
                              interactive: false, keyboard: false, pane: "sitrepPlaceLabels"});
    }));
    function toggle() {
      var show = map.getZoom() >= 5;
      if (show && !map.hasLayer(group)) { group.addTo(map); }
      if (!show && map.hasLayer(group)) { map.removeLayer(group); }
    }
    map.on("zoomend", toggle);
    toggle();
  }

  /* ---- markers and clusters ---- */

  function popup(e) {
    var where = [e.loc, e.admin1, e.country].filter(Boolean).join(", ") || "unknown place";
    var actors = [e.a1, e.a2].filter(Boolean).join(" vs. ") || "not named";
    var fat = e.fat == null ? "not reported" : String(e.fat);
    var prec = {1: "the named place", 2: "near the place", 3: "region only"}[e.prec] || "";
    var html = '<div class="sp-type sp-t-' + slug(e.type || "other") + '">' + esc(e.sub) +
      ' <span class="sp-muted">· ' + esc(e.type) + "</span></div>" +
      '<div class="sp-where"><b>' + esc(where) + '</b> <span class="sp-muted">' + esc(dayText(e.day)) + "</span></div>" +
      '<table class="sp-facts"><tr><th>Actors</th><td>' + esc(actors) + "</td></tr>" +
      "<tr><th>Fatalities</th><td>" + esc(fat) + "</td></tr>" +
      "<tr><th>Sources</th><td>" + esc(e.src || "unknown outlet") + " (" + e.corr + " outlet" + (e.corr === 1 ? "" : "s") +
      ")</td></tr><tr><th>Precision</th><td>" + esc(e.prec + " (" + prec + ")") + "</td></tr></table>";
    if (cfg.href) {
      html += '<a class="sp-link" href="' + esc(cfg.href.replace("{id}", encodeURIComponent(e.id))) +
        '">Event page: all mentions and evidence →</a>';
    }
    return html;
  }

  function marker(e) {
    var c = colour(e.type), exact = e.prec === 1;
    var m = L.circleMarker([e.lat, e.lon], {
      radius: radius(e.fat), color: exact ? "#222222" : c, weight: exact ? 1.2 : 2, dashArray: exact ? null : "3 3",
      fillColor: c, fillOpacity: 0.8,
      className: "sitrep-marker sitrep-" + slug(e.type || "other") + " sitrep-ev-" + slug(e.id)});
    m.bindPopup(function () { return popup(e); }, {maxWidth: 420, minWidth: 260});
    m.bindTooltip(function () {
      return esc((e.sub || "") + " — " + (e.loc || "unknown place") + (e.fat ? " — " + e.fat + " reported killed" : ""));
    }, {sticky: true});
    m.sitrepEvent = e;
    return m;
  }

  function clusterIcon(cluster) {
    // A ring split by event type around the count: what a cluster holds, at a glance.
    var kids = cluster.getAllChildMarkers(), n = kids.length, by = {};
    kids.forEach(function (m) { var t = m.sitrepEvent.type; by[t] = (by[t] || 0) + 1; });
    var size = n < 10 ? 30 : n < 100 ? 36 : n < 1000 ? 44 : 52, r = size / 2 - 3, C = 2 * Math.PI * r, off = 0;
    var rings = TYPES.concat(Object.keys(by).filter(function (t) { return TYPES.indexOf(t) < 0; })).map(function (t) {
      if (!by[t]) { return ""; }
      var len = C * by[t] / n, s = '<circle r="' + r + '" cx="' + size / 2 + '" cy="' + size / 2 + '" fill="none" stroke="' +
        colour(t) + '" stroke-width="6" stroke-dasharray="' + len + " " + (C - len) + '" stroke-dashoffset="' + (-off) + '"/>';
      off += len;
      return s;
    }).join("");
    var svg = '<svg width="' + size + '" height="' + size + '" viewBox="0 0 ' + size + " " + size + '">' +
      '<circle r="' + (r + 2) + '" cx="' + size / 2 + '" cy="' + size / 2 + '" fill="rgba(255,255,255,.92)"/>' +
      '<g transform="rotate(-90 ' + size / 2 + " " + size / 2 + ')">' + rings + "</g></svg>" +
      '<span class="sp-cluster-n">' + (n >= 10000 ? Math.round(n / 1000) + "k" : n) + "</span>";
    return L.divIcon({html: svg, className: "sp-cluster", iconSize: [size, size]});
  }

  /* ---- filters and the panel ---- */

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text != null) { e.textContent = text; }
    return e;
  }

  function build(events) {
    var placed = events.filter(function (e) { return e.lat != null && e.lon != null; });
    var markers = placed.map(marker);
    var days = placed.map(function (e) { return e.day; }).filter(function (d) { return d != null; });
    var lo = days.length ? Math.min.apply(null, days) : 0, hi = days.length ? Math.max.apply(null, days) : 0;
    var cluster = L.markerClusterGroup({chunkedLoading: true, chunkInterval: 150, showCoverageOnHover: false,
                                         maxClusterRadius: 48, spiderfyOnMaxZoom: true, iconCreateFunction: clusterIcon});
    cluster.addTo(map);
    var f = {types: {}, country: "", actor: "", from: lo, to: hi};
    var ui = panel(events, placed, lo, hi, f, apply);
    state.cluster = cluster;
    state.total = events.length;
    state.events = events;
    state.placed = placed.length;

    function passes(e, skip) {
      if (skip !== "type" && f.types[e.type] === false) { return false; }
      if (f.country && e.country !== f.country) { return false; }
      if (f.actor) {
        var a = f.actor.toLowerCase();
        if ((e.a1 || "").toLowerCase().indexOf(a) < 0 && (e.a2 || "").toLowerCase().indexOf(a) < 0) { return false; }
      }
      if (skip !== "date" && (f.from > lo || f.to < hi)) {
        if (e.day == null || e.day < f.from || e.day > f.to) { return false; }
      }
      return true;
    }

    function apply() {
      var shown = [], fat = 0, byType = {}, hist = {};
      for (var i = 0; i < placed.length; i++) {
        var e = placed[i];
        if (passes(e, "type")) { byType[e.type] = (byType[e.type] || 0) + 1; }
        if (passes(e, "date") && e.day != null) { hist[e.day] = (hist[e.day] || 0) + 1; }
        if (passes(e)) { shown.push(markers[i]); fat += e.fat || 0; }
      }
      cluster.clearLayers();
      cluster.addLayers(shown);
      state.shown = shown.length;
      state.fatalities = fat;
      ui.update(shown.length, fat, byType, hist);
    }

    apply();
    fit(placed);
    placeLabels(placed);
    state.filters = f;
    state.apply = apply;
    state.setRange = function (a, b) { ui.setRange(a, b); };
    state.show = function (id) {
      // Zoom until the event's marker is out of its cluster, then open its popup.
      var m = markers.filter(function (x) { return x.sitrepEvent.id === id; })[0];
      if (m) { cluster.zoomToShowLayer(m, function () { m.openPopup(); }); }
      return !!m;
    };
    state.ready = true;
    state.loadMs = Math.round(performance.now() - t0);  // from this script's start
    state.readyMs = Math.round(performance.now());  // from the start of navigation
    root.setAttribute("data-ready", "1");
  }

  function fit(placed) {
    if (!placed.length) { return; }
    var b = L.latLngBounds(placed.map(function (e) { return [e.lat, e.lon]; }));
    map.fitBounds(b.pad(0.05), {maxZoom: 8, paddingTopLeft: [20, 20], paddingBottomRight: [330, 20]});
  }

  function panel(events, placed, lo, hi, f, apply) {
    var box = el("div", "sp-box sp-panel");
    var head = el("div", "sp-head");
    head.appendChild(el("h1", null, cfg.title || "sitrep: events"));
    var fold = el("button", "sp-fold", "–");
    fold.type = "button";
    fold.title = "Hide or show the filters";
    head.appendChild(fold);
    box.appendChild(head);
    var body = el("div", "sp-body");
    box.appendChild(body);
    fold.onclick = function () { var h = body.style.display === "none"; body.style.display = h ? "" : "none"; fold.textContent = h ? "–" : "+"; };
    var count = el("div", "sp-count");
    body.appendChild(count);

    var types = TYPES.concat(placed.map(function (e) { return e.type; }).filter(function (t, i, a) {
      return TYPES.indexOf(t) < 0 && a.indexOf(t) === i; }));
    var rows = {};
    var list = el("div", "sp-types");
    types.forEach(function (t) {
      if (!placed.some(function (e) { return e.type === t; })) { return; }
      var lab = el("label", "sp-type-row"), cb = el("input");
      cb.type = "checkbox"; cb.checked = true; cb.value = t; cb.className = "sp-type-filter";
      cb.onchange = function () { f.types[t] = cb.checked; apply(); };
      var sw = el("span", "sw"); sw.style.background = colour(t);
      var n = el("span", "sp-n");
      lab.appendChild(cb); lab.appendChild(sw); lab.appendChild(document.createTextNode(t + " ")); lab.appendChild(n);
      list.appendChild(lab);
      rows[t] = n;
    });
    body.appendChild(list);

    var countries = {};
    placed.forEach(function (e) { if (e.country) { countries[e.country] = (countries[e.country] || 0) + 1; } });
    var csel = el("select", "sp-country-filter");
    csel.appendChild(new Option("All countries", ""));
    Object.keys(countries).sort().forEach(function (c) { csel.appendChild(new Option(c + " (" + fmt(countries[c]) + ")", c)); });
    csel.onchange = function () { f.country = csel.value; apply(); };
    body.appendChild(field("Country", csel));

    var actors = {};
    placed.forEach(function (e) { [e.a1, e.a2].forEach(function (a) { if (a) { actors[a] = (actors[a] || 0) + 1; } }); });
    var dl = el("datalist"); dl.id = "sp-actors";
    Object.keys(actors).sort(function (a, b) { return actors[b] - actors[a]; }).slice(0, 300).forEach(function (a) {
      dl.appendChild(new Option(a)); });
    var ain = el("input", "sp-actor-filter"); ain.type = "search"; ain.placeholder = "any actor"; ain.setAttribute("list", "sp-actors");
    var timer = null;
    ain.oninput = function () { clearTimeout(timer); timer = setTimeout(function () { f.actor = ain.value.trim(); apply(); }, 250); };
    body.appendChild(field("Actor", ain));
    body.appendChild(dl);

    var slider = timeSlider(lo, hi, f, apply);
    body.appendChild(slider.node);

    var tiles = null, tl = el("label", "sp-tiles"), tcb = el("input");
    tcb.type = "checkbox";
    tcb.onchange = function () {
      if (tcb.checked) {
        tiles = tiles || L.tileLayer("https://tile.openstreetmap.org/{z}/{x}/{y}.png",
                                     {maxZoom: 19, attribution: "&copy; OpenStreetMap contributors"});
        tiles.addTo(map);
      } else if (tiles) { map.removeLayer(tiles); }
    };
    tl.appendChild(tcb); tl.appendChild(document.createTextNode(" OpenStreetMap tiles (online only)"));
    body.appendChild(tl);
    var unplaced = events.length - placed.length;
    var foot = el("div", "sp-muted sp-foot", "Ring: events by type. Circle area: reported fatalities; dashed: place approximate." +
      (unplaced ? " " + unplaced + " event" + (unplaced === 1 ? "" : "s") + " without coordinates not on the map." : ""));
    body.appendChild(foot);

    var ctl = L.control({position: "topright"});
    ctl.onAdd = function () { L.DomEvent.disableClickPropagation(box); L.DomEvent.disableScrollPropagation(box); return box; };
    ctl.addTo(map);

    return {
      setRange: slider.set,
      update: function (shown, fat, byType, hist) {
        count.textContent = fmt(shown) + " of " + fmt(placed.length) + " mapped event" + (placed.length === 1 ? "" : "s") +
          " shown · " + fmt(fat) + " reported fatalit" + (fat === 1 ? "y" : "ies");
        Object.keys(rows).forEach(function (t) { rows[t].textContent = "(" + fmt(byType[t] || 0) + ")"; });
        slider.histogram(hist);
      }
    };
  }

  function field(label, input) {
    var l = el("label", "sp-field");
    l.appendChild(el("span", null, label));
    l.appendChild(input);
    return l;
  }

  function timeSlider(lo, hi, f, apply) {
    var node = el("div", "sp-time");
    var label = el("div", "sp-range-text");
    var hist = el("div", "sp-hist");
    var a = el("input", "sp-from"), b = el("input", "sp-to");
    [a, b].forEach(function (r) { r.type = "range"; r.min = lo; r.max = hi; r.step = 1; });
    a.value = lo; b.value = hi;
    a.setAttribute("aria-label", "First day shown");
    b.setAttribute("aria-label", "Last day shown");
    node.appendChild(el("span", "sp-label", "Dates"));
    node.appendChild(hist);
    node.appendChild(a); node.appendChild(b); node.appendChild(label);
    // Quick ranges, counted back from the newest day: the usual questions of a watch officer.
    var quick = el("div", "sp-quick");
    [["7 days", 7], ["30 days", 30], ["1 year", 365], ["All", 0]].forEach(function (q) {
      var btn = el("button", "sp-quick-" + (q[1] || "all"), q[0]);
      btn.type = "button";
      btn.onclick = function () { var x = q[1] ? Math.max(lo, hi - q[1] + 1) : lo; a.value = x; b.value = hi; changed.call(a, true); };
      quick.appendChild(btn);
    });
    node.appendChild(quick);
    var timer = null;
    function text() { label.textContent = dayText(f.from) + " – " + dayText(f.to) + (f.from === lo && f.to === hi ? " (all)" : ""); }
    function changed(now) {
      var x = +a.value, y = +b.value;
      if (x > y) { if (this === a) { b.value = y = x; } else { a.value = x = y; } }
      f.from = x; f.to = y; text();
      clearTimeout(timer);
      if (now === true) { apply(); } else { timer = setTimeout(apply, 120); }
    }
    a.oninput = changed; b.oninput = changed;
    text();
    return {
      node: node,
      set: function (x, y) { a.value = x; b.value = y; changed.call(a, true); },
      histogram: function (counts) {
        // Events per day (or per week on long ranges) under the slider, the chosen range darker.
        var span = hi - lo + 1, step = span > 180 ? 7 : 1, bins = Math.ceil(span / step), v = new Array(bins).fill(0);
        Object.keys(counts).forEach(function (d) { v[Math.floor((d - lo) / step)] += counts[d]; });
        var max = Math.max.apply(null, v.concat([1])), w = 100 / bins, parts = [];
        for (var i = 0; i < bins; i++) {
          if (!v[i]) { continue; }
          var day = lo + i * step, on = day + step - 1 >= f.from && day <= f.to, h = Math.max(1, 28 * v[i] / max);
          parts.push('<rect x="' + (i * w).toFixed(3) + '" y="' + (28 - h).toFixed(1) + '" width="' + Math.max(w * 0.9, 0.3).toFixed(3) +
                     '" height="' + h.toFixed(1) + '" fill="' + (on ? "#5d6773" : "#c9ced4") + '"/>');
        }
        hist.innerHTML = '<svg viewBox="0 0 100 28" preserveAspectRatio="none" width="100%" height="28">' + parts.join("") + "</svg>";
      }
    };
  }

  function start() {
    var geo = window.SITREP_OUTLINES;
    var outlinesReady = geo ? Promise.resolve(geo) : (cfg.outlines ? fetch(cfg.outlines).then(function (r) { return r.json(); }) : Promise.resolve(null));
    var data = window.SITREP_DATA ? Promise.resolve(normalise(window.SITREP_DATA)) : load(cfg.src, []);
    outlinesReady.then(function (g) { if (g) { outlines(g); } }).catch(function () { /* the markers matter more */ });
    data.then(build).catch(function (err) {
      state.error = String(err);
      var box = el("div", "sp-box sp-error", "Could not load the events: " + err);
      root.appendChild(box);
    });
  }

  start();
})();
