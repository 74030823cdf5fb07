/* Shared by SupportBot's pages: building DOM nodes safely (text, never HTML) and calling the host's API with the
   signed-in session's antiforgery token. Loaded before each page's own script. */
(() => {
  'use strict';

  /** An element with attributes (null/undefined/false ones left out) and children (strings become text). */
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

  let antiforgery = null;
  let sessionLoaded = null;

  /** The caller's session (/api/session), read once; its antiforgery token goes with every state-changing call. */
  function session() {
    sessionLoaded ??= fetch('/api/session', { headers: { Accept: 'application/json' }, cache: 'no-store' })
      .then((res) => (res.ok ? res.json() : null))
      .catch(() => null)
      .then((data) => { antiforgery = data && data.antiforgery ? data.antiforgery : null; return data; });
    return sessionLoaded;
  }

  /** A JSON call; resolves to the body (null for 204), rejects with the API's error message. */
  async function api(method, path, body) {
    await session();
    const headers = { Accept: 'application/json' };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (antiforgery && method !== 'GET') headers['X-XSRF-TOKEN'] = antiforgery;
    const res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), cache: 'no-store' });
    const data = res.status === 204 ? null : await res.json().catch(() => null);
    if (!res.ok) throw new Error((data && data.error) || `HTTP ${res.status}`);
    return data;
  }

  window.SupportBot = Object.freeze({ el, session, api });
})();
