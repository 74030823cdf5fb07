/* SupportBot draft articles: edit, approve, download, delete. Server data goes in with DOM APIs, never innerHTML. */
(() => {
  'use strict';

  const ui = {};

  const { el, api } = window.SupportBot;

  function showStatus(message, isError) {
    ui.status.textContent = message;
    ui.status.classList.toggle('is-error', !!isError);
    ui.status.hidden = !message;
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
    save.addEventListener('click', () => act(() => api('PUT', `/api/articles/${id}`, { title: title.value, product: product.value, body: body.value }), 'Saved.'));
    approve.addEventListener('click', () => act(async () => {
      await api('PUT', `/api/articles/${id}`, { title: title.value, product: product.value, body: body.value });
      return api('POST', `/api/articles/${id}/approve`);
    }, 'Approved: download the Markdown file into the knowledge base.'));
    remove.addEventListener('click', () => act(() => api('DELETE', `/api/articles/${id}`), 'Deleted.'));
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
      const data = await api('GET', '/api/articles');
      const drafts = Array.isArray(data && data.drafts) ? data.drafts : [];
      ui.drafts.replaceChildren(...drafts.map(renderDraft));
      ui.empty.hidden = drafts.length > 0;
    } catch (error) {
      showStatus(`Could not load the drafts: ${error.message}`, true);
    }
  }

  async function init() {
    Object.assign(ui, { status: document.getElementById('status'), drafts: document.getElementById('drafts'), empty: document.getElementById('empty') });
    load();
  }

  document.addEventListener('DOMContentLoaded', init);
})();
