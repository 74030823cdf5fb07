/* SupportBot web chat. Anything from the user or the server is inserted with DOM APIs / textContent, never innerHTML. */
(() => {
  'use strict';

  const API = {
    messages: '/chat/api/messages',
    actions: '/chat/api/actions',
    replies: (threadId, after) => `/chat/api/threads/${encodeURIComponent(threadId)}/replies?after=${encodeURIComponent(after)}`,
    session: '/api/session',
  };
  // With sign-in: who is signed in, and the antiforgery token every post carries.
  const session = { signedIn: false, name: null, antiforgery: null };
  const KEYS = { thread: 'supportbot.threadId', transcript: 'supportbot.transcript', user: 'supportbot.user' };
  const DEFAULT_USER = 'agent';
  const POLL_FAST_MS = 400, POLL_SLOW_MS = 2000;
  const IDLE_AFTER_MS = 5000;  // no new replies for this long: back off towards POLL_SLOW_MS
  const SLOW_REPLY_MS = 30000; // show a gentle "taking longer than usual" notice after this
  const REQUEST_TIMEOUT_MS = 15000, MAX_STORED_ENTRIES = 200;

  const ui = {};
  const slowNotices = new Map(); // messageId -> notice element
  const state = {
    threadId: null, lastSeq: 0, sending: false, expired: false,
    entries: [],   // { type: 'user', text, user, at, messageId } | { type: 'reply', reply, chosen: actionId|null }
    pending: [],   // { messageId, sentAt } — questions still waiting for their reply
    pollTimer: null, pollInFlight: false, pollDelay: POLL_FAST_MS, lastActivity: 0,
  };

  /* ---------- Helpers ---------- */

  const { el } = window.SupportBot;

  function storageGet(area, key) {
    try { return window[area].getItem(key); } catch (_) { return null; }
  }

  function storageSet(area, key, value) {
    try { value === null ? window[area].removeItem(key) : window[area].setItem(key, value); } catch (_) { /* works without */ }
  }

  function safeUrl(url) {
    if (typeof url !== 'string' || !url) return null;
    try {
      const parsed = new URL(url, window.location.href);
      return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? url : null; // keep the server's exact URL
    } catch (_) { return null; }
  }

  function timeElement(iso) {
    const date = new Date(iso);
    if (!iso || Number.isNaN(date.getTime())) return null;
    return el('time', { datetime: iso, title: date.toLocaleString() },
      date.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' }));
  }

  /** fetch + JSON with a timeout. Resolves to { ok, status, data }; rejects only on network failure/timeout. */
  async function request(url, body) {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), REQUEST_TIMEOUT_MS);
    const init = { method: 'GET', headers: { Accept: 'application/json' }, cache: 'no-store', signal: controller.signal };
    if (body !== undefined) {
      Object.assign(init, { method: 'POST', body: JSON.stringify(body) });
      init.headers['Content-Type'] = 'application/json';
      if (session.antiforgery) init.headers['X-XSRF-TOKEN'] = session.antiforgery;
    }
    try {
      const res = await fetch(url, init);
      if (res.status === 401 && session.signedIn) { window.location.reload(); }
      const data = await res.json().catch(() => null);
      return { ok: res.ok, status: res.status, data };
    } finally {
      clearTimeout(timer);
    }
  }

  function errorText(res) {
    const message = res.data && typeof res.data.error === 'string' ? res.data.error.trim() : '';
    return message || `Something went wrong (HTTP ${res.status}). Please try again.`;
  }

  const currentUser = () => (session.signedIn ? session.name : ui.userName.value.trim()) || DEFAULT_USER;

  /** Signed in: the name comes from the identity provider, not from the page. */
  async function loadSignIn() {
    try {
      const res = await fetch(API.session, { headers: { Accept: 'application/json' }, cache: 'no-store' });
      const data = res.ok ? await res.json() : null;
      if (data && data.signedIn) {
        Object.assign(session, { signedIn: true, name: String(data.name || ''), antiforgery: data.antiforgery || null });
        ui.userName.value = session.name;
        ui.userName.readOnly = true;
        ui.userName.title = 'Signed in';
      }
    } catch (_) { /* open local default: no session endpoint needed */ }
  }

  /* ---------- Session persistence (threadId + transcript survive a reload of this tab) ---------- */

  function isValidEntry(entry) {
    if (!entry || typeof entry !== 'object') return false;
    if (entry.type === 'user') return typeof entry.text === 'string';
    return entry.type === 'reply' && !!entry.reply && typeof entry.reply === 'object';
  }

  function loadSession() {
    state.threadId = storageGet('sessionStorage', KEYS.thread) || null;
    if (!state.threadId) return;
    try {
      const saved = JSON.parse(storageGet('sessionStorage', KEYS.transcript) || 'null');
      if (saved && saved.threadId === state.threadId && Array.isArray(saved.entries)) {
        state.entries = saved.entries.filter(isValidEntry);
        state.lastSeq = Number(saved.lastSeq) || 0;
        state.pending = Array.isArray(saved.pending) ? saved.pending : [];
      }
    } catch (_) { /* corrupt snapshot: keep the thread, start with an empty view */ }
  }

  function saveSession() {
    storageSet('sessionStorage', KEYS.thread, state.threadId);
    storageSet('sessionStorage', KEYS.transcript, state.threadId ? JSON.stringify({
      threadId: state.threadId,
      lastSeq: state.lastSeq,
      entries: state.entries.slice(-MAX_STORED_ENTRIES),
      pending: state.pending,
    }) : null);
  }

  /* ---------- Rendering ---------- */

  /** Answer text with newlines preserved (CSS pre-wrap); [n] markers become superscript links to citation n. */
  function renderAnswerText(text, citationsByNumber) {
    const container = el('div', { class: 'answer' });
    const marker = /\[(\d{1,3})\]/g;
    let cursor = 0;
    let match;
    while ((match = marker.exec(text)) !== null) {
      const citation = citationsByNumber.get(Number(match[1]));
      const href = citation && safeUrl(citation.url);
      if (!href) continue; // unknown marker: leave it as plain text
      const title = String(citation.title || `Source ${match[1]}`);
      container.append(text.slice(cursor, match.index), el('sup', { class: 'cite' },
        el('a', { href, target: '_blank', rel: 'noopener', title, 'aria-label': `Source ${match[1]}: ${title}` }, `[${match[1]}]`)));
      cursor = marker.lastIndex;
    }
    container.append(text.slice(cursor));
    return container;
  }

  function renderCitations(citations) {
    const list = el('ol', { class: 'citations' });
    for (const citation of citations) {
      const href = safeUrl(citation.url);
      const title = String(citation.title || citation.url || `Source ${citation.n}`);
      const item = el('li', null, href ? el('a', { href, target: '_blank', rel: 'noopener' }, title) : el('span', null, title));
      if (Number.isInteger(citation.n) && citation.n > 0) item.value = citation.n;
      if (citation.source) item.append(' ', el('span', { class: 'citation-source' }, `— ${citation.source}`));
      if (citation.staleNote) item.append(' ', el('span', { class: 'citation-stale' }, `(${citation.staleNote})`));
      list.append(item);
    }
    return el('div', { class: 'sources' }, el('p', { class: 'sources-title' }, 'Sources'), list);
  }

  function renderActions(entry) {
    const actions = (Array.isArray(entry.reply.actions) ? entry.reply.actions : [])
      .filter((a) => a && typeof a.id === 'string' && a.id);
    if (!actions.length) return null;
    const group = el('div', { class: 'actions', role: 'group', 'aria-label': 'Answer actions' });
    const feedback = actions.filter((a) => a.id.startsWith('feedback.'));
    const commands = actions.filter((a) => !a.id.startsWith('feedback.'));
    const status = el('span', { class: 'action-status', role: 'status' }, entry.chosen ? 'Thanks for the feedback' : '');
    const feedbackButtons = feedback.map((action) => {
      const button = actionButton(action);
      button.classList.toggle('chosen', entry.chosen === action.id);
      button.disabled = !!entry.chosen;
      button.addEventListener('click', () => submitAction(entry, action.id, button, feedbackButtons, status));
      return button;
    });
    const commandButtons = commands.map((action) => {
      const button = actionButton(action);
      button.disabled = (entry.requested || []).includes(action.id);
      button.addEventListener('click', () => submitCommand(entry, action.id, button, status));
      return button;
    });
    group.append(...feedbackButtons, ...commandButtons, status);
    return group;
  }

  function actionButton(action) {
    return el('button', { type: 'button', class: 'btn btn-secondary btn-small action', 'data-action': action.id },
      String(action.label || action.id));
  }

  function renderReply(entry) {
    const reply = entry.reply;
    const citations = Array.isArray(reply.citations) ? reply.citations.filter((c) => c && typeof c === 'object') : [];
    const article = el('article', { class: 'reply', 'data-kind': String(reply.kind || 'answer'), 'data-seq': reply.seq },
      el('div', { class: 'msg-meta' }, el('span', { class: 'msg-author' }, 'SupportBot'), timeElement(reply.at)));
    if (reply.confident === false) {
      article.append(el('p', { class: 'badge badge-warn not-confident' }, 'Not confident — consider escalating'));
    }
    article.append(renderAnswerText(String(reply.text ?? ''), new Map(citations.map((c) => [Number(c.n), c]))));
    if (citations.length) article.append(renderCitations(citations));
    const actions = renderActions(entry);
    if (actions) article.append(actions);
    return article;
  }

  function renderEntry(entry) {
    if (entry.type !== 'user') return renderReply(entry);
    return el('div', { class: 'message-user' },
      el('div', { class: 'msg-meta' }, el('span', { class: 'msg-author' }, entry.user || 'You'), timeElement(entry.at)),
      el('div', { class: 'bubble' }, entry.text));
  }

  /** Appends nodes, keeps the thinking indicator last, and follows the conversation if the agent was at the bottom. */
  function appendToTranscript(nodes, forceScroll) {
    const scroller = ui.scroll;
    const stick = forceScroll || scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < 120;
    ui.transcript.append(...nodes);
    updateThinking();
    ui.emptyState.hidden = ui.transcript.childElementCount > 0;
    if (stick) scroller.scrollTop = scroller.scrollHeight;
  }

  function updateThinking() {
    if (!state.pending.length || state.expired) ui.thinking.remove();
    else if (ui.transcript.lastElementChild !== ui.thinking) ui.transcript.append(ui.thinking);
  }

  /** Inline error under the question box (role=alert); pass '' to clear it. */
  function showComposerError(message) {
    ui.error.textContent = message;
    ui.error.hidden = !message;
    if (message) ui.question.setAttribute('aria-invalid', 'true'); else ui.question.removeAttribute('aria-invalid');
  }

  function setConnectionStatus(message) {
    if (ui.status.textContent !== message) ui.status.textContent = message;
  }

  function setQuestion(text) {
    ui.question.value = text;
    ui.question.style.height = 'auto';
    ui.question.style.height = `${Math.min(ui.question.scrollHeight + 2, 200)}px`;
  }

  /* ---------- Sending questions and actions ---------- */

  function setSending(sending) {
    state.sending = sending;
    ui.send.disabled = sending;
    ui.newConversation.disabled = sending;
    ui.send.textContent = sending ? 'Sending…' : 'Send';
    ui.composer.setAttribute('aria-busy', String(sending));
  }

  async function sendQuestion(rawText) {
    if (state.sending) return;
    const text = String(rawText || '').trim();
    if (!text) { showComposerError('Type a question first.'); ui.question.focus(); return; }
    showComposerError('');
    setSending(true);
    const user = currentUser();
    try {
      const res = await request(API.messages, { threadId: state.threadId, text, user });
      if (res.status === 404 && state.threadId) {
        markThreadExpired();
        showComposerError('That conversation has expired. Press Send again to start a new one.');
      } else if (!res.ok) {
        showComposerError(errorText(res));
      } else if (!res.data || !res.data.threadId || !res.data.messageId) {
        showComposerError('SupportBot sent an unexpected response. Please try again.');
      } else {
        acceptQuestion(text, user, String(res.data.threadId), String(res.data.messageId));
      }
    } catch (_) {
      showComposerError('Couldn’t reach SupportBot. Check your connection and try again.');
    } finally {
      setSending(false);
      if (document.activeElement === document.body || document.activeElement === ui.send) ui.question.focus();
    }
  }

  function acceptQuestion(text, user, threadId, messageId) {
    if (threadId !== state.threadId) state.lastSeq = 0;
    state.threadId = threadId;
    state.expired = false;
    const entry = { type: 'user', text, user, at: new Date().toISOString(), messageId };
    state.entries.push(entry);
    state.pending.push({ messageId, sentAt: Date.now() });
    if (ui.question.value.trim() === text) setQuestion('');
    appendToTranscript([renderEntry(entry)], true);
    saveSession();
    state.pollDelay = POLL_FAST_MS;
    state.lastActivity = Date.now();
    schedulePoll(POLL_FAST_MS);
  }

  /** Posts a reply action (feedback); the reply's buttons are disabled while sending and stay disabled on success. */
  async function submitAction(entry, actionId, button, buttons, status) {
    buttons.forEach((b) => { b.disabled = true; });
    status.classList.remove('is-error');
    status.textContent = 'Sending…';
    let failure = null;
    try {
      const res = await request(API.actions,
        { threadId: state.threadId, replyTo: entry.reply.seq, messageId: entry.reply.inReplyTo, action: actionId, user: currentUser() });
      if (res.status === 404) failure = 'This conversation has expired.';
      else if (!res.ok) failure = errorText(res);
    } catch (_) {
      failure = 'Couldn’t send that — please try again.';
    }
    if (failure) {
      buttons.forEach((b) => { b.disabled = false; });
      status.classList.add('is-error');
      status.textContent = failure;
      return;
    }
    entry.chosen = actionId;
    button.classList.add('chosen');
    status.textContent = 'Thanks for the feedback';
    saveSession();
    if (actionId === 'feedback.not_helpful') askWhy(entry, button.closest('.actions'), status);
  }

  const REASONS = [
    ['wrong', 'Wrong'], ['outdated', 'Outdated'], ['incomplete', 'Incomplete'], ['not_answered', 'Did not answer the question'],
  ];

  /** After "Not helpful": what was wrong (one of the reasons) and an optional comment, sent as feedback.reason. */
  function askWhy(entry, group, status) {
    if (!group || group.parentElement.querySelector('.feedback-reason')) return;
    const form = el('form', { class: 'feedback-reason', 'aria-label': 'What went wrong?' });
    const legend = el('p', { class: 'feedback-reason-title' }, 'What went wrong?');
    const choices = el('div', { class: 'feedback-reason-choices', role: 'radiogroup' });
    for (const [value, label] of REASONS) {
      const id = `reason-${entry.reply.seq}-${value}`;
      choices.append(el('label', { for: id }, el('input', { type: 'radio', name: 'reason', value, id, required: 'required' }), ' ', label));
    }
    const comment = el('textarea', { name: 'comment', maxlength: '1000', rows: '2', placeholder: 'Anything the support-ops team should know? (optional)' });
    const send = el('button', { type: 'submit', class: 'btn btn-secondary btn-small' }, 'Send');
    form.append(legend, choices, comment, send);
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      const reason = form.querySelector('input[name="reason"]:checked');
      if (!reason) return;
      send.disabled = true;
      let failure = null;
      try {
        const res = await request(API.actions, {
          threadId: state.threadId, replyTo: entry.reply.seq, messageId: entry.reply.inReplyTo,
          action: 'feedback.reason', reason: reason.value, comment: comment.value, user: currentUser(),
        });
        if (!res.ok) failure = errorText(res);
      } catch (_) {
        failure = 'Couldn’t send that — please try again.';
      }
      if (failure) {
        send.disabled = false;
        status.classList.add('is-error');
        status.textContent = failure;
        return;
      }
      form.remove();
      status.textContent = 'Thanks — the support-ops team will look at it';
    });
    group.after(form);
  }

  /** Posts a reply action that is answered with a new reply (e.g. a customer-reply draft) and waits for it. */
  async function submitCommand(entry, actionId, button, status) {
    button.disabled = true;
    status.classList.remove('is-error');
    status.textContent = 'Working on it…';
    try {
      const res = await request(API.actions,
        { threadId: state.threadId, replyTo: entry.reply.seq, messageId: entry.reply.inReplyTo, action: actionId, user: currentUser() });
      if (!res.ok) throw new Error(res.status === 404 ? 'This conversation has expired.' : errorText(res));
      const body = res.data && typeof res.data === 'object' ? res.data : {};
      entry.requested = [...(entry.requested || []), actionId];
      status.textContent = '';
      if (typeof body.messageId === 'string') {
        state.pending.push({ messageId: body.messageId, sentAt: Date.now() });
        updateThinking();
        state.pollDelay = POLL_FAST_MS;
        state.lastActivity = Date.now();
        schedulePoll(POLL_FAST_MS);
      }
      saveSession();
    } catch (error) {
      button.disabled = false;
      status.classList.add('is-error');
      status.textContent = error instanceof Error && error.message ? error.message : 'Couldn’t send that — please try again.';
    }
  }

  /* ---------- Polling for replies ---------- */

  function schedulePoll(delay) {
    clearTimeout(state.pollTimer);
    state.pollTimer = null;
    if (!state.threadId || !state.pending.length || state.expired || document.hidden) return;
    state.pollTimer = setTimeout(pollReplies, delay);
  }

  function nextPollDelay() {
    const idle = Date.now() - state.lastActivity >= IDLE_AFTER_MS;
    state.pollDelay = idle ? Math.min(POLL_SLOW_MS, Math.round(state.pollDelay * 1.5)) : POLL_FAST_MS;
    return state.pollDelay;
  }

  async function pollReplies() {
    state.pollTimer = null;
    if (state.pollInFlight || !state.threadId || !state.pending.length) return; // an in-flight poll reschedules itself
    state.pollInFlight = true;
    const threadId = state.threadId;
    let delay = POLL_SLOW_MS;
    try {
      const res = await request(API.replies(threadId, state.lastSeq));
      if (threadId !== state.threadId) delay = POLL_FAST_MS; // conversation changed meanwhile
      else if (res.status === 404) markThreadExpired();
      else if (!res.ok) setConnectionStatus(`SupportBot is having trouble (HTTP ${res.status}) — retrying…`);
      else {
        setConnectionStatus('');
        if (applyReplies(res.data && res.data.replies)) state.lastActivity = Date.now();
        delay = nextPollDelay();
      }
    } catch (_) {
      setConnectionStatus('Connection problem — retrying…');
    }
    state.pollInFlight = false;
    showSlowReplyNotices();
    schedulePoll(delay);
  }

  function applyReplies(replies) {
    if (!Array.isArray(replies)) return false;
    const fresh = replies
      .filter((r) => r && typeof r === 'object' && Number(r.seq) > state.lastSeq)
      .sort((a, b) => Number(a.seq) - Number(b.seq));
    if (!fresh.length) return false;
    const nodes = fresh.map((reply) => {
      state.lastSeq = Math.max(state.lastSeq, Number(reply.seq));
      const entry = { type: 'reply', reply, chosen: null };
      state.entries.push(entry);
      resolvePending(reply.inReplyTo);
      return renderEntry(entry);
    });
    appendToTranscript(nodes, false);
    saveSession();
    return true;
  }

  function resolvePending(messageId) {
    state.pending = state.pending.filter((p) => p.messageId !== messageId);
    const notice = slowNotices.get(messageId);
    if (notice) { notice.remove(); slowNotices.delete(messageId); }
  }

  function showSlowReplyNotices() {
    if (state.expired) return;
    const overdue = state.pending.filter((p) => !slowNotices.has(p.messageId) && Date.now() - p.sentAt >= SLOW_REPLY_MS);
    const notes = overdue.map((pending) => {
      const note = el('div', { class: 'system-note' },
        el('p', null, 'This is taking longer than usual. SupportBot is still working on it — the answer will appear here.'),
        el('p', { class: 'muted' }, 'You can keep waiting, or try rephrasing the question.'));
      slowNotices.set(pending.messageId, note);
      return note;
    });
    if (notes.length) appendToTranscript(notes, false);
  }

  function markThreadExpired() {
    clearTimeout(state.pollTimer);
    Object.assign(state, { pollTimer: null, pending: [], expired: true, threadId: null, lastSeq: 0 });
    slowNotices.forEach((note) => note.remove());
    slowNotices.clear();
    setConnectionStatus('');
    saveSession();
    const restart = el('button', { type: 'button', class: 'btn btn-primary btn-small' }, 'Start a new conversation');
    restart.addEventListener('click', resetConversation);
    appendToTranscript([el('div', { class: 'system-note system-note-warn' },
      el('p', null, 'This conversation has expired, so earlier turns can no longer be used as context.'),
      el('p', null, 'Your next question will start a new conversation.'),
      restart)], true);
  }

  function resetConversation() {
    clearTimeout(state.pollTimer);
    Object.assign(state, {
      threadId: null, lastSeq: 0, entries: [], pending: [], expired: false,
      pollTimer: null, pollDelay: POLL_FAST_MS,
    });
    slowNotices.clear();
    ui.transcript.replaceChildren();
    ui.emptyState.hidden = false;
    saveSession();
    setConnectionStatus('');
    showComposerError('');
    ui.question.focus();
  }

  /* ---------- Wiring ---------- */

  function bindEvents() {
    ui.composer.addEventListener('submit', (event) => {
      event.preventDefault();
      sendQuestion(ui.question.value);
    });
    ui.question.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' && !event.shiftKey && !event.isComposing && event.keyCode !== 229) {
        event.preventDefault();
        sendQuestion(ui.question.value);
      } else if (event.key === 'Escape') {
        event.preventDefault();
        setQuestion('');
        showComposerError('');
      }
    });
    ui.question.addEventListener('input', () => {
      setQuestion(ui.question.value); // re-measure height
      if (!ui.error.hidden) showComposerError('');
    });
    document.addEventListener('keydown', (event) => {
      const target = event.target;
      const typing = target instanceof Element && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
      if (event.key !== '/' || typing || event.ctrlKey || event.metaKey || event.altKey || event.defaultPrevented) return;
      event.preventDefault();
      ui.question.focus();
      ui.question.setSelectionRange(ui.question.value.length, ui.question.value.length);
    });
    document.querySelectorAll('.example').forEach((button) => {
      button.addEventListener('click', () => {
        setQuestion(button.textContent.trim());
        sendQuestion(ui.question.value);
      });
    });
    ui.newConversation.addEventListener('click', resetConversation);

    ui.userName.value = storageGet('localStorage', KEYS.user) || DEFAULT_USER;
    ui.userName.addEventListener('input', () => storageSet('localStorage', KEYS.user, ui.userName.value.trim() || null));
    ui.userName.addEventListener('blur', () => { if (!ui.userName.value.trim()) ui.userName.value = DEFAULT_USER; });

    document.addEventListener('visibilitychange', () => {
      if (document.hidden) {
        clearTimeout(state.pollTimer);
        state.pollTimer = null;
      } else if (state.pending.length) {
        state.pollDelay = POLL_FAST_MS;
        state.lastActivity = Date.now();
        showSlowReplyNotices();
        schedulePoll(0);
      }
    });
  }

  function init() {
    const byId = (id) => document.getElementById(id);
    Object.assign(ui, {
      transcript: byId('transcript'), scroll: byId('chat-scroll'), emptyState: byId('empty-state'),
      composer: byId('composer'), question: byId('question'), send: byId('send'),
      error: byId('composer-error'), status: byId('connection-status'),
      userName: byId('user-name'), newConversation: byId('new-conversation'),
      thinking: el('div', { class: 'thinking' },
        el('span', { class: 'thinking-dots', 'aria-hidden': 'true' }, el('span'), el('span'), el('span')),
        'SupportBot is thinking…'),
    });
    bindEvents();
    loadSignIn().catch(() => {});
    loadSession();
    appendToTranscript(state.entries.map(renderEntry), true);
    showSlowReplyNotices();
    schedulePoll(0);
    ui.question.focus();
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init);
  else init();
})();
