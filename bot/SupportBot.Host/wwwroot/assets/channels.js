/* SupportBot channel settings: read the settings in force, save a new version, revert to the file. */
(() => {
  'use strict';

  const ENDPOINT = '/api/channels';
  const ui = {};

  const { el, api } = window.SupportBot;

  const list = (values) => (Array.isArray(values) && values.length ? values.join(', ') : '—');

  function showStatus(message, isError) {
    ui.status.textContent = message;
    ui.status.classList.toggle('is-error', !!isError);
    ui.status.hidden = !message;
  }

  function render(data) {
    const sources = { saved: `Saved from this page by ${data.savedBy || 'someone'}`, file: 'From Channels:File', none: 'No settings: every channel answers when mentioned' };
    ui.source.textContent = sources[data.source] || '';
    ui.revert.disabled = data.source !== 'saved';
    ui.settings.value = data.text || '';
    const rows = [{ ...data.defaults, id: '(defaults)' }, ...(Array.isArray(data.channels) ? data.channels : [])];
    ui.body.replaceChildren(...rows.map((c) => el('tr', null,
      el('th', { scope: 'row' }, c.name ? `${c.id} (${c.name})` : c.id),
      el('td', null, String(c.mode || '')),
      el('td', null, list(c.areas)),
      el('td', null, list(c.sources)),
      el('td', null, c.private ? 'yes' : 'no'),
      el('td', null, list(c.allowedGroups)),
      el('td', null, c.unansweredTag || '—'),
      el('td', null, c.dailyCap ? String(c.dailyCap) : '—'))));
  }


  async function load() {
    try {
      render(await api('GET', ENDPOINT));
    } catch (error) {
      showStatus(`Could not load the settings: ${error.message}`, true);
    }
  }

  async function save(event) {
    event.preventDefault();
    ui.save.disabled = true;
    try {
      render(await api('PUT', ENDPOINT, { text: ui.settings.value }));
      showStatus('Saved. Every replica applies it within seconds.', false);
    } catch (error) {
      showStatus(error.message, true);
    } finally {
      ui.save.disabled = false;
    }
  }

  async function revert() {
    try {
      render(await api('DELETE', ENDPOINT));
      showStatus('Reverted: the channels file applies again.', false);
    } catch (error) {
      showStatus(error.message, true);
    }
  }

  async function init() {
    Object.assign(ui, {
      source: document.getElementById('source'),
      status: document.getElementById('status'),
      body: document.getElementById('channels-body'),
      settings: document.getElementById('settings'),
      save: document.getElementById('save'),
      revert: document.getElementById('revert'),
      form: document.getElementById('edit-form'),
    });
    ui.form.addEventListener('submit', save);
    ui.revert.addEventListener('click', revert);
    load();
  }

  document.addEventListener('DOMContentLoaded', init);
})();
