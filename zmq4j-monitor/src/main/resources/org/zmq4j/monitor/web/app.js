/*
 * zmq4j monitor: the live page.
 *
 * Reads the Server-Sent Events of api/stream ("metrics": a snapshot as in api/metrics, every second;
 * "socket-event": one socket event), falls back to polling api/metrics and api/events when the stream
 * has failed for a few seconds, and keeps trying the stream again. Rates are computed here, from the
 * deltas of consecutive snapshots; the last five minutes of them are kept for the plot.
 *
 * Plain ES5-style JavaScript, no dependencies. Read-only: it only ever sends GET requests.
 */
(function () {
  'use strict';

  var HISTORY_MS = 5 * 60 * 1000;     // the plot's window
  var HISTORY_MAX = 3000;             // points kept at most (a 100 ms interval fills 5 minutes)
  var GAP_MS = 5000;                  // a longer pause between snapshots breaks the plotted line
  var EVENTS_MAX = 200;               // events listed at most
  var CONNECTIONS_SHOWN = 100;        // connection rows listed per socket unless the user asks for all
  var FALLBACK_AFTER_MS = 3000;       // a stream failing this long: poll meanwhile
  var STALE_AFTER_MS = 5000;          // an open stream silent this long is given up and reopened
  var POLL_MS = 1000;
  var RECONNECT_MIN_MS = 1000;
  var RECONNECT_MAX_MS = 15000;

  var token = new URLSearchParams(window.location.search).get('token');

  /** A URL relative to this page, with the access token when the page was given one. */
  function apiUrl(path, query) {
    var q = new URLSearchParams(query || {});
    if (token) {
      q.set('token', token);
    }
    var s = q.toString();
    return path + (s ? '?' + s : '');
  }

  // ------------------------------------------------------------------ state

  var state = {
    current: null,          // the latest snapshot
    previous: null,         // the one before it
    socketRates: {},        // socket id -> {in, out, bytesIn, bytesOut, drops} per second, or absent
    ioRatios: {},           // thread name -> {busy: 0..1, wakeups: per second}
    componentRates: {},     // component measurement key -> per second (counters)
    history: [],            // [{t, total: {in, out, bytesIn, bytesOut}, sockets: {id: {...}}}], oldest first
    events: [],             // newest first
    lastSequence: 0,
    selected: null,         // socket id (string) to plot; null: pick one; '': total only
    allConnections: {},     // socket id -> true: list every connection of that socket, not the first 100
    metric: 'msg',
    lastDataAt: 0
  };

  var conn = {
    source: null,
    errorSince: null,
    lastMessageAt: 0,
    polling: false,
    pollTimer: null,
    pollInFlight: false,
    reconnectTimer: null,
    reconnectDelay: RECONNECT_MIN_MS,
    status: 'connecting'
  };

  // ------------------------------------------------------------------ formatting

  function esc(value) {
    return String(value === undefined || value === null ? '' : value)
      .replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;').replace(/'/g, '&#39;');
  }

  function num(value) {
    return typeof value === 'number' && isFinite(value) ? value : 0;
  }

  function trimZero(text) {
    return text.indexOf('.') >= 0 ? text.replace(/\.0+$/, '').replace(/(\.\d*[1-9])0+$/, '$1') : text;
  }

  /** 999, 1.2k, 34.5M: three significant figures at most, SI suffixes. */
  function fmtNum(value) {
    if (typeof value !== 'number' || !isFinite(value)) {
      return '\u2014';
    }
    var a = Math.abs(value);
    var units = [[1e12, 'T'], [1e9, 'G'], [1e6, 'M'], [1e3, 'k']];
    for (var i = 0; i < units.length; i++) {
      if (a >= units[i][0] * 0.9995) {
        var v = value / units[i][0];
        return trimZero(v.toFixed(Math.abs(v) >= 100 ? 0 : 1)) + units[i][1];
      }
    }
    if (a === 0) {
      return '0';
    }
    if (a >= 100) {
      return value.toFixed(0);
    }
    if (a >= 1) {
      return trimZero(value.toFixed(1));
    }
    return trimZero(value.toFixed(2));
  }

  /** 512 B, 3.4 kB, 1.2 MB (decimal units). */
  function fmtBytes(value) {
    if (typeof value !== 'number' || !isFinite(value)) {
      return '\u2014';
    }
    var a = Math.abs(value);
    var units = [[1e12, 'TB'], [1e9, 'GB'], [1e6, 'MB'], [1e3, 'kB']];
    for (var i = 0; i < units.length; i++) {
      if (a >= units[i][0] * 0.9995) {
        var v = value / units[i][0];
        return trimZero(v.toFixed(Math.abs(v) >= 100 ? 0 : 1)) + ' ' + units[i][1];
      }
    }
    return Math.round(value) + ' B';
  }

  function fmtRate(value) {
    return typeof value === 'number' ? fmtNum(value) + '/s' : '\u2014';
  }

  function fmtByteRate(value) {
    return typeof value === 'number' ? fmtBytes(value) + '/s' : '\u2014';
  }

  /** 4.2 s, 5 m 03 s, 2 h 13 m, 3 d 4 h. */
  function fmtDuration(seconds) {
    if (typeof seconds !== 'number' || !isFinite(seconds) || seconds < 0) {
      return '\u2014';
    }
    if (seconds < 10) {
      return trimZero(seconds.toFixed(seconds < 1 && seconds > 0 ? 2 : 1)) + ' s';
    }
    if (seconds < 60) {
      return Math.floor(seconds) + ' s';
    }
    var s = Math.floor(seconds);
    var d = Math.floor(s / 86400);
    var h = Math.floor((s % 86400) / 3600);
    var m = Math.floor((s % 3600) / 60);
    var sec = s % 60;
    if (d > 0) {
      return d + ' d ' + h + ' h';
    }
    if (h > 0) {
      return h + ' h ' + (m < 10 ? '0' : '') + m + ' m';
    }
    return m + ' m ' + (sec < 10 ? '0' : '') + sec + ' s';
  }

  /** "just now", "3 s ago", "4 min ago", "2 h ago", "3 d ago". */
  function fmtAgo(thenMillis, nowMillis) {
    if (!thenMillis) {
      return 'never';
    }
    var ms = Math.max(0, nowMillis - thenMillis);
    if (ms < 1000) {
      return 'just now';
    }
    var s = Math.floor(ms / 1000);
    if (s < 60) {
      return s + ' s ago';
    }
    if (s < 3600) {
      return Math.floor(s / 60) + ' min ago';
    }
    if (s < 86400) {
      return Math.floor(s / 3600) + ' h ago';
    }
    return Math.floor(s / 86400) + ' d ago';
  }

  function pad(n, width) {
    var s = String(n);
    while (s.length < width) {
      s = '0' + s;
    }
    return s;
  }

  function fmtClock(millis) {
    var d = new Date(millis);
    return pad(d.getHours(), 2) + ':' + pad(d.getMinutes(), 2) + ':' + pad(d.getSeconds(), 2)
      + '.' + pad(d.getMilliseconds(), 3);
  }

  function humanize(name) {
    return String(name || '').replace(/_/g, ' ');
  }

  function $(id) {
    return document.getElementById(id);
  }

  // ------------------------------------------------------------------ updating the DOM in place

  /*
   * Re-rendering a section replaces only what changed: elements that stay keep their identity, so bar
   * widths animate, hovered tooltips stay and the page does not flicker. Elements are matched by position,
   * and by data-key where given.
   */
  function patch(target, html) {
    var template = document.createElement('template');
    template.innerHTML = html;
    patchChildren(target, template.content);
    applyWidths(target);
  }

  /*
   * Bars carry their width as data-width (a percentage) and get it through the CSSOM: the server's
   * Content-Security-Policy (style-src 'self') forbids style attributes in markup.
   */
  function applyWidths(root) {
    var bars = root.querySelectorAll('[data-width]');
    for (var i = 0; i < bars.length; i++) {
      var width = bars[i].getAttribute('data-width') + '%';
      if (bars[i].style.width !== width) {
        bars[i].style.width = width;
      }
    }
  }

  function patchChildren(target, source) {
    var wanted = source.childNodes;
    for (var i = 0; i < wanted.length; i++) {
      var existing = target.childNodes[i];
      if (existing) {
        patchNode(existing, wanted[i]);
      } else {
        target.appendChild(wanted[i].cloneNode(true));
      }
    }
    while (target.childNodes.length > wanted.length) {
      target.removeChild(target.lastChild);
    }
  }

  function patchNode(node, wanted) {
    if (node.nodeType !== wanted.nodeType || node.nodeName !== wanted.nodeName
        || (node.nodeType === 1 && node.getAttribute('data-key') !== wanted.getAttribute('data-key'))) {
      node.parentNode.replaceChild(wanted.cloneNode(true), node);
      return;
    }
    if (node.nodeType !== 1) {
      if (node.nodeValue !== wanted.nodeValue) {
        node.nodeValue = wanted.nodeValue;
      }
      return;
    }
    var i;
    for (i = node.attributes.length - 1; i >= 0; i--) {
      // style is never in the markup: it is what applyWidths set
      if (node.attributes[i].name !== 'style' && !wanted.hasAttribute(node.attributes[i].name)) {
        node.removeAttribute(node.attributes[i].name);
      }
    }
    for (i = 0; i < wanted.attributes.length; i++) {
      var a = wanted.attributes[i];
      if (node.getAttribute(a.name) !== a.value) {
        node.setAttribute(a.name, a.value);
      }
    }
    patchChildren(node, wanted);
  }

  // ------------------------------------------------------------------ snapshots and rates

  function handleSnapshot(snap) {
    if (!snap || typeof snap !== 'object') {
      return;
    }
    snap.sockets = Array.isArray(snap.sockets) ? snap.sockets : [];
    snap.ioThreads = Array.isArray(snap.ioThreads) ? snap.ioThreads : [];
    snap.components = Array.isArray(snap.components) ? snap.components : [];
    snap.process = snap.process || {};
    snap.time = num(snap.time) || Date.now();
    state.lastDataAt = Date.now();

    var prev = state.current;
    if (prev && restarted(prev, snap)) {
      // another process, or the same one started over: counters, history and event numbers start afresh
      state.history = [];
      state.events = [];
      state.lastSequence = 0;
      state.socketRates = {};
      state.componentRates = {};
      state.ioRatios = {};
      prev = null;
      renderEvents();
    }
    if (prev && snap.time <= prev.time) {
      // the same moment again (a poll that raced the clock): nothing new to measure
      state.current = snap;
      render();
      return;
    }
    computeRates(prev, snap);
    state.previous = prev;
    state.current = snap;
    recordHistory(snap);
    render();
  }

  function restarted(prev, snap) {
    return (prev.process.pid !== undefined && snap.process.pid !== prev.process.pid)
      || num(snap.process.uptimeSeconds) + 1 < num(prev.process.uptimeSeconds);
  }

  function perSecond(now, before, seconds) {
    var delta = num(now) - num(before);
    return delta < 0 ? 0 : delta / seconds; // a counter that went backwards was reset
  }

  function computeRates(prev, snap) {
    var seconds = prev ? (snap.time - prev.time) / 1000 : 0;
    var prevSockets = {};
    var prevThreads = {};
    if (prev) {
      prev.sockets.forEach(function (s) { prevSockets[s.id] = s; });
      prev.ioThreads.forEach(function (t) { prevThreads[t.name] = t; });
    }

    var socketRates = {};
    snap.sockets.forEach(function (s) {
      var p = prevSockets[s.id];
      if (p && seconds > 0) {
        socketRates[s.id] = {
          'in': perSecond(s.messagesReceived, p.messagesReceived, seconds),
          out: perSecond(s.messagesSent, p.messagesSent, seconds),
          bytesIn: perSecond(s.bytesReceived, p.bytesReceived, seconds),
          bytesOut: perSecond(s.bytesSent, p.bytesSent, seconds),
          drops: perSecond(s.droppedAtHwm, p.droppedAtHwm, seconds)
        };
      }
    });
    state.socketRates = socketRates;

    var ioRatios = {};
    snap.ioThreads.forEach(function (t) {
      var p = prevThreads[t.name];
      var busy;
      var wakeups;
      var upDelta = p ? num(t.uptimeSeconds) - num(p.uptimeSeconds) : 0;
      if (p && upDelta > 0) {
        busy = (num(t.busySeconds) - num(p.busySeconds)) / upDelta;
        wakeups = perSecond(t.wakeups, p.wakeups, upDelta);
      } else {
        busy = num(t.uptimeSeconds) > 0 ? num(t.busySeconds) / num(t.uptimeSeconds) : 0;
        wakeups = null;
      }
      ioRatios[t.name] = { busy: Math.max(0, Math.min(1, busy)), wakeups: wakeups };
    });
    state.ioRatios = ioRatios;

    var prevMeasurements = {};
    if (prev) {
      prev.components.forEach(function (c) {
        (c.measurements || []).forEach(function (m) { prevMeasurements[measurementKey(c, m)] = m; });
      });
    }
    var componentRates = {};
    snap.components.forEach(function (c) {
      (c.measurements || []).forEach(function (m) {
        var key = measurementKey(c, m);
        var p = prevMeasurements[key];
        if (m.kind === 'COUNTER' && p && seconds > 0) {
          componentRates[key] = perSecond(m.value, p.value, seconds);
        }
      });
    });
    state.componentRates = componentRates;
  }

  function labelString(labels) {
    return Object.keys(labels || {}).sort().map(function (k) { return k + '=' + labels[k]; }).join(',');
  }

  function measurementKey(component, m) {
    return component.kind + '\u0000' + component.name + '\u0000' + m.name + '\u0000' + labelString(m.labels);
  }

  function recordHistory(snap) {
    var total = { 'in': 0, out: 0, bytesIn: 0, bytesOut: 0 };
    var sockets = {};
    var any = false;
    Object.keys(state.socketRates).forEach(function (id) {
      var r = state.socketRates[id];
      any = true;
      total['in'] += r['in'];
      total.out += r.out;
      total.bytesIn += r.bytesIn;
      total.bytesOut += r.bytesOut;
      sockets[id] = r;
    });
    if (!any && snap.sockets.length > 0) {
      return; // the first snapshot: no rates yet
    }
    state.history.push({ t: snap.time, total: total, sockets: sockets });
    var oldest = snap.time - HISTORY_MS - GAP_MS;
    while (state.history.length > 0 && (state.history[0].t < oldest || state.history.length > HISTORY_MAX)) {
      state.history.shift();
    }
  }

  // ------------------------------------------------------------------ events

  var eventsDirty = false;

  function addEvents(list) {
    var added = false;
    (list || []).forEach(function (e) {
      if (!e || typeof e.sequence !== 'number' || e.sequence <= state.lastSequence) {
        return;
      }
      state.lastSequence = e.sequence;
      state.events.unshift(e);
      added = true;
    });
    if (!added) {
      return;
    }
    if (state.events.length > EVENTS_MAX) {
      state.events.length = EVENTS_MAX;
    }
    if (!eventsDirty) {
      // a stream (re)connection brings many at once: draw them together
      eventsDirty = true;
      setTimeout(function () {
        eventsDirty = false;
        renderEvents();
      }, 50);
    }
  }

  function eventSeverity(type) {
    var t = String(type || '').toUpperCase();
    if (/FAIL|ERROR|REJECT|TIMEOUT|DROP/.test(t)) {
      return 'bad';
    }
    if (/DISCONNECT|CLOSE|RETR|DELAY|STOP/.test(t)) {
      return 'warn';
    }
    if (/ACCEPT|CONNECTED|LISTEN|BOUND|SUCCE|READY/.test(t)) {
      return 'good';
    }
    return 'info';
  }

  function renderEvents() {
    var list = $('events');
    $('event-count').textContent = state.events.length ? String(state.events.length) : '';
    if (state.events.length === 0) {
      list.innerHTML = '<li class="empty">no events yet</li>';
      return;
    }
    list.innerHTML = state.events.map(function (e) {
      var title = 'sequence ' + e.sequence + (e.value ? ', value ' + e.value : '');
      return '<li class="event" data-testid="event-row" data-sequence="' + esc(e.sequence) + '" title="' + esc(title) + '">'
        + '<time class="ev-time" datetime="' + esc(new Date(num(e.time)).toISOString()) + '">' + esc(fmtClock(num(e.time))) + '</time>'
        + '<span class="ev-socket">#' + esc(e.socketId) + ' <span class="muted">' + esc(e.socketType) + '</span></span>'
        + '<span class="badge ev-type ' + eventSeverity(e.type) + '" data-testid="event-type">' + esc(e.type) + '</span>'
        + '<span class="ev-text"><span class="ev-endpoint mono">' + esc(e.endpoint) + '</span>'
        + '<span class="ev-reason">' + esc(e.reason) + '</span></span>'
        + '</li>';
    }).join('');
  }

  // ------------------------------------------------------------------ rendering

  function render() {
    var snap = state.current;
    if (!snap) {
      return;
    }
    renderHeader(snap);
    renderTiles(snap);
    renderIoThreads(snap);
    renderSocketChoice(snap);
    renderSockets(snap);
    renderComponents(snap);
    drawPlot();
    renderUpdated();
  }

  function renderHeader(snap) {
    var p = snap.process;
    $('process-name').textContent = p.name || 'zmq4j';
    $('process-pid').textContent = p.pid !== undefined ? String(p.pid) : '\u2014';
    $('process-uptime').textContent = fmtDuration(num(p.uptimeSeconds));
    document.title = (p.name ? p.name + ' \u2014 ' : '') + 'zmq4j monitor';
  }

  function renderUpdated() {
    var el = $('updated');
    if (!state.lastDataAt) {
      el.textContent = '';
      return;
    }
    var age = Date.now() - state.lastDataAt;
    el.textContent = age < 1500 ? 'updated just now' : 'updated ' + fmtAgo(state.lastDataAt, Date.now());
    el.className = 'updated' + (age > STALE_AFTER_MS ? ' stale' : '');
  }

  function tile(label, value, sub, cls, testid) {
    return '<div class="tile ' + (cls || '') + '"' + (testid ? ' data-testid="' + testid + '"' : '') + '>'
      + '<div class="tile-label">' + esc(label) + '</div>'
      + '<div class="tile-value">' + value + '</div>'
      + '<div class="tile-sub">' + (sub || '&nbsp;') + '</div></div>';
  }

  function renderTiles(snap) {
    var connections = 0;
    var active = 0;
    var drops = 0;
    snap.sockets.forEach(function (s) {
      (s.connections || []).forEach(function (c) {
        connections++;
        if (c.state === 'ACTIVE') {
          active++;
        }
      });
      drops += num(s.droppedAtHwm);
    });
    var t = state.history.length ? state.history[state.history.length - 1].total : null;
    var have = t && Object.keys(state.socketRates).length > 0;
    var dropRate = 0;
    Object.keys(state.socketRates).forEach(function (id) { dropRate += state.socketRates[id].drops; });
    patch($('tiles'),
      tile('Sockets', esc(snap.sockets.length), esc(snap.components.length) + ' component' + (snap.components.length === 1 ? '' : 's'))
      + tile('Connections', esc(connections), esc(active) + ' active', connections > active ? 'attention' : '')
      + tile('Received', have ? esc(fmtRate(t['in'])) : '\u2014', have ? esc(fmtByteRate(t.bytesIn)) : '', 'in', 'total-in')
      + tile('Sent', have ? esc(fmtRate(t.out)) : '\u2014', have ? esc(fmtByteRate(t.bytesOut)) : '', 'out', 'total-out')
      + tile('Dropped at HWM', esc(fmtNum(drops)), dropRate > 0 ? esc(fmtRate(dropRate)) + ' now' : 'none now', drops > 0 ? 'bad' : ''));
  }

  function renderIoThreads(snap) {
    var box = $('io-threads');
    if (snap.ioThreads.length === 0) {
      patch(box, '<div class="empty">no I/O threads</div>');
      return;
    }
    patch(box, snap.ioThreads.map(function (t) {
      var r = state.ioRatios[t.name] || { busy: 0, wakeups: null };
      var pct = Math.round(r.busy * 100);
      var level = r.busy >= 0.85 ? 'crit' : r.busy >= 0.6 ? 'warn' : 'ok';
      var title = t.name + ': busy ' + fmtDuration(num(t.busySeconds)) + ' of ' + fmtDuration(num(t.uptimeSeconds))
        + ', ' + num(t.wakeups) + ' wakeups';
      return '<div class="io-row" data-testid="io-thread" data-busy="' + r.busy.toFixed(4) + '" title="' + esc(title) + '">'
        + '<span class="io-name mono">' + esc(t.name) + '</span>'
        + '<span class="bar ' + level + '"><span class="bar-fill" data-width="' + Math.max(pct, r.busy > 0 ? 1 : 0) + '"></span></span>'
        + '<span class="io-pct">' + pct + '%</span>'
        + '<span class="io-meta">' + (r.wakeups !== null ? esc(fmtNum(r.wakeups)) + ' wakeups/s' : esc(fmtNum(num(t.wakeups))) + ' wakeups')
        + ' &middot; ' + esc(num(t.connections)) + ' conn</span>'
        + '</div>';
    }).join(''));
  }

  /** The queue of one pipe (or the sum of a socket's) against its high-water mark; 0 means unbounded. */
  function queueBar(testid, queued, hwm, what) {
    queued = num(queued);
    hwm = num(hwm);
    var unbounded = !(hwm > 0);
    var fill = unbounded ? 0 : Math.min(1, queued / hwm);
    var level = unbounded ? 'unbounded' : fill >= 0.9 ? 'crit' : fill >= 0.6 ? 'warn' : 'ok';
    var title = what + ': ' + queued + ' queued' + (unbounded ? ', no high-water mark' : ' of ' + hwm + ' (' + Math.round(fill * 100) + '%)');
    return '<span class="qbar ' + level + '" data-testid="' + testid + '" data-fill="' + fill.toFixed(4)
      + '" data-queued="' + queued + '" data-hwm="' + hwm + '" title="' + esc(title) + '">'
      + '<span class="qtrack"><span class="qfill" data-width="' + (fill * 100).toFixed(1) + '"></span></span>'
      + '<span class="qlabel">' + esc(fmtNum(queued)) + '<span class="muted">/' + (unbounded ? '\u221e' : esc(fmtNum(hwm))) + '</span></span>'
      + '</span>';
  }

  /** A socket's queues against the room its pipes have in all: the sum of their HWMs. */
  function socketCapacity(s, connectionField, socketField) {
    var conns = s.connections || [];
    if (conns.length === 0) {
      return num(s[socketField]);
    }
    var total = 0;
    for (var i = 0; i < conns.length; i++) {
      var h = conns[i][connectionField];
      if (typeof h !== 'number') {
        return num(s[socketField]) * conns.length;
      }
      if (h <= 0) {
        return 0; // one unbounded pipe: the socket is unbounded
      }
      total += h;
    }
    return total;
  }

  function stat(label, value, sub, cls, title) {
    return '<div class="stat ' + (cls || '') + '"' + (title ? ' title="' + esc(title) + '"' : '') + '>'
      + '<div class="stat-label">' + esc(label) + '</div>'
      + '<div class="stat-value">' + value + '</div>'
      + (sub ? '<div class="stat-sub">' + sub + '</div>' : '')
      + '</div>';
  }

  var HANDSHAKE_REASONS = ['GREETING', 'MECHANISM', 'AUTH', 'CRYPTOGRAPHIC', 'PROTOCOL', 'INCOMPLETE'];

  /** One line under a socket's numbers: its connection events and handshake failures (non-zero ones). */
  function eventLineHtml(ev) {
    ev = ev || {};
    var parts = [
      ['connected', 'connected', ''], ['accepted', 'accepted', ''], ['disconnected', 'disconnected', 'warn'],
      ['connectRetries', 'connect retries', 'warn'], ['heartbeatTimeouts', 'heartbeat timeouts', 'warn']
    ];
    var eventsTitle = parts.map(function (p) { return p[1] + ': ' + num(ev[p[0]]); }).join(', ');
    var shown = parts.filter(function (p) { return num(ev[p[0]]) > 0; }).map(function (p) {
      return '<span class="chip ' + p[2] + '">' + esc(p[1]) + ' <b>' + esc(fmtNum(num(ev[p[0]]))) + '</b></span>';
    });

    var failures = ev.handshakeFailures || {};
    var reasons = Object.keys(failures);
    HANDSHAKE_REASONS.forEach(function (r) {
      if (reasons.indexOf(r) < 0) {
        reasons.push(r);
      }
    });
    var failuresTitle = reasons.map(function (r) { return r + ': ' + num(failures[r]); }).join(', ');
    var failed = reasons.filter(function (r) { return num(failures[r]) > 0; }).map(function (r) {
      return '<span class="chip bad" data-testid="handshake-failure" data-reason="' + esc(r) + '">'
        + esc(r.toLowerCase()) + ' <b>' + esc(fmtNum(num(failures[r]))) + '</b></span>';
    });

    return '<div class="event-line">'
      + '<span class="group" title="' + esc(eventsTitle) + '"><span class="group-label">Connection events</span>'
      + (shown.length ? shown.join('') : '<span class="muted">none</span>') + '</span>'
      + '<span class="group" title="' + esc(failuresTitle) + '"><span class="group-label">Handshake failures</span>'
      + (failed.length ? failed.join('') : '<span class="muted">none</span>') + '</span>'
      + '</div>';
  }

  function socketHtml(s) {
    var r = state.socketRates[s.id];
    var selected = String(s.id) === String(state.selected);
    var endpoints = (s.endpoints || []).map(function (e) {
      return '<span class="endpoint mono">' + esc(e) + '</span>';
    }).join('') || '<span class="muted">no endpoints</span>';
    var dropsCls = num(s.droppedAtHwm) > 0 ? (r && r.drops > 0 ? 'bad' : 'attention') : 'quiet';

    var head = '<div class="socket-head">'
      + '<span class="socket-id">#' + esc(s.id) + '</span>'
      + '<span class="socket-type" data-testid="socket-type">' + esc(s.type) + '</span>'
      + '<span class="endpoints">' + endpoints + '</span>'
      + '<span class="peers" title="peers (pipes)"><b>' + esc(num(s.peers)) + '</b> peer' + (num(s.peers) === 1 ? '' : 's') + '</span>'
      + '<span class="socket-queues">'
      + '<span class="qname">out</span>' + queueBar('socket-queue-out', s.queuedOut, socketCapacity(s, 'sendHwm', 'sendHwm'), 'outgoing, all pipes')
      + '<span class="qname">in</span>' + queueBar('socket-queue-in', s.queuedIn, socketCapacity(s, 'receiveHwm', 'receiveHwm'), 'incoming, all pipes')
      + '</span></div>';

    var stats = '<div class="socket-stats">'
      + stat('Received', esc(r ? fmtRate(r['in']) : '\u2014'),
        '<span class="total" data-testid="messages-received">' + esc(num(s.messagesReceived)) + '</span> msgs &middot; '
        + esc(r ? fmtByteRate(r.bytesIn) : fmtBytes(num(s.bytesReceived))), 'in',
        num(s.messagesReceived) + ' messages, ' + num(s.bytesReceived) + ' bytes received')
      + stat('Sent', esc(r ? fmtRate(r.out) : '\u2014'),
        '<span class="total" data-testid="messages-sent">' + esc(num(s.messagesSent)) + '</span> msgs &middot; '
        + esc(r ? fmtByteRate(r.bytesOut) : fmtBytes(num(s.bytesSent))), 'out',
        num(s.messagesSent) + ' messages, ' + num(s.bytesSent) + ' bytes sent')
      + stat('Bytes in/out', esc(fmtBytes(num(s.bytesReceived))),
        esc(fmtBytes(num(s.bytesSent))) + ' out')
      + stat('Dropped at HWM', '<span data-testid="dropped-at-hwm">' + esc(fmtNum(num(s.droppedAtHwm))) + '</span>',
        r && r.drops > 0 ? esc(fmtRate(r.drops)) + ' now' : '', dropsCls, num(s.droppedAtHwm) + ' messages dropped at the high-water mark')
      + stat('Unroutable', esc(fmtNum(num(s.unroutable))), '', num(s.unroutable) > 0 ? 'attention' : 'quiet',
        'messages for no known peer')
      + stat('EAGAIN send/recv', esc(fmtNum(num(s.sendWouldBlock))) + '<span class="muted"> / </span>' + esc(fmtNum(num(s.receiveWouldBlock))),
        '', num(s.sendWouldBlock) + num(s.receiveWouldBlock) > 0 ? '' : 'quiet',
        'non-blocking sends and receives that would have blocked')
      + stat('Send blocked', esc(fmtDuration(num(s.sendBlockedSeconds))), '',
        num(s.sendBlockedSeconds) > 0 ? 'attention' : 'quiet', 'time spent blocked in send')
      + '</div>'
      + eventLineHtml(s.events);

    return '<article class="socket' + (selected ? ' selected' : '') + '" data-testid="socket-row" data-socket-id="' + esc(s.id)
      + '" data-key="socket-' + esc(s.id) + '">'
      + head + stats + connectionsHtml(s) + '</article>';
  }

  var STATE_LABEL = { WAITING_TO_RECONNECT: 'retry wait' };

  var STATE_CLASS = {
    ACTIVE: 'good', HANDSHAKING: 'info', CONNECTING: 'info', WAITING_TO_RECONNECT: 'warn', CLOSED: 'muted'
  };

  function connectionsHtml(s) {
    var conns = s.connections || [];
    if (conns.length === 0) {
      return '<div class="no-conns muted">no connections</div>';
    }
    var now = state.current ? state.current.time : Date.now();
    var all = state.allConnections[String(s.id)] === true;
    var shown = all ? conns.length : Math.min(conns.length, CONNECTIONS_SHOWN);
    var hidden = conns.length - shown;
    var rows = conns.slice(0, shown).map(function (c) {
      // an address as Java prints it may start with '/' (no host name): show it without
      var remote = c.remoteAddress ? String(c.remoteAddress).replace(/^\//, '') : '';
      var peer = remote || c.endpoint;
      var sub = remote ? c.endpoint : '';
      var retriesCls = num(c.connectRetries) > 0 ? ' class="warn-text"' : '';
      var failures = num(c.handshakeFailures) + num(c.heartbeatTimeouts);
      return '<tr data-testid="connection-row" data-state="' + esc(c.state) + '" data-endpoint="' + esc(c.endpoint) + '">'
        + '<td title="' + esc([c.remoteAddress, c.endpoint].filter(Boolean).join(' on ')) + '"><div class="mono clip">' + esc(peer || '\u2014') + '</div>'
        + (sub ? '<div class="sub mono clip">' + esc(sub) + '</div>' : '') + '</td>'
        + '<td><div class="mono">' + esc(c.transport) + '</div>'
        + (c.direction && String(c.direction).toLowerCase() !== String(c.transport).toLowerCase()
          ? '<div class="sub">' + esc(String(c.direction).toLowerCase()) + '</div>' : '') + '</td>'
        + '<td><span class="badge ' + (STATE_CLASS[c.state] || 'info') + '" data-testid="connection-state" title="' + esc(c.state)
        + '">' + esc(STATE_LABEL[c.state] || humanize(c.state)) + '</span></td>'
        + '<td class="mono">' + esc(c.mechanism || '\u2014') + '</td>'
        + '<td class="mono">' + esc(c.peerType || '\u2014') + '</td>'
        + '<td class="num" title="connects / disconnects / retries">' + esc(num(c.connects)) + ' / ' + esc(num(c.disconnects))
        + ' / <span' + retriesCls + '>' + esc(num(c.connectRetries)) + '</span></td>'
        + '<td class="num">' + (num(c.backoffMillis) > 0 ? esc(fmtDuration(num(c.backoffMillis) / 1000)) : '<span class="muted">\u2014</span>') + '</td>'
        + '<td class="num' + (failures > 0 ? ' bad-text' : '') + '" title="handshake failures / heartbeat timeouts">'
        + esc(num(c.handshakeFailures)) + ' / ' + esc(num(c.heartbeatTimeouts)) + '</td>'
        + '<td class="num" title="' + esc(c.lastActivity ? new Date(num(c.lastActivity)).toISOString() : 'never') + '">'
        + esc(fmtAgo(num(c.lastActivity), now)) + '</td>'
        + '<td class="num">' + esc(fmtBytes(num(c.bytesIn))) + '<span class="muted"> / </span>' + esc(fmtBytes(num(c.bytesOut))) + '</td>'
        + '<td>' + queueBar('queue-bar-out', c.queuedOut, c.sendHwm, 'outgoing') + '</td>'
        + '<td>' + queueBar('queue-bar-in', c.queuedIn, c.receiveHwm, 'incoming') + '</td>'
        + '</tr>';
    }).join('');
    return '<div class="conns-wrap"><table class="conns"><colgroup>'
      + '<col><col><col><col><col><col><col><col><col><col><col><col>'
      + '</colgroup><thead><tr>'
      + '<th>Peer</th><th>Transport</th><th>State</th><th title="security mechanism">Mech.</th><th>Peer type</th>'
      + '<th class="num" title="connects / disconnects / connect retries">Conn / disc / retry</th><th class="num" title="current reconnect backoff">Backoff</th>'
      + '<th class="num" title="handshake failures / heartbeat timeouts">HS fail / HB t/o</th>'
      + '<th class="num">Activity</th><th class="num">Bytes in / out</th><th>Queue out</th><th>Queue in</th>'
      + '</tr></thead><tbody>' + rows + '</tbody></table>'
      + (hidden ? '<div class="more muted" data-testid="connections-hidden">and ' + hidden + ' more connection'
        + (hidden === 1 ? '' : 's') + ' not listed <button type="button" class="link" data-testid="show-all-connections"'
        + ' data-connections="all">show all ' + conns.length + '</button></div>' : '')
      + (all && conns.length > CONNECTIONS_SHOWN ? '<div class="more muted">all ' + conns.length + ' connections listed '
        + '<button type="button" class="link" data-testid="show-fewer-connections" data-connections="fewer">show the first '
        + CONNECTIONS_SHOWN + '</button></div>' : '')
      + '</div>';
  }

  function renderSockets(snap) {
    var box = $('sockets');
    $('socket-count').textContent = String(snap.sockets.length);
    if (snap.sockets.length === 0) {
      patch(box, '<div class="empty">no sockets open in this context</div>');
      return;
    }
    var sockets = snap.sockets.slice().sort(function (a, b) { return num(a.id) - num(b.id); });
    patch(box, sockets.map(socketHtml).join(''));
  }

  function renderSocketChoice(snap) {
    var ids = snap.sockets.map(function (s) { return String(s.id); });
    if (state.selected === null && ids.length > 0) {
      // nothing chosen yet: show the busiest socket beside the total
      var best = snap.sockets[0];
      snap.sockets.forEach(function (s) {
        if (num(s.messagesReceived) + num(s.messagesSent) > num(best.messagesReceived) + num(best.messagesSent)) {
          best = s;
        }
      });
      state.selected = String(best.id);
    }
    var select = $('plot-socket');
    var options = [['', 'total only']].concat(snap.sockets.map(function (s) {
      return [String(s.id), '#' + s.id + ' ' + s.type];
    }));
    if (state.selected && ids.indexOf(state.selected) < 0) {
      options.push([state.selected, '#' + state.selected + ' (closed)']);
    }
    var signature = options.map(function (o) { return o[0] + ':' + o[1]; }).join('|');
    if (select.getAttribute('data-signature') !== signature) {
      select.innerHTML = options.map(function (o) {
        return '<option value="' + esc(o[0]) + '">' + esc(o[1]) + '</option>';
      }).join('');
      select.setAttribute('data-signature', signature);
    }
    select.value = state.selected || '';
  }

  function renderComponents(snap) {
    var box = $('components');
    if (snap.components.length === 0) {
      patch(box, '<div class="empty">none registered</div>');
      return;
    }
    patch(box, snap.components.map(componentHtml).join(''));
  }

  function measurementValue(component, m) {
    var text = esc(fmtNum(num(m.value)));
    var rate = state.componentRates[measurementKey(component, m)];
    if (m.kind === 'COUNTER' && typeof rate === 'number') {
      text += ' <span class="rate">' + esc(fmtRate(rate)) + '</span>';
    }
    return '<span title="' + esc(String(m.value)) + '">' + text + '</span>';
  }

  function componentHtml(c) {
    var measurements = c.measurements || [];
    var plain = measurements.filter(function (m) { return Object.keys(m.labels || {}).length === 0; });
    var labelled = measurements.filter(function (m) { return Object.keys(m.labels || {}).length > 0; });

    var kv = plain.length === 0 ? '' : '<dl class="kv-grid">' + plain.map(function (m) {
      return '<div class="kv-item" data-testid="component-value" data-name="' + esc(m.name) + '">'
        + '<dt title="' + esc(m.help || m.name) + '">' + esc(humanize(m.name)) + '</dt>'
        + '<dd>' + measurementValue(c, m) + '</dd></div>';
    }).join('') + '</dl>';

    // one table per set of label names; one row per distinct label values; one column per measurement
    var groups = {};
    var groupOrder = [];
    labelled.forEach(function (m) {
      var keys = Object.keys(m.labels).sort();
      var g = keys.join(',');
      if (!groups[g]) {
        groups[g] = { keys: keys, columns: [], help: {}, rows: {}, rowOrder: [] };
        groupOrder.push(g);
      }
      var group = groups[g];
      if (group.columns.indexOf(m.name) < 0) {
        group.columns.push(m.name);
        group.help[m.name] = m.help;
      }
      var rowKey = labelString(m.labels);
      if (!group.rows[rowKey]) {
        group.rows[rowKey] = { labels: m.labels, cells: {} };
        group.rowOrder.push(rowKey);
      }
      group.rows[rowKey].cells[m.name] = m;
    });

    var tables = groupOrder.map(function (g) {
      var group = groups[g];
      var prefix = group.keys.length === 1 ? group.keys[0] + '_' : null;
      var head = group.keys.map(function (k) { return '<th>' + esc(humanize(k)) + '</th>'; }).join('')
        + group.columns.map(function (name) {
          var shown = prefix && name.indexOf(prefix) === 0 && name.length > prefix.length ? name.substring(prefix.length) : name;
          return '<th class="num" title="' + esc(name + (group.help[name] ? ': ' + group.help[name] : '')) + '">'
            + esc(humanize(shown)) + '</th>';
        }).join('');
      var rowKeys = group.rowOrder.slice().sort();
      var body = rowKeys.map(function (rk) {
        var row = group.rows[rk];
        return '<tr data-testid="component-row" data-labels="' + esc(rk) + '">'
          + group.keys.map(function (k) { return '<td class="label-cell">' + esc(row.labels[k]) + '</td>'; }).join('')
          + group.columns.map(function (name) {
            var m = row.cells[name];
            return '<td class="num">' + (m ? measurementValue(c, m) : '<span class="muted">\u2014</span>') + '</td>';
          }).join('')
          + '</tr>';
      }).join('');
      return '<table class="ctable" data-labels="' + esc(g) + '"><thead><tr>' + head + '</tr></thead><tbody>' + body + '</tbody></table>';
    }).join('');

    return '<article class="component" data-testid="component" data-kind="' + esc(c.kind) + '" data-name="' + esc(c.name)
      + '" data-key="' + esc(c.kind + ' ' + c.name) + '">'
      + '<h3><span class="component-kind">' + esc(humanize(c.kind)) + '</span>'
      + '<span class="component-name mono">' + esc(c.name) + '</span></h3>'
      + kv + tables
      + (measurements.length === 0 ? '<div class="empty">no measurements</div>' : '')
      + '</article>';
  }

  // ------------------------------------------------------------------ the plot

  var COLORS = {
    totalIn: '#4cc9f0', totalOut: '#b892ff', socketIn: '#5ee0a0', socketOut: '#ffc46b',
    grid: 'rgba(148, 163, 184, 0.12)', axis: 'rgba(148, 163, 184, 0.45)', text: '#8b98a9'
  };

  function niceStep(raw) {
    if (!(raw > 0)) {
      return 1;
    }
    var pow = Math.pow(10, Math.floor(Math.log10(raw)));
    var f = raw / pow;
    return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 2.5 ? 2.5 : f <= 5 ? 5 : 10) * pow;
  }

  function plotSeries() {
    var bytes = state.metric === 'bytes';
    var inKey = bytes ? 'bytesIn' : 'in';
    var outKey = bytes ? 'bytesOut' : 'out';
    var series = [
      { label: 'total in', color: COLORS.totalIn, swatch: 'total-in', fill: true, pick: function (h) { return h.total[inKey]; } },
      { label: 'total out', color: COLORS.totalOut, swatch: 'total-out', pick: function (h) { return h.total[outKey]; } }
    ];
    var id = state.selected;
    if (id) {
      series.push({ label: '#' + id + ' in', color: COLORS.socketIn, swatch: 'socket-in', dash: [],
        pick: function (h) { return h.sockets[id] ? h.sockets[id][inKey] : null; } });
      series.push({ label: '#' + id + ' out', color: COLORS.socketOut, swatch: 'socket-out', dash: [5, 4],
        pick: function (h) { return h.sockets[id] ? h.sockets[id][outKey] : null; } });
    }
    return series;
  }

  function renderLegend(series) {
    var last = state.history.length ? state.history[state.history.length - 1] : null;
    var format = state.metric === 'bytes' ? fmtByteRate : fmtRate;
    $('legend').innerHTML = series.map(function (s) {
      var v = last ? s.pick(last) : null;
      return '<span class="legend-item"><span class="swatch ' + s.swatch + '"></span>'
        + esc(s.label) + ' <b>' + esc(typeof v === 'number' ? format(v) : '\u2014') + '</b></span>';
    }).join('');
  }

  function drawPlot() {
    var canvas = $('rate-plot');
    var width = canvas.clientWidth;
    var height = canvas.clientHeight;
    if (!width || !height) {
      return;
    }
    var dpr = window.devicePixelRatio || 1;
    if (canvas.width !== Math.round(width * dpr) || canvas.height !== Math.round(height * dpr)) {
      canvas.width = Math.round(width * dpr);
      canvas.height = Math.round(height * dpr);
    }
    var ctx = canvas.getContext('2d');
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, width, height);

    var font = window.getComputedStyle(document.body).fontFamily || 'sans-serif';
    var m = { left: 66, right: 18, top: 14, bottom: 36 };
    var w = width - m.left - m.right;
    var h = height - m.top - m.bottom;
    var history = state.history;
    var series = plotSeries();
    renderLegend(series);

    var tEnd = history.length ? history[history.length - 1].t : (state.current ? state.current.time : Date.now());
    var tStart = tEnd - HISTORY_MS;
    var max = 0;
    history.forEach(function (p) {
      if (p.t < tStart) {
        return;
      }
      series.forEach(function (s) {
        var v = s.pick(p);
        if (typeof v === 'number' && v > max) {
          max = v;
        }
      });
    });
    var step = niceStep((max > 0 ? max * 1.08 : 1) / 4);
    var yMax = Math.max(step, Math.ceil((max > 0 ? max * 1.08 : 1) / step) * step);
    var format = state.metric === 'bytes' ? fmtBytes : fmtNum;

    function x(t) { return m.left + (t - tStart) / HISTORY_MS * w; }
    function y(v) { return m.top + h - v / yMax * h; }

    // grid and the y axis
    ctx.font = '11px ' + font;
    ctx.textBaseline = 'middle';
    ctx.textAlign = 'right';
    ctx.lineWidth = 1;
    for (var v = 0; v <= yMax + step / 2; v += step) {
      var yy = Math.round(y(v)) + 0.5;
      ctx.strokeStyle = v === 0 ? COLORS.axis : COLORS.grid;
      ctx.beginPath();
      ctx.moveTo(m.left, yy);
      ctx.lineTo(m.left + w, yy);
      ctx.stroke();
      ctx.fillStyle = COLORS.text;
      ctx.fillText(format(v), m.left - 8, yy);
    }
    // the x axis: one tick a minute
    ctx.textAlign = 'center';
    ctx.textBaseline = 'top';
    for (var k = 0; k <= 5; k++) {
      var t = tEnd - k * 60000;
      var xx = Math.round(x(t)) + 0.5;
      ctx.strokeStyle = k === 0 || k === 5 ? COLORS.axis : COLORS.grid;
      ctx.beginPath();
      ctx.moveTo(xx, m.top);
      ctx.lineTo(xx, m.top + h + 4);
      ctx.stroke();
      ctx.fillStyle = COLORS.text;
      ctx.textAlign = k === 0 ? 'right' : k === 5 ? 'left' : 'center';
      ctx.fillText(k === 0 ? 'now' : '\u2212' + k + ' min', xx, m.top + h + 7);
    }
    // axis titles
    ctx.save();
    ctx.translate(14, m.top + h / 2);
    ctx.rotate(-Math.PI / 2);
    ctx.textAlign = 'center';
    ctx.textBaseline = 'middle';
    ctx.fillStyle = COLORS.text;
    ctx.fillText(state.metric === 'bytes' ? 'bytes / s' : 'messages / s', 0, 0);
    ctx.restore();
    ctx.textAlign = 'center';
    ctx.textBaseline = 'bottom';
    ctx.fillText('time', m.left + w / 2, height - 1);

    // the lines
    ctx.save();
    ctx.beginPath();
    ctx.rect(m.left, m.top - 2, w + 2, h + 4);
    ctx.clip();
    var drawn = 0;
    series.forEach(function (s) {
      var runs = [];
      var run = [];
      var lastT = null;
      history.forEach(function (p) {
        var val = s.pick(p);
        if (typeof val !== 'number' || (lastT !== null && p.t - lastT > GAP_MS)) {
          if (run.length) {
            runs.push(run);
          }
          run = [];
        }
        if (typeof val === 'number') {
          run.push([x(p.t), y(val)]);
        }
        lastT = p.t;
      });
      if (run.length) {
        runs.push(run);
      }
      runs.forEach(function (points) {
        if (points.length === 1) {
          ctx.fillStyle = s.color;
          ctx.fillRect(points[0][0] - 1.5, points[0][1] - 1.5, 3, 3);
          return;
        }
        if (s.fill) {
          var gradient = ctx.createLinearGradient(0, m.top, 0, m.top + h);
          gradient.addColorStop(0, 'rgba(76, 201, 240, 0.22)');
          gradient.addColorStop(1, 'rgba(76, 201, 240, 0.0)');
          ctx.beginPath();
          ctx.moveTo(points[0][0], m.top + h);
          points.forEach(function (pt) { ctx.lineTo(pt[0], pt[1]); });
          ctx.lineTo(points[points.length - 1][0], m.top + h);
          ctx.closePath();
          ctx.fillStyle = gradient;
          ctx.fill();
        }
        ctx.beginPath();
        ctx.setLineDash(s.dash || []);
        ctx.strokeStyle = s.color;
        ctx.lineWidth = 1.8;
        ctx.lineJoin = 'round';
        points.forEach(function (pt, i) {
          if (i === 0) {
            ctx.moveTo(pt[0], pt[1]);
          } else {
            ctx.lineTo(pt[0], pt[1]);
          }
        });
        ctx.stroke();
        ctx.setLineDash([]);
        drawn += points.length;
      });
    });
    ctx.restore();

    if (history.length < 2) {
      ctx.fillStyle = COLORS.text;
      ctx.textAlign = 'center';
      ctx.textBaseline = 'middle';
      ctx.font = '12px ' + font;
      ctx.fillText('collecting data\u2026', m.left + w / 2, m.top + h / 2);
    }
    canvas.setAttribute('data-points', String(history.length));
    canvas.setAttribute('data-drawn', String(drawn));
  }

  // ------------------------------------------------------------------ connection: stream, then polling

  var STATUS_TEXT = {
    connecting: 'Connecting to the live stream',
    live: 'Live: the server pushes a snapshot every second',
    reconnecting: 'The live stream dropped: reconnecting',
    polling: 'The live stream is unavailable: polling every second, and retrying the stream',
    unauthorized: 'The server refused the access token',
    offline: 'The server cannot be reached: retrying'
  };

  function setStatus(status, detail) {
    conn.status = status;
    var el = $('status');
    if (el.textContent !== status) {
      el.textContent = status;
    }
    el.className = 'status ' + status;
    el.title = STATUS_TEXT[status] + (detail ? ' (' + detail + ')' : '');
    var banner = $('banner');
    if (status === 'unauthorized') {
      banner.textContent = token
        ? 'The server refused the access token in this page\u2019s address.'
        : 'The server needs an access token: open this page as \u2026/?token=YOUR_TOKEN.';
      banner.className = 'banner';
    } else if (status === 'offline') {
      banner.textContent = 'The monitor server cannot be reached. Retrying\u2026' + (detail ? ' (' + detail + ')' : '');
      banner.className = 'banner';
    } else {
      banner.className = 'banner hidden';
    }
  }

  function closeStream() {
    if (conn.source) {
      conn.source.close();
      conn.source = null;
    }
  }

  function scheduleReconnect() {
    if (conn.reconnectTimer) {
      return;
    }
    var delay = conn.reconnectDelay;
    conn.reconnectDelay = Math.min(RECONNECT_MAX_MS, conn.reconnectDelay * 2);
    conn.reconnectTimer = setTimeout(function () {
      conn.reconnectTimer = null;
      openStream();
    }, delay);
  }

  function streamTrouble() {
    if (conn.errorSince === null) {
      conn.errorSince = Date.now();
    }
    if (!conn.polling) {
      setStatus('reconnecting');
    }
  }

  function openStream() {
    closeStream();
    if (typeof window.EventSource !== 'function') {
      streamTrouble();
      conn.errorSince = 0; // never: poll right away
      return;
    }
    var source;
    try {
      source = new EventSource(apiUrl('api/stream'));
    } catch (e) {
      streamTrouble();
      scheduleReconnect();
      return;
    }
    conn.source = source;
    source.onopen = function () {
      if (conn.source !== source) {
        return;
      }
      conn.lastMessageAt = Date.now();
      conn.errorSince = null;
      conn.reconnectDelay = RECONNECT_MIN_MS;
      stopPolling();
      setStatus('live');
    };
    source.addEventListener('metrics', function (e) {
      if (conn.source !== source) {
        return;
      }
      conn.lastMessageAt = Date.now();
      conn.errorSince = null;
      if (conn.status !== 'live') {
        stopPolling();
        setStatus('live');
      }
      var snap;
      try {
        snap = JSON.parse(e.data);
      } catch (err) {
        console.error('zmq4j monitor: a metrics event that is not JSON', err);
        return;
      }
      handleSnapshot(snap);
    });
    source.addEventListener('socket-event', function (e) {
      if (conn.source !== source) {
        return;
      }
      conn.lastMessageAt = Date.now();
      try {
        addEvents([JSON.parse(e.data)]);
      } catch (err) {
        console.error('zmq4j monitor: a socket-event that is not JSON', err);
      }
    });
    source.onerror = function () {
      if (conn.source !== source) {
        return;
      }
      streamTrouble();
      if (source.readyState === EventSource.CLOSED) {
        // refused (an HTTP error, a wrong content type): the browser will not retry by itself
        closeStream();
        scheduleReconnect();
      }
    };
  }

  function startPolling() {
    if (conn.polling) {
      return;
    }
    conn.polling = true;
    setStatus('polling');
    pollOnce();
    conn.pollTimer = setInterval(pollOnce, POLL_MS);
  }

  function stopPolling() {
    if (conn.pollTimer) {
      clearInterval(conn.pollTimer);
      conn.pollTimer = null;
    }
    conn.polling = false;
  }

  function getJson(url) {
    return fetch(url, { cache: 'no-store', headers: { Accept: 'application/json' } }).then(function (response) {
      if (!response.ok) {
        var error = new Error('HTTP ' + response.status);
        error.status = response.status;
        throw error;
      }
      return response.json();
    });
  }

  function pollOnce() {
    if (conn.pollInFlight) {
      return;
    }
    conn.pollInFlight = true;
    getJson(apiUrl('api/metrics')).then(function (snap) {
      if (!conn.polling) {
        return null;
      }
      handleSnapshot(snap);
      setStatus('polling');
      return getJson(apiUrl('api/events', { after: String(state.lastSequence) })).then(function (body) {
        addEvents(body && body.events);
      });
    }).catch(function (error) {
      if (!conn.polling) {
        return;
      }
      if (error && (error.status === 401 || error.status === 403)) {
        setStatus('unauthorized', 'HTTP ' + error.status);
      } else {
        setStatus('offline', error && error.message);
      }
    }).then(function () {
      conn.pollInFlight = false;
    });
  }

  function supervise() {
    var now = Date.now();
    var source = conn.source;
    if (source && source.readyState === EventSource.OPEN && now - conn.lastMessageAt > STALE_AFTER_MS) {
      // open, yet silent although the server sends a snapshot every second: a dead connection
      streamTrouble();
      closeStream();
      scheduleReconnect();
    }
    if (!source && !conn.reconnectTimer) {
      scheduleReconnect();
    }
    if (conn.errorSince !== null && !conn.polling && now - conn.errorSince >= FALLBACK_AFTER_MS) {
      startPolling();
    }
    renderUpdated();
  }

  // ------------------------------------------------------------------ start

  function start() {
    $('plot-metric').addEventListener('change', function (e) {
      state.metric = e.target.value === 'bytes' ? 'bytes' : 'msg';
      drawPlot();
    });
    $('plot-socket').addEventListener('change', function (e) {
      state.selected = e.target.value;
      if (state.current) {
        renderSockets(state.current);
      }
      drawPlot();
    });
    $('sockets').addEventListener('click', function (e) {
      var toggle = e.target.closest ? e.target.closest('[data-connections]') : null;
      var owner = toggle ? toggle.closest('[data-socket-id]') : null;
      if (toggle && owner) {
        // list every connection of this socket, or only the first ones again; kept across updates
        var socketId = owner.getAttribute('data-socket-id');
        if (toggle.getAttribute('data-connections') === 'all') {
          state.allConnections[socketId] = true;
        } else {
          delete state.allConnections[socketId];
        }
        if (state.current) {
          renderSockets(state.current);
        }
        return;
      }
      var row = e.target.closest ? e.target.closest('[data-socket-id]') : null;
      if (!row || (window.getSelection && String(window.getSelection()).length > 0)) {
        return;
      }
      var id = row.getAttribute('data-socket-id');
      state.selected = state.selected === id ? '' : id;
      if (state.current) {
        renderSocketChoice(state.current);
        renderSockets(state.current);
      }
      drawPlot();
    });
    var resizeTimer = null;
    window.addEventListener('resize', function () {
      clearTimeout(resizeTimer);
      resizeTimer = setTimeout(drawPlot, 100);
    });
    setStatus('connecting');
    drawPlot();
    openStream();
    setInterval(supervise, 1000);
  }

  // for a look from the browser console
  window.zmq4jMonitor = { state: state, connection: conn };

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', start);
  } else {
    start();
  }
})();
