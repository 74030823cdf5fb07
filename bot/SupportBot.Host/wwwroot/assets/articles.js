/* SupportBot draft articles: edit, approve, download, delete. Server data goes in with DOM APIs, never innerHTML. */
(() => {
  'use strict';

  const ui = {};
  let antiforgery = null;

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (name === 'class') node.className = value;
      else node.setAttribute(name, String(value));
    }
    children.forEach((child) => { if (child !== null && child !== undefined && child !== '') node.append(child); });
    return node;
  }

  function showStatus(message, isError) {
    ui.status.textContent = message;
    ui.status.classList.toggle('is-error', !!isError);
    ui.status.hidden = !message;
  }

  async function send(method, path, body) {
    const headers = { Accept: 'application/json' };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (antiforgery) headers['X-XSRF-TOKEN'] = antiforgery;
    const res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), cache: 'no-store' });
    const data = res.status === 204 ? null : await res.json().catch(() => null);
    if (!res.ok) throw new Error((data && data.error) || `HTTP ${res.status}`);
    return data;
  }

  function renderDraft(draft) {
    const id = encodeURIComponent(draft.id);
    const title = el('input', { type: 'text', value: draft.title, maxlength: '200', 'aria-label': 'Title', class: 'code-input' });
    const product = el('input', { type: 'text', value: draft.product, maxlength: '40', 'aria-label': 'Product area', class: 'code-input' });
    const body = el('textarea', { rows: '12', 'aria-label': 'Article body (Markdown)', class: 'code-input' });
    body.value = draft.body;
    const state = draft.status === 'Approved' ? `Approved by ${draft.reviewedBy || 'someone'}` : 'Waiting for review';
    const save = el('button', { type: 'button', class: 'btn btn-secondary' }, 'Save');
    const approve = el('button', { type: 'button', class: 'btn btn-primary' }, 'Approve');
    const remove = el('button', { type: 'button', class: 'btn btn-secondary' }, 'Delete');
    const download = el('a', { href: `/api/articles/${id}/markdown`, class: 'btn btn-secondary' }, 'Download Markdown');
    save.addEventListener('click', () => act(() => send('PUT', `/api/articles/${id}`, { title: title.value, product: product.value, body: body.value }), 'Saved.'));
    approve.addEventListener('click', () => act(async () => {
      await send('PUT', `/api/articles/${id}`, { title: title.value, product: product.value, body: body.value });
      return send('POST', `/api/articles/${id}/approve`);
    }, 'Approved: download the Markdown file into the knowledge base.'));
    remove.addEventListener('click', () => act(() => send('DELETE', `/api/articles/${id}`), 'Deleted.'));
    return el('section', { class: 'panel draft', 'data-id': draft.id },
      el('div', { class: 'panel-head' }, el('h2', null, draft.title), el('span', { class: 'muted small' }, `${draft.source} · ${state}`)),
      el('label', null, 'Title', title),
      el('label', null, 'Product area', product),
      el('label', null, 'Body (Markdown)', body),
      el('div', { class: 'form-actions' }, save, approve, download, remove));
  }

  async function act(run, done) {
    try {
      await run();
      showStatus(done, false);
      await load();
    } catch (error) {
      showStatus(error.message, true);
    }
  }

  async function load() {
    try {
      const data = await send('GET', '/api/articles');
      const drafts = Array.isArray(data && data.drafts) ? data.drafts : [];
      ui.drafts.replaceChildren(...drafts.map(renderDraft));
      ui.empty.hidden = drafts.length > 0;
    } catch (error) {
      showStatus(`Could not load the drafts: ${error.message}`, true);
    }
  }

  async function init() {
    Object.assign(ui, { status: document.getElementById('status'), drafts: document.getElementById('drafts'), empty: document.getElementById('empty') });
    try {
      const res = await fetch('/api/session', { headers: { Accept: 'application/json' }, cache: 'no-store' });
      const session = res.ok ? await res.json() : null;
      antiforgery = session && session.antiforgery ? session.antiforgery : null;
    } catch (_) { /* open local default */ }
    load();
  }

  document.addEventListener('DOMContentLoaded', init);
})();
