/* SupportBot operations dashboard. Server data is inserted with DOM APIs / textContent, never innerHTML. */
(() => {
  'use strict';

  const ENDPOINT = '/api/dashboard';
  const REFRESH_MS = 5000;
  const TIMEOUT_MS = 8000;
  const PREVIEW_CHARS = 90;
  const SURFACES = new Map([['web', 'Web'], ['slack', 'Slack'], ['teams', 'Teams'], ['cli', 'CLI']]);

  const ui = {};
  const state = {
    timer: null,
    loading: false,
    lastUpdated: null,
    recentKey: null,    // JSON of the last rendered rows: unchanged data is not re-rendered
    gapsKey: null,
    readinessKey: null, // only touch the live readiness region when it actually changes
  };

  /* ---------- Helpers ---------- */

  const { el } = window.SupportBot;

  function count(value) {
    const n = Number(value);
    return Number.isFinite(n) && n > 0 ? Math.round(n) : 0;
  }

  const formatCount = (n) => n.toLocaleString();
  const percent = (part, whole) => (whole > 0 ? Math.round((part / whole) * 100) : null);
  const plural = (n, one, many) => `${n} ${n === 1 ? one : many}`;
  const text = (value) => (value === null || value === undefined ? '' : String(value));

  function setText(node, value) {
    if (node.textContent !== value) node.textContent = value;
  }

  /** "just now", "3 min ago", "2 hours ago", "yesterday", "4 days ago", then a local date. */
  function relativeTime(iso, now = Date.now()) {
    const then = Date.parse(iso);
    if (!Number.isFinite(then)) return '—';
    const seconds = Math.round((now - then) / 1000);
    if (seconds < 45) return 'just now';
    const minutes = Math.round(seconds / 60);
    if (minutes < 60) return `${minutes} min ago`;
    const hours = Math.floor(minutes / 60);
    if (hours < 24) return `${plural(hours, 'hour', 'hours')} ago`;
    const days = Math.floor(hours / 24);
    if (days === 1) return 'yesterday';
    if (days < 7) return `${days} days ago`;
    return new Date(then).toLocaleDateString();
  }

  function relativeTimeElement(iso) {
    return el('time', { class: 'rel-time', datetime: text(iso), title: text(iso) }, relativeTime(iso));
  }

  function refreshRelativeTimes() {
    document.querySelectorAll('time.rel-time').forEach((node) => setText(node, relativeTime(node.getAttribute('datetime'))));
  }

  function truncate(value, max) {
    const flat = value.replace(/\s+/g, ' ').trim();
    return flat.length <= max ? flat : `${flat.slice(0, max - 1).trimEnd()}…`;
  }

  function surfaceBadge(surface) {
    const key = text(surface).toLowerCase();
    const known = SURFACES.has(key);
    return el('span', { class: `badge surface surface-${known ? key : 'other'}` },
      known ? SURFACES.get(key) : (text(surface) || 'Unknown'));
  }

  /* ---------- KPIs ---------- */

  function renderTotals(totals) {
    const questions = count(totals.questions);
    const answered = count(totals.answered);
    const unanswered = count(totals.unanswered);
    const helpful = count(totals.helpful);
    const notHelpful = count(totals.notHelpful);

    setText(ui.kpiQuestions, formatCount(questions));
    setText(ui.kpiQuestionsSub, questions ? 'Across web, Slack, Teams and CLI' : 'No questions yet');

    const answeredPct = percent(answered, questions);
    setText(ui.kpiAnswered, answeredPct === null ? '—' : `${answeredPct}%`);
    setText(ui.kpiAnsweredSub, questions ? `${formatCount(answered)} of ${formatCount(questions)} answered` : 'Nothing to answer yet');

    setText(ui.kpiUnanswered, formatCount(unanswered));
    setText(ui.kpiUnansweredSub, unanswered ? `${plural(unanswered, 'question', 'questions')} without an answer` : 'Every question was answered');
    ui.kpiGapsCard.classList.toggle('kpi-alert', unanswered > 0);

    const ratings = helpful + notHelpful;
    const helpfulPct = percent(helpful, ratings);
    setText(ui.kpiFeedback, helpfulPct === null ? '—' : `${helpfulPct}% helpful`);
    setText(ui.kpiFeedbackSub, ratings ? `${formatCount(helpful)} helpful · ${formatCount(notHelpful)} not helpful` : 'No feedback yet');
    ui.meterHelpful.style.width = `${helpfulPct === null ? 0 : helpfulPct}%`;
    ui.meterNotHelpful.style.width = `${helpfulPct === null ? 0 : 100 - helpfulPct}%`;
  }

  /* ---------- Readiness ---------- */

  function renderReadiness(ready) {
    const status = ready && typeof ready.status === 'string' ? ready.status.trim().toLowerCase() : '';
    const reasons = ready && Array.isArray(ready.reasons) ? ready.reasons.map(text).filter(Boolean) : [];
    let label = 'Readiness unknown';
    let tone = 'unknown';
    if (status === 'ready') {
      label = 'Ready';
      tone = 'ok';
    } else if (status) {
      label = reasons.length ? `Not ready: ${reasons.join('; ')}` : 'Not ready';
      tone = 'bad';
    }
    const key = `${tone}|${label}`;
    if (key === state.readinessKey) return;
    state.readinessKey = key;
    ui.readiness.className = `readiness readiness-${tone}`;
    ui.readinessText.textContent = label;
  }

  /* ---------- Recent questions ---------- */

  function confidenceBadge(item) {
    if (!text(item.answer).trim()) return el('span', { class: 'badge badge-bad' }, 'Unanswered');
    return item.confident === false
      ? el('span', { class: 'badge badge-warn' }, 'Not confident')
      : el('span', { class: 'badge badge-ok' }, 'Confident');
  }

  function answerCell(answer) {
    const full = text(answer);
    if (!full.trim()) return el('td', { class: 'col-answer' }, el('span', { class: 'muted' }, 'No answer'));
    return el('td', { class: 'col-answer' },
      el('details', { class: 'answer-details' },
        el('summary', null,
          el('span', { class: 'answer-preview' }, truncate(full, PREVIEW_CHARS)),
          el('span', { class: 'answer-hide' }, 'Hide full answer')),
        el('p', { class: 'answer-full' }, full)));
  }

  const rowKey = (item) => `${text(item.at)}|${text(item.user)}|${text(item.question)}`;

  function recentRow(item, index) {
    const citations = count(item.citations);
    return el('tr', { 'data-key': rowKey(item) },
      el('td', { class: 'col-time' }, relativeTimeElement(item.at)),
      el('td', null, surfaceBadge(item.surface)),
      el('td', { class: 'col-user' }, text(item.user) || '—'),
      el('td', { class: 'col-question' }, text(item.question)),
      answerCell(item.answer),
      el('td', null, confidenceBadge(item)),
      el('td', { class: 'num', title: plural(citations, 'citation', 'citations') }, String(citations)));
  }

  function renderRecent(items) {
    const key = JSON.stringify(items);
    if (key === state.recentKey) return;
    state.recentKey = key;

    // Keep expanded answers open across refreshes.
    const open = new Set();
    ui.recentBody.querySelectorAll('tr').forEach((row) => {
      const details = row.querySelector('details');
      if (details && details.open) open.add(row.dataset.key);
    });

    const rows = items.map((item, index) => {
      const row = recentRow(item, index);
      const details = row.querySelector('details');
      if (details && open.has(row.dataset.key)) details.open = true;
      return row;
    });
    ui.recentBody.replaceChildren(...rows);
    ui.recentWrap.hidden = items.length === 0;
    ui.recentEmpty.hidden = items.length > 0;
    setText(ui.recentCount, items.length ? plural(items.length, 'question', 'questions') : '');
  }

  /* ---------- Knowledge gaps ---------- */

  function renderGaps(gaps) {
    const key = JSON.stringify(gaps);
    if (key === state.gapsKey) return;
    state.gapsKey = key;
    ui.gapsList.replaceChildren(...gaps.map((gap) => el('li', null,
      el('p', { class: 'gap-question' }, text(gap.question) || '(empty question)'),
      el('p', { class: 'gap-meta' }, relativeTimeElement(gap.at), surfaceBadge(gap.surface)))));
    ui.gapsList.hidden = gaps.length === 0;
    ui.gapsEmpty.hidden = gaps.length > 0;
    setText(ui.gapsCount, gaps.length ? plural(gaps.length, 'open gap', 'open gaps') : '');
  }

  /* ---------- Feedback ---------- */

  const REASONS = new Map([['wrong', 'Wrong'], ['outdated', 'Outdated'], ['incomplete', 'Incomplete'], ['not_answered', 'Did not answer']]);

  function renderFeedback(items, totals) {
    const reasons = totals && typeof totals.reasons === 'object' && totals.reasons ? totals.reasons : {};
    const key = JSON.stringify([items, reasons]);
    if (key === state.feedbackKey) return;
    state.feedbackKey = key;
    const counted = [...REASONS].map(([name, label]) => [label, count(reasons[name])]).filter(([, n]) => n > 0);
    setText(ui.feedbackReasons, counted.length ? `Not helpful because: ${counted.map(([label, n]) => `${label} ${formatCount(n)}`).join(' · ')}` : '');
    ui.feedbackList.replaceChildren(...items.map((item) => {
      const verdict = item.helpful ? 'Helpful' : `Not helpful${item.reason ? ` · ${REASONS.get(item.reason) || text(item.reason)}` : ''}`;
      const li = el('li', { class: item.helpful ? 'feedback-good' : 'feedback-bad' },
        el('p', { class: 'gap-question' }, `${verdict} — ${text(item.question) || '(answer no longer kept)'}`));
      if (item.comment) li.append(el('p', { class: 'gap-meta' }, `“${text(item.comment)}”`));
      const sources = Array.isArray(item.sources) ? item.sources.map(text).filter(Boolean) : [];
      if (sources.length) li.append(el('p', { class: 'gap-meta' }, `Sources: ${sources.join('; ')}`));
      li.append(el('p', { class: 'gap-meta' }, relativeTimeElement(item.at), surfaceBadge(item.surface), ` ${text(item.channel)}`));
      return li;
    }));
    ui.feedbackList.hidden = items.length === 0;
    ui.feedbackEmpty.hidden = items.length > 0;
    setText(ui.feedbackCount, items.length ? plural(items.length, 'vote', 'votes') : '');
  }

  function renderAudit(entries) {
    const key = JSON.stringify(entries);
    if (key === state.auditKey) return;
    state.auditKey = key;
    ui.auditList.replaceChildren(...entries.map((entry) => el('li', null,
      el('p', { class: 'gap-question' }, `${text(entry.userName) || text(entry.userId)} · ${text(entry.action)} ${text(entry.subject)} · ${text(entry.outcome)}`),
      el('p', { class: 'gap-meta' }, relativeTimeElement(entry.at), surfaceBadge(entry.surface), ` ${text(entry.where)}`))));
    ui.auditList.hidden = entries.length === 0;
    ui.auditEmpty.hidden = entries.length > 0;
    setText(ui.auditCount, entries.length ? plural(entries.length, 'entry', 'entries') : '');
  }

  async function refreshAudit() {
    try {
      const res = await fetch('/api/audit?count=50', { headers: { Accept: 'application/json' }, cache: 'no-store' });
      if (!res.ok) return;
      const data = (await res.json()) || {};
      renderAudit(Array.isArray(data.entries) ? data.entries.filter((e) => e && typeof e === 'object') : []);
    } catch (_) { /* the main refresh shows connection problems */ }
  }

  /* ---------- Articles (curation) ---------- */

  const STATE_LABELS = new Map([['hidden', 'Hidden'], ['boosted', 'Boosted'], ['normal', 'Normal']]);

  function curationButton(article, target, label) {
    const button = el('button', { type: 'button', class: 'btn btn-secondary btn-small' }, label);
    button.disabled = article.state === target;
    button.addEventListener('click', () => setCuration(article, target, button));
    return button;
  }

  function renderArticles(data) {
    const articles = Array.isArray(data.articles) ? data.articles.filter((a) => a && typeof a === 'object') : [];
    const rows = articles.map((article) => {
      const stateCell = el('td', null, el('span', { class: `badge ${article.state === 'hidden' ? 'badge-bad' : article.state === 'boosted' ? 'badge-ok' : ''}` }, STATE_LABELS.get(article.state) || text(article.state)));
      if (article.by) stateCell.append(' ', el('span', { class: 'muted small' }, `by ${text(article.by)}`));
      const updated = el('td', null, text(article.updated) || '—');
      if (article.stale) updated.append(' ', el('span', { class: 'badge badge-warn', title: 'Not updated for longer than the configured age' }, 'stale'));
      return el('tr', null,
        el('td', null, text(article.title), el('br'), el('span', { class: 'muted small' }, text(article.id))),
        el('td', null, text(article.source)),
        updated,
        stateCell,
        el('td', null, curationButton(article, 'hidden', 'Hide'), ' ', curationButton(article, 'boosted', 'Boost'), ' ', curationButton(article, 'normal', 'Reset')));
    });
    ui.articlesBody.replaceChildren(...(rows.length ? rows : [el('tr', null, el('td', { colspan: 5, class: 'muted' }, 'No article matches.'))]));
    const matching = count(data.matching);
    setText(ui.articlesCount, `${plural(matching, 'article', 'articles')} of ${formatCount(count(data.total))}${matching > articles.length ? ` (first ${articles.length} shown)` : ''}`);
  }

  async function refreshArticles() {
    const query = new URLSearchParams();
    if (ui.articlesText.value.trim()) query.set('filter', ui.articlesText.value.trim());
    if (ui.articlesState.value) query.set('state', ui.articlesState.value);
    try {
      const res = await fetch(`/api/dashboard/articles?${query}`, { headers: { Accept: 'application/json' }, cache: 'no-store' });
      if (!res.ok) throw Object.assign(new Error(`HTTP ${res.status}`), { status: res.status });
      renderArticles((await res.json()) || {});
    } catch (error) {
      setText(ui.articlesStatus, `Couldn’t load the articles: ${describeError(error)}.`);
    }
  }

  async function setCuration(article, target, button) {
    button.disabled = true;
    const headers = { 'Content-Type': 'application/json', Accept: 'application/json' };
    if (state.antiforgery) headers['X-XSRF-TOKEN'] = state.antiforgery;
    try {
      const res = await fetch('/api/dashboard/articles/curation', {
        method: 'POST', headers, body: JSON.stringify({ articleId: article.id, state: target }),
      });
      if (!res.ok) throw Object.assign(new Error(`HTTP ${res.status}`), { status: res.status });
      setText(ui.articlesStatus, `${text(article.title)}: ${STATE_LABELS.get(target) || target}.`);
      await refreshArticles();
      refreshAudit();
    } catch (error) {
      setText(ui.articlesStatus, `Couldn’t change ${text(article.title)}: ${describeError(error)}.`);
      button.disabled = false;
    }
  }

  async function showSignedIn() {
    try {
      const res = await fetch('/api/session', { headers: { Accept: 'application/json' }, cache: 'no-store' });
      const data = res.ok ? await res.json() : null;
      if (data && data.antiforgery) state.antiforgery = data.antiforgery;
      if (data && data.signedIn) {
        ui.signedIn.textContent = `Signed in as ${text(data.name)}`;
        ui.signedIn.hidden = false;
      }
    } catch (_) { /* open local default */ }
  }

  /* ---------- Status line & errors ---------- */

  function renderLastUpdated() {
    const node = ui.lastUpdated;
    node.replaceChildren();
    if (!state.lastUpdated) {
      node.textContent = state.loading ? 'Loading…' : 'Not loaded yet';
      return;
    }
    const iso = state.lastUpdated.toISOString();
    node.append('Last updated ',
      el('time', { datetime: iso, title: iso }, state.lastUpdated.toLocaleTimeString()),
      document.hidden ? ' · auto-refresh paused' : ` · refreshes every ${REFRESH_MS / 1000} s`);
  }

  function describeError(error) {
    if (error && error.name === 'AbortError') return 'the server took too long to answer';
    if (error && error.status) return `the server answered HTTP ${error.status}`;
    if (error instanceof SyntaxError) return 'the server sent an unexpected response';
    return 'the server could not be reached';
  }

  function showError(error) {
    const since = state.lastUpdated
      ? `Showing data from ${state.lastUpdated.toLocaleTimeString()}.`
      : 'No data loaded yet.';
    setText(ui.banner, `Couldn’t refresh the dashboard: ${describeError(error)}. ${since} Retrying automatically.`);
    ui.banner.hidden = false;
  }

  function hideError() {
    ui.banner.hidden = true;
    ui.banner.textContent = '';
  }

  /* ---------- Loading & scheduling ---------- */

  function setLoading(loading) {
    state.loading = loading;
    ui.refresh.setAttribute('aria-busy', String(loading));
  }

  async function refresh() {
    if (state.loading) return;
    clearTimeout(state.timer);
    state.timer = null;
    setLoading(true);
    const controller = new AbortController();
    const timeout = setTimeout(() => controller.abort(), TIMEOUT_MS);
    try {
      const res = await fetch(ENDPOINT, {
        headers: { Accept: 'application/json' }, cache: 'no-store', signal: controller.signal,
      });
      if (!res.ok) throw Object.assign(new Error(`HTTP ${res.status}`), { status: res.status });
      const data = (await res.json()) || {};
      renderTotals(data.totals && typeof data.totals === 'object' ? data.totals : {});
      renderReadiness(data.ready);
      renderRecent(Array.isArray(data.recent) ? data.recent.filter((r) => r && typeof r === 'object') : []);
      renderGaps(Array.isArray(data.gaps) ? data.gaps.filter((g) => g && typeof g === 'object') : []);
      renderFeedback(Array.isArray(data.feedback) ? data.feedback.filter((f) => f && typeof f === 'object') : [], data.totals);
      refreshAudit();
      state.lastUpdated = new Date();
      hideError();
    } catch (error) {
      showError(error);
    } finally {
      clearTimeout(timeout);
      setLoading(false);
      refreshRelativeTimes();
      renderLastUpdated();
      scheduleRefresh();
    }
  }

  function scheduleRefresh() {
    clearTimeout(state.timer);
    state.timer = document.hidden ? null : setTimeout(refresh, REFRESH_MS);
  }

  function onVisibilityChange() {
    if (document.hidden) {
      clearTimeout(state.timer);
      state.timer = null;
      renderLastUpdated();
    } else {
      refresh();
    }
  }

  function init() {
    const byId = (id) => document.getElementById(id);
    Object.assign(ui, {
      lastUpdated: byId('last-updated'),
      readiness: byId('readiness'),
      readinessText: byId('readiness-text'),
      refresh: byId('refresh'),
      banner: byId('error-banner'),
      kpiQuestions: byId('kpi-questions'),
      kpiQuestionsSub: byId('kpi-questions-sub'),
      kpiAnswered: byId('kpi-answered'),
      kpiAnsweredSub: byId('kpi-answered-sub'),
      kpiUnanswered: byId('kpi-unanswered'),
      kpiUnansweredSub: byId('kpi-unanswered-sub'),
      kpiGapsCard: byId('kpi-gaps-card'),
      kpiFeedback: byId('kpi-feedback'),
      kpiFeedbackSub: byId('kpi-feedback-sub'),
      meterHelpful: byId('meter-helpful'),
      meterNotHelpful: byId('meter-not-helpful'),
      recentBody: byId('recent-body'),
      recentWrap: byId('recent-wrap'),
      recentEmpty: byId('recent-empty'),
      recentCount: byId('recent-count'),
      gapsList: byId('gaps-list'),
      gapsEmpty: byId('gaps-empty'),
      gapsCount: byId('gaps-count'),
      feedbackList: byId('feedback-list'),
      feedbackEmpty: byId('feedback-empty'),
      feedbackCount: byId('feedback-count'),
      feedbackReasons: byId('feedback-reasons'),
      auditList: byId('audit-list'),
      auditEmpty: byId('audit-empty'),
      auditCount: byId('audit-count'),
      signedIn: byId('signed-in'),
      articlesBody: byId('articles-body'),
      articlesCount: byId('articles-count'),
      articlesStatus: byId('articles-status'),
      articlesText: byId('articles-text'),
      articlesState: byId('articles-state'),
    });
    showSignedIn();
    let filterTimer = null;
    byId('articles-filter').addEventListener('submit', (event) => { event.preventDefault(); refreshArticles(); });
    ui.articlesText.addEventListener('input', () => { clearTimeout(filterTimer); filterTimer = setTimeout(refreshArticles, 250); });
    ui.articlesState.addEventListener('change', () => refreshArticles());
    refreshArticles();
    ui.refresh.addEventListener('click', () => refresh());
    document.addEventListener('visibilitychange', onVisibilityChange);
    refresh();
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init);
  else init();
})();
