/* SupportBot analytics for leads. Server data is inserted with DOM APIs / textContent, never innerHTML; charts by Chart.js. */
(() => {
  'use strict';

  const ENDPOINT = '/api/analytics';
  const CSV_ENDPOINT = '/api/analytics.csv';
  const TIMEOUT_MS = 15000;
  const DAY_MS = 24 * 60 * 60 * 1000;
  const SURFACES = new Map([['web', 'Web'], ['slack', 'Slack'], ['teams', 'Teams'], ['cli', 'CLI']]);

  const ui = {};
  const charts = {};

  /* ---------- Helpers ---------- */

  const { el } = window.SupportBot;

  const text = (value) => (value === null || value === undefined ? '' : String(value));
  const number = (value) => (Number.isFinite(Number(value)) ? Number(value) : 0);
  const formatCount = (n) => number(n).toLocaleString();
  const percent = (ratio) => (ratio === null || ratio === undefined ? '—' : `${Math.round(ratio * 100)}%`);

  /** Minutes as "45 min", "3 h 20 min", "2 d 4 h"; "—" when unknown. */
  function duration(minutes) {
    if (minutes === null || minutes === undefined) return '—';
    const m = Math.round(minutes);
    if (m < 60) return `${m} min`;
    const h = Math.floor(m / 60);
    if (h < 48) return m % 60 ? `${h} h ${m % 60} min` : `${h} h`;
    const d = Math.floor(h / 24);
    return h % 24 ? `${d} d ${h % 24} h` : `${d} d`;
  }

  function isoDay(date) {
    return date.toISOString().slice(0, 10);
  }

  function todayUtc() {
    return isoDay(new Date());
  }

  function addDays(day, days) {
    return isoDay(new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS));
  }

  function cssVar(name, fallback) {
    const value = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
    return value || fallback;
  }

  function palette() {
    return {
      text: cssVar('--text', '#18212d'),
      muted: cssVar('--muted', '#556170'),
      border: cssVar('--border', '#d9dee5'),
      accent: cssVar('--accent', '#1f5bd1'),
      ok: cssVar('--ok', '#17693b'),
      warn: cssVar('--warn', '#7a4b00'),
      bad: cssVar('--bad', '#a8231a'),
    };
  }

  function surfaceName(surface) {
    const key = text(surface).toLowerCase();
    return SURFACES.get(key) || text(surface);
  }

  /* ---------- Filters ---------- */

  function query() {
    const params = new URLSearchParams();
    params.set('from', ui.from.value);
    params.set('to', ui.to.value);
    if (ui.channel.value) params.set('channel', ui.channel.value);
    if (ui.team.value) params.set('team', ui.team.value);
    return params;
  }

  function applyPreset() {
    if (ui.period.value === 'custom') return;
    const days = Number(ui.period.value);
    const to = todayUtc();
    ui.to.value = to;
    ui.from.value = addDays(to, 1 - days);
  }

  function readLocation() {
    const params = new URLSearchParams(window.location.search);
    const from = params.get('from');
    const to = params.get('to');
    if (from && to) {
      ui.from.value = from;
      ui.to.value = to;
      ui.period.value = 'custom';
    } else {
      applyPreset();
    }
    return { channel: params.get('channel') || '', team: params.get('team') || '' };
  }

  function fillSelect(select, values, selected, allLabel) {
    const current = selected ?? select.value;
    select.replaceChildren(el('option', { value: '' }, allLabel));
    values.forEach(({ value, label }) => select.append(el('option', { value }, label)));
    if (current && !values.some((v) => v.value === current)) select.append(el('option', { value: current }, current));
    select.value = current || '';
  }

  function updateCsvLinks(params) {
    for (const section of ['trends', 'reasons', 'gaps', 'escalations']) {
      const link = document.getElementById(`csv-${section}`);
      const csv = new URLSearchParams(params);
      csv.set('section', section);
      link.href = `${CSV_ENDPOINT}?${csv}`;
    }
  }

  /* ---------- Charts ---------- */

  function draw(id, config) {
    if (charts[id]) charts[id].destroy();
    const colors = palette();
    config.options = Object.assign({
      responsive: true,
      maintainAspectRatio: false,
      animation: window.matchMedia('(prefers-reduced-motion: reduce)').matches ? false : { duration: 300 },
      plugins: { legend: { labels: { color: colors.text } } },
    }, config.options || {});
    charts[id] = new window.Chart(document.getElementById(id), config);
  }

  function axes(colors, extra) {
    const axis = { ticks: { color: colors.muted }, grid: { color: colors.border } };
    return { x: Object.assign({}, axis, extra?.x || {}), y: Object.assign({ beginAtZero: true }, axis, extra?.y || {}) };
  }

  function drawCharts(report) {
    const colors = palette();
    const days = report.trends.days;
    const labels = days.map((d) => d.day);

    draw('chart-questions', {
      type: 'bar',
      data: {
        labels,
        datasets: [
          { label: 'Answered', data: days.map((d) => d.answered), backgroundColor: colors.ok, stack: 'questions' },
          { label: 'Declined', data: days.map((d) => d.declined), backgroundColor: colors.warn, stack: 'questions' },
        ],
      },
      options: { scales: axes(colors, { x: { stacked: true }, y: { stacked: true, ticks: { color: colors.muted, precision: 0 } } }) },
    });

    draw('chart-feedback', {
      type: 'line',
      data: {
        labels,
        datasets: [{
          label: 'Helpful votes (%)',
          data: days.map((d) => (d.helpfulRatio === null ? null : Math.round(d.helpfulRatio * 1000) / 10)),
          borderColor: colors.accent,
          backgroundColor: colors.accent,
          spanGaps: true,
        }],
      },
      options: { scales: axes(colors, { y: { min: 0, max: 100, ticks: { color: colors.muted, callback: (v) => `${v}%` } } }) },
    });

    const reasons = report.trends.reasons;
    draw('chart-reasons', {
      type: 'bar',
      data: {
        labels: reasons.map((r) => r.label),
        datasets: [{ label: 'Times given', data: reasons.map((r) => r.count), backgroundColor: colors.bad }],
      },
      options: { indexAxis: 'y', scales: axes(colors, { x: { beginAtZero: true, ticks: { color: colors.muted, precision: 0 } } }) },
    });

    const teams = report.escalations.byTeam;
    draw('chart-escalations', {
      type: 'bar',
      data: {
        labels: teams.map((t) => t.team),
        datasets: [
          { label: 'Opened', data: teams.map((t) => t.opened), backgroundColor: colors.accent },
          { label: 'Acknowledged', data: teams.map((t) => t.acknowledged), backgroundColor: colors.warn },
          { label: 'Resolved', data: teams.map((t) => t.resolved), backgroundColor: colors.ok },
          { label: 'Reassigned', data: teams.map((t) => t.reassigned), backgroundColor: colors.bad },
        ],
      },
      options: { scales: axes(colors, { y: { beginAtZero: true, ticks: { color: colors.muted, precision: 0 } } }) },
    });
  }

  /* ---------- Tables ---------- */

  function table(node, headers, rows) {
    const head = el('thead', null, el('tr', null, ...headers.map((h, i) => el('th', { scope: 'col', class: i > 0 ? 'num' : null }, h))));
    const body = el('tbody', null, ...rows.map((row) => el('tr', null, ...row.map((cell, i) => (i === 0 ? el('th', { scope: 'row' }, cell) : el('td', { class: 'num' }, cell))))));
    node.replaceChildren(head, body);
  }

  function renderFallbacks(report) {
    const days = report.trends.days;
    table(ui.tableQuestions, ['Day', 'Questions', 'Answered', 'Declined'], days.map((d) => [d.day, formatCount(d.questions), formatCount(d.answered), formatCount(d.declined)]));
    table(ui.tableFeedback, ['Day', 'Helpful', 'Not helpful', 'Helpful share'], days.map((d) => [d.day, formatCount(d.helpful), formatCount(d.notHelpful), percent(d.helpfulRatio)]));
    table(ui.tableReasons, ['Reason', 'Times given'], report.trends.reasons.map((r) => [r.label, formatCount(r.count)]));
  }

  function renderGaps(gaps) {
    if (gaps.clusters.length === 0) {
      ui.gapsBody.replaceChildren(el('tr', null, el('td', { colspan: 4, class: 'muted loading-cell' }, 'No unanswered questions in this period.')));
      return;
    }
    ui.gapsBody.replaceChildren(...gaps.clusters.map((cluster) => el('tr', { class: 'cluster' },
      el('td', { class: 'col-question' },
        el('span', { class: 'cluster-label' }, cluster.label),
        el('p', { class: 'cluster-representative' }, `“${cluster.representative}”`)),
      el('td', { class: 'num' }, formatCount(cluster.count)),
      el('td', { class: 'col-time' }, el('time', { datetime: text(cluster.latest) }, new Date(cluster.latest).toLocaleString())),
      el('td', { class: 'col-answer' }, el('ul', { class: 'cluster-examples' }, ...cluster.examples.map((example) => el('li', null,
        example.question,
        el('span', { class: 'gap-meta' },
          `${new Date(example.at).toLocaleString()} · ${surfaceName(example.surface)}${example.channel ? ` · ${example.channel}` : ''}`))))))));
  }

  function sla(figures) {
    return figures.due > 0 ? `${percent(figures.rate)} (${figures.met}/${figures.due})` : '—';
  }

  function renderEscalations(escalations) {
    if (escalations.byTeam.length === 0) {
      ui.escalationsBody.replaceChildren(el('tr', null, el('td', { colspan: 11, class: 'muted loading-cell' }, 'No escalations opened in this period.')));
      return;
    }
    ui.escalationsBody.replaceChildren(...escalations.byTeam.map((t) => el('tr', null,
      el('th', { scope: 'row' }, t.team),
      el('td', { class: 'num' }, formatCount(t.opened)),
      el('td', { class: 'num' }, formatCount(t.acknowledged)),
      el('td', { class: 'num' }, formatCount(t.resolved)),
      el('td', { class: 'num' }, formatCount(t.reassigned)),
      el('td', { class: 'num' }, formatCount(t.pending)),
      el('td', { class: 'num' }, `${duration(t.timeToAcknowledge.medianMinutes)} · ${duration(t.timeToAcknowledge.p90Minutes)}`),
      el('td', { class: 'num' }, `${duration(t.timeToResolve.medianMinutes)} · ${duration(t.timeToResolve.p90Minutes)}`),
      el('td', { class: 'num' }, sla(t.acknowledgeSla)),
      el('td', { class: 'num' }, sla(t.resolveSla)),
      el('td', { class: 'num' }, t.ratings && t.ratings.count ? `${Number(t.ratings.average).toFixed(1)} (${formatCount(t.ratings.count)})` : '—'))));
  }

  function renderKpis(report) {
    const totals = report.trends.totals;
    ui.kpiQuestions.textContent = formatCount(totals.questions);
    ui.kpiQuestionsSub.textContent = `${percent(totals.answeredRatio)} answered · ${formatCount(totals.declined)} declined`;
    ui.kpiHelpful.textContent = percent(totals.helpfulRatio);
    ui.kpiHelpfulSub.textContent = `${formatCount(totals.helpful)} helpful · ${formatCount(totals.notHelpful)} not helpful`;
    ui.kpiGaps.textContent = formatCount(report.gaps.clusterCount);
    ui.kpiGapsSub.textContent = `groups of ${formatCount(report.gaps.questions)} unanswered questions`;
    ui.kpiEscalations.textContent = formatCount(report.escalations.count);
    ui.kpiEscalationsSub.textContent = report.escalations.truncated ? 'the newest only: narrow the period' : `${formatCount(report.escalations.byTeam.length)} teams`;
    ui.periodText.textContent = `${report.from} to ${report.to} (UTC days)${report.channel ? ` · channel ${report.channel}` : ''}${report.team ? ` · team ${report.team}` : ''}`;
  }

  function render(report, selected) {
    fillSelect(ui.channel, report.trends.channels.map((c) => ({ value: c, label: c })), selected?.channel, 'All channels');
    fillSelect(ui.team, report.teams.map((t) => ({ value: t.team, label: t.name })), selected?.team, 'All teams');
    renderKpis(report);
    renderFallbacks(report);
    renderGaps(report.gaps);
    renderEscalations(report.escalations);
    drawCharts(report);
  }

  /* ---------- Loading ---------- */

  async function load(selected) {
    const params = query();
    updateCsvLinks(params);
    document.body.dataset.state = 'loading';
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), TIMEOUT_MS);
    try {
      const response = await fetch(`${ENDPOINT}?${params}`, { headers: { Accept: 'application/json' }, credentials: 'same-origin', signal: controller.signal });
      if (response.status === 401) {
        window.location.reload();
        return;
      }
      const body = await response.json().catch(() => null);
      if (!response.ok) throw new Error(body?.error || `The analytics could not be loaded (${response.status}).`);
      ui.error.hidden = true;
      render(body, selected);
      history.replaceState(null, '', `?${params}`);
      document.body.dataset.state = 'ready';
    } catch (error) {
      ui.error.textContent = error.name === 'AbortError' ? 'The analytics took too long to load; try a shorter period.' : error.message;
      ui.error.hidden = false;
      document.body.dataset.state = 'error';
    } finally {
      clearTimeout(timer);
    }
  }

  function init() {
    for (const [key, id] of Object.entries({
      period: 'period', from: 'from', to: 'to', channel: 'channel', team: 'team', form: 'filters', error: 'error-banner', periodText: 'period-text',
      kpiQuestions: 'kpi-questions', kpiQuestionsSub: 'kpi-questions-sub', kpiHelpful: 'kpi-helpful', kpiHelpfulSub: 'kpi-helpful-sub',
      kpiGaps: 'kpi-gaps', kpiGapsSub: 'kpi-gaps-sub', kpiEscalations: 'kpi-escalations', kpiEscalationsSub: 'kpi-escalations-sub',
      tableQuestions: 'table-questions', tableFeedback: 'table-feedback', tableReasons: 'table-reasons',
      gapsBody: 'gaps-body', escalationsBody: 'escalations-body',
    })) {
      ui[key] = document.getElementById(id);
    }

    if (!window.Chart) {
      ui.error.textContent = 'The charting library did not load.';
      ui.error.hidden = false;
      return;
    }

    const selected = readLocation();
    fillSelect(ui.channel, [], selected.channel, 'All channels');
    fillSelect(ui.team, [], selected.team, 'All teams');
    ui.period.addEventListener('change', () => { applyPreset(); load(); });
    ui.from.addEventListener('change', () => { ui.period.value = 'custom'; });
    ui.to.addEventListener('change', () => { ui.period.value = 'custom'; });
    ui.channel.addEventListener('change', () => load());
    ui.team.addEventListener('change', () => load());
    ui.form.addEventListener('submit', (event) => { event.preventDefault(); load(); });
    load(selected);
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init);
  else init();
})();
