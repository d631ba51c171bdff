// The planning page of `onestop serve` (docs/serve.md). Every edit is sent
// as the full list of edits to /api/evaluate; the server keeps the coverage
// incremental. Names from the data are only ever set as text.
'use strict';
(function () {
  const L = {
    vi: {
      title: 'Lập phương án mạng lưới điểm tiếp nhận', mode_close: 'Đóng/mở lại', mode_add: 'Thêm điểm', mode_lock: 'Khoá',
      undo: 'Hoàn tác', redo: 'Làm lại', optimize: 'Tối ưu từ đây', cancel: 'Huỷ', save: 'Lưu scenario.yaml',
      covered: 'Người dân được phục vụ', covered_pct: 'Tỷ lệ được phục vụ (%)', beyond: 'Dân chưa được phục vụ',
      mean: 'Thời gian di chuyển trung bình (phút)', p95: 'Thời gian di chuyển P95 (phút)', max: 'Thời gian di chuyển lâu nhất (phút)',
      offices: 'Số điểm tiếp nhận', staff: 'Số cán bộ một cửa', staff_needed: 'Cán bộ cần cho mục tiêu chờ / theo định mức',
      over_wait: 'Điểm có thời gian chờ vượt mục tiêu', wait: 'Thời gian chờ trung bình (phút)',
      delta_note: 'Cột cuối: thay đổi so với lúc bắt đầu.',
      help: 'Bấm vào một điểm để đóng hoặc mở lại; chế độ "Thêm điểm": bấm vào bản đồ; kéo một điểm mới để di chuyển; chế độ "Khoá": điểm được giữ khi tối ưu.',
      open: 'Đang mở', closed: 'Đã đóng', locked: 'Khoá', added: 'Mở mới', minutes: 'phút',
      running: 'Đang tối ưu…', done: 'Tối ưu xong', failed: 'Tối ưu thất bại', cancelled: 'Đã huỷ', saved: 'Đã lưu', evaluating: 'Đang tính…'
    },
    en: {
      title: 'One-stop network planning', mode_close: 'Close/reopen', mode_add: 'Add point', mode_lock: 'Lock',
      undo: 'Undo', redo: 'Redo', optimize: 'Optimize from here', cancel: 'Cancel', save: 'Save scenario.yaml',
      covered: 'Residents covered', covered_pct: 'Share covered (%)', beyond: 'Residents beyond the rule',
      mean: 'Mean travel time (min)', p95: 'P95 travel time (min)', max: 'Longest travel time (min)',
      offices: 'Service points', staff: 'One-stop staff', staff_needed: 'Staff needed for the wait target / at the norms',
      over_wait: 'Offices over the waiting target', wait: 'Mean wait (min)',
      delta_note: 'Last column: change since the start.',
      help: 'Click an office to close or reopen it; in "Add point" mode click the map; drag a new point to move it; in "Lock" mode an office is kept by the optimizer.',
      open: 'Open', closed: 'Closed', locked: 'Locked', added: 'New', minutes: 'min',
      running: 'Optimizing…', done: 'Optimized', failed: 'Optimizer failed', cancelled: 'Cancelled', saved: 'Saved', evaluating: 'Evaluating…'
    }
  };
  const $ = (id) => document.getElementById(id);
  let lang = 'vi', state = null, chart = null, start = null, last = null;
  let edits = { closed: [], open: [], add: [], locked: [] };
  const undo = [], redo = [];
  let seq = 0, job = null, dragging = null;
  const t = (k) => (L[lang] && L[lang][k]) || k;
  const nf = () => new Intl.NumberFormat(lang === 'vi' ? 'vi-VN' : 'en-US', { maximumFractionDigits: 2 });

  function applyLang() {
    document.documentElement.lang = lang;
    document.querySelectorAll('[data-l]').forEach((el) => { el.textContent = t(el.dataset.l); });
    $('title').textContent = t('title');
    if (last) { show(last); }
    if (chart) { draw(); }
  }

  async function api(method, path, body) {
    const r = await fetch(path, { method: method, headers: body ? { 'Content-Type': 'application/json' } : {}, body: body ? JSON.stringify(body) : undefined });
    const j = await r.json();
    if (!r.ok) { throw new Error(j.error || r.statusText); }
    return j;
  }

  function clone(e) { return JSON.parse(JSON.stringify(e)); }
  function isOpen(o) {
    if (o.status === 'closed') { return edits.open.includes(o.id); }
    return !edits.closed.includes(o.id);
  }

  // change records the edits before a change for undo, then evaluates.
  function change(f) {
    undo.push(clone(edits));
    redo.length = 0;
    f();
    evaluate();
  }

  let pending = 0;
  async function evaluate() {
    const mine = ++pending;
    $('status').textContent = t('evaluating');
    try {
      const ev = await api('POST', '/api/evaluate', { closed: edits.closed, open: edits.open, add: edits.add });
      if (mine !== pending) { return; }
      last = ev;
      // The evaluated edits, for tests and for a planner reading the DOM.
      document.body.dataset.edits = JSON.stringify(edits);
      $('error').textContent = '';
      show(ev);
      draw();
      $('status').textContent = '';
    } catch (err) {
      if (mine === pending) { $('error').textContent = err.message; $('status').textContent = ''; }
    }
  }

  function set(id, v, ref, better) {
    const el = $(id);
    el.textContent = nf().format(v);
    el.dataset.value = String(v);
    const d = $(id + '-d');
    const diff = Math.round((v - ref) * 100) / 100;
    d.textContent = diff === 0 ? '' : (diff > 0 ? '+' : '') + nf().format(diff);
    d.className = 'd' + (diff === 0 ? '' : ((diff > 0) === (better > 0) ? ' up' : ' down'));
  }

  function show(ev) {
    const s = start;
    set('covered', ev.covered_population, s.covered_population, 1);
    set('covered_pct', ev.covered_pct, s.covered_pct, 1);
    set('beyond', ev.beyond_rule, s.beyond_rule, -1);
    set('mean', ev.minutes.mean, s.minutes.mean, -1);
    set('p95', ev.minutes.p95, s.minutes.p95, -1);
    set('max', ev.minutes.max, s.minutes.max, -1);
    set('offices', ev.offices, s.offices, 0);
    set('staff', ev.staff, s.staff, 0);
    set('staff_needed', ev.staff_needed, s.staff_needed, -1);
    $('staff_needed').textContent = nf().format(ev.staff_needed) + ' / ' + nf().format(ev.staff_justified);
    set('over_wait', (ev.over_wait || []).length, (s.over_wait || []).length, -1);
    set('wait', ev.mean_wait_min, s.mean_wait_min, -1);
  }

  function officeData() {
    const out = [];
    state.offices.forEach((o) => {
      const open = isOpen(o);
      const locked = o.locked || edits.locked.includes(o.id);
      const color = !open ? '#9aa0a6' : (locked ? '#6f42c1' : '#1f6feb');
      out.push({ name: o.id, value: [o.lon, o.lat], label: o.name, status: !open ? 'closed' : (locked ? 'locked' : 'open'),
        itemStyle: { color: color, borderColor: '#fff', borderWidth: 1 }, symbol: open ? 'circle' : 'emptyCircle' });
    });
    edits.add.forEach((p) => {
      const locked = edits.locked.includes(p.id);
      out.push({ name: p.id, value: [p.lon, p.lat], label: p.id, status: 'added', added: true,
        itemStyle: { color: locked ? '#6f42c1' : '#e8590c', borderColor: '#fff', borderWidth: 1 }, symbol: 'diamond' });
    });
    return out;
  }

  function draw() {
    const ev = last || start;
    const rule = state.rule.minutes || 30;
    chart.setOption({
      tooltip: { trigger: 'item', formatter: (p) => {
        const esc = (x) => String(x).replace(/[&<>"']/g, (c) => '&#' + c.charCodeAt(0) + ';');
        if (p.seriesType === 'scatter') { return esc(p.data.label) + ' (' + esc(p.name) + '): ' + esc(t(p.data.status)); }
        const c = communeLabel[p.name] || p.name;
        return esc(c) + ': ' + (p.value >= 0 ? esc(nf().format(p.value)) + ' ' + t('minutes') : '–');
      } },
      visualMap: { min: 0, max: rule * 2, seriesIndex: 0, calculable: false, left: 10, bottom: 10,
        text: ['≥ ' + rule * 2 + ' ' + t('minutes'), '0'], inRange: { color: ['#e8f5e9', '#fff59d', '#ffb74d', '#e53935'] } },
      geo: { map: 'province', roam: true, itemStyle: { areaColor: '#eee', borderColor: '#999', borderWidth: 0.5 }, emphasis: { label: { show: false } } },
      series: [
        { type: 'map', geoIndex: 0, data: ev.communes.map((c) => ({ name: c.code, value: c.mean_minutes })) },
        { type: 'scatter', coordinateSystem: 'geo', symbolSize: 11, z: 10, data: officeData() }
      ]
    });
  }

  const communeLabel = {};

  function pointAt(x, y) {
    const c = chart.convertFromPixel({ geoIndex: 0 }, [x, y]);
    return c ? { lon: Math.round(c[0] * 1e6) / 1e6, lat: Math.round(c[1] * 1e6) / 1e6 } : null;
  }

  function mode() { return document.querySelector('input[name=mode]:checked').value; }

  function toggleOffice(id) {
    const o = state.offices.find((x) => x.id === id);
    const added = edits.add.find((p) => p.id === id);
    if (mode() === 'lock') {
      change(() => {
        const i = edits.locked.indexOf(id);
        if (i >= 0) { edits.locked.splice(i, 1); } else { edits.locked.push(id); }
      });
      return;
    }
    change(() => {
      if (added) { edits.add = edits.add.filter((p) => p.id !== id); edits.locked = edits.locked.filter((x) => x !== id); return; }
      if (!o) { return; }
      if (o.status === 'closed') {
        const i = edits.open.indexOf(id);
        if (i >= 0) { edits.open.splice(i, 1); } else { edits.open.push(id); }
      } else {
        const i = edits.closed.indexOf(id);
        if (i >= 0) { edits.closed.splice(i, 1); } else { edits.closed.push(id); edits.locked = edits.locked.filter((x) => x !== id); }
      }
    });
  }

  function newID() {
    let id;
    do { seq++; id = 'new-' + seq; } while (edits.add.some((p) => p.id === id) || state.offices.some((o) => o.id === id));
    return id;
  }

  // addPoint adds a new point where the map was clicked.
  function addPoint(x, y) {
    const pt = pointAt(x, y);
    if (pt) { change(() => { edits.add.push({ id: newID(), lon: pt.lon, lat: pt.lat, kind: 'inter-ward' }); }); }
  }

  function bind() {
    chart.on('click', (p) => {
      if (p.seriesType === 'scatter') {
        if (dragging && dragging.moved) { return; }
        toggleOffice(p.name);
        return;
      }
      if (mode() === 'add') { addPoint(p.event.offsetX, p.event.offsetY); }
    });
    chart.getZr().on('click', (e) => {
      // A click on the map outside every commune still adds a point.
      if (e.target || mode() !== 'add') { return; }
      addPoint(e.offsetX, e.offsetY);
    });
    // Dragging a new point moves it: pressed on the point, released elsewhere.
    chart.on('mousedown', (p) => {
      if (p.seriesType === 'scatter' && p.data.added) {
        dragging = { id: p.name, x: p.event.offsetX, y: p.event.offsetY, moved: false };
        chart.setOption({ geo: { roam: false } });
      }
    });
    chart.getZr().on('mouseup', (e) => {
      if (!dragging) { return; }
      const d = dragging;
      chart.setOption({ geo: { roam: true } });
      if (Math.hypot(e.offsetX - d.x, e.offsetY - d.y) > 4) {
        d.moved = true;
        const pt = pointAt(e.offsetX, e.offsetY);
        if (pt) { change(() => { const p = edits.add.find((x) => x.id === d.id); p.lon = pt.lon; p.lat = pt.lat; }); }
        setTimeout(() => { dragging = null; }, 0);
      } else {
        dragging = null;
      }
    });
    $('undo').addEventListener('click', () => { if (undo.length) { redo.push(clone(edits)); edits = undo.pop(); evaluate(); } });
    $('redo').addEventListener('click', () => { if (redo.length) { undo.push(clone(edits)); edits = redo.pop(); evaluate(); } });
    $('lang').addEventListener('change', (e) => { lang = e.target.value; applyLang(); });
    $('optimize').addEventListener('click', optimize);
    $('cancel').addEventListener('click', async () => { if (job) { try { await api('DELETE', '/api/optimize/' + job); } catch (err) { $('error').textContent = err.message; } } });
    $('save').addEventListener('click', save);
    window.addEventListener('resize', () => chart.resize());
  }

  async function optimize() {
    try {
      const r = await api('POST', '/api/optimize', edits);
      job = r.job;
      $('cancel').disabled = false;
      $('optimize').disabled = true;
      poll();
    } catch (err) { $('error').textContent = err.message; }
  }

  async function poll() {
    if (!job) { return; }
    let j;
    try { j = await api('GET', '/api/optimize/' + job); } catch (err) { $('error').textContent = err.message; return; }
    $('status').textContent = t(j.status) + (j.status === 'running' ? ' ' + j.progress : '');
    if (j.status === 'running') { setTimeout(poll, 500); return; }
    job = null;
    $('cancel').disabled = true;
    $('optimize').disabled = false;
    if (j.status === 'done' && j.result) {
      change(() => { edits = { closed: j.result.closed || [], open: j.result.open || [], add: j.result.add || [], locked: j.result.locked || [] }; });
    } else if (j.error) {
      $('error').textContent = j.error;
    }
  }

  async function save() {
    try {
      const r = await api('POST', '/api/save', edits);
      const shown = [];
      r.files.forEach((f) => {
        const a = document.createElement('a');
        a.href = URL.createObjectURL(new Blob([f.text], { type: 'text/plain' }));
        a.download = f.name;
        document.body.appendChild(a);
        a.click();
        a.remove();
        shown.push(f);
      });
      $('saved').textContent = JSON.stringify(shown);
      $('status').textContent = t('saved');
    } catch (err) { $('error').textContent = err.message; }
  }

  async function init() {
    state = await api('GET', '/api/state');
    lang = state.lang === 'en' ? 'en' : 'vi';
    $('lang').value = lang;
    start = state.summary;
    // The start's own closures are part of the start (status closed), not edits.
    edits = { closed: [], open: [], add: (state.start.add || []).slice(), locked: [] };
    const geo = await api('GET', '/api/communes');
    geo.features.forEach((f) => { communeLabel[f.properties.name] = f.properties.label; });
    echarts.registerMap('province', geo);
    chart = echarts.init($('map'));
    $('dataset').textContent = state.dataset + ' — ' + state.scenario + ' (' + state.network + ')';
    applyLang();
    bind();
    last = start;
    show(start);
    draw();
    document.body.dataset.ready = '1';
  }

  init().catch((err) => { $('error').textContent = err.message; });
})();
