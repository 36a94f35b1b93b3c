// foobar message board — plain ES2020, no dependencies.
// All user content is inserted with textContent (never innerHTML).
'use strict';

const API = 'api/posts'; // relative: works behind a load balancer / path prefix
const PAGE_SIZE = 20;
const AUTHOR_KEY = 'foobar.author';
const TOKENS_KEY = 'foobar.editTokens'; // {postId: editToken}: the posts this browser wrote
const RETRIES = 2; // a write that failed in transit is sent again, with the same Idempotency-Key

const $ = (id) => document.getElementById(id);
const form = $('post-form');
const inputs = { author: $('author'), title: $('title'), body: $('body') };
const submitBtn = $('submit');
const errorBox = $('error');
const list = $('posts');
const emptyEl = $('empty');
const loadMoreBtn = $('load-more');
const statusBox = $('list-status');
const statusText = $('list-status-text');
const retryBtn = $('retry');
const servedBy = $('served-by');

let nextCursor = null;
let loading = false;

// ---------- API ----------
async function api(method, url, body, headers) {
  const opts = { method, headers: Object.assign({ Accept: 'application/json' }, headers || {}) };
  if (body !== undefined) {
    opts.headers['Content-Type'] = 'application/json';
    opts.body = JSON.stringify(body);
  }
  let res;
  try {
    res = await fetch(url, opts);
  } catch (e) {
    throw Object.assign(new Error('Network error — is the server reachable?'), { status: 0 });
  }
  const server = res.headers.get('X-Served-By');
  if (server) servedBy.textContent = server;
  let data = null;
  if (res.status !== 204) {
    const text = await res.text().catch(() => '');
    try { data = text ? JSON.parse(text) : null; } catch { data = null; }
  }
  if (!res.ok) {
    let msg = (data && data.message) || defaultMessage(res.status);
    const retry = res.headers.get('Retry-After');
    if ((res.status === 503 || res.status === 429) && retry && /^\d+$/.test(retry)) msg += ` (try again in ${retry}s)`;
    throw Object.assign(new Error(msg), {
      status: res.status, field: data && data.field, code: data && data.error,
      retryAfter: retry && /^\d+$/.test(retry) ? Number(retry) : null,
    });
  }
  return data;
}

// A random key per write (crypto.randomUUID needs a secure context; getRandomValues does not).
function newIdempotencyKey() {
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// Sends a write with its Idempotency-Key; when the answer is lost on the way (network error, 502, 503, 504),
// sends it again with the same key: the server runs it at most once and answers the retry with the first result.
async function write(method, url, body, key, headers) {
  const withKey = Object.assign({ 'Idempotency-Key': key }, headers || {});
  for (let attempt = 0; ; attempt++) {
    try {
      return await api(method, url, body, withKey);
    } catch (err) {
      const transient = err.status === 0 || err.status === 502 || err.status === 503 || err.status === 504;
      if (!transient || attempt >= RETRIES) throw err;
      await sleep(Math.min(5, err.retryAfter || 1) * 1000);
    }
  }
}

// ---------- Edit tokens ----------
// Creating a post returns its edit token once; only this browser has it, so only here can it be changed.
function loadTokens() {
  try { return JSON.parse(localStorage.getItem(TOKENS_KEY) || '{}') || {}; } catch { return {}; }
}

function tokenFor(id) {
  return loadTokens()[String(id)] || null;
}

function saveToken(id, token) {
  const tokens = loadTokens();
  tokens[String(id)] = token;
  try { localStorage.setItem(TOKENS_KEY, JSON.stringify(tokens)); } catch { /* storage unavailable */ }
}

function forgetToken(id) {
  const tokens = loadTokens();
  delete tokens[String(id)];
  try { localStorage.setItem(TOKENS_KEY, JSON.stringify(tokens)); } catch { /* ignore */ }
}

function defaultMessage(status) {
  if (status === 413) return 'Your post is too large.';
  if (status === 404) return 'That post no longer exists.';
  if (status === 403) return 'Only the author of a post can change it.';
  if (status === 429) return 'Too many changes at once. Please wait a moment.';
  if (status === 503) return 'The service is temporarily unavailable. Please try again shortly.';
  if (status >= 500) return `Server error (${status}). Please try again.`;
  return `Request failed (${status}).`;
}

// ---------- Rendering ----------
const rtf = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });
const dtf = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

function relativeTime(date) {
  const sec = Math.round((date.getTime() - Date.now()) / 1000);
  const abs = Math.abs(sec);
  if (abs < 45) return 'just now';
  const units = [['minute', 60], ['hour', 3600], ['day', 86400], ['month', 2592000], ['year', 31536000]];
  let unit = units[0];
  for (const u of units) if (abs >= u[1] * 0.9) unit = u;
  return rtf.format(Math.round(sec / unit[1]), unit[0]);
}

function formatTime(el) {
  const date = new Date(el.dateTime);
  if (Number.isNaN(date.getTime())) { el.textContent = el.dateTime; return; }
  el.textContent = `${relativeTime(date)} · ${dtf.format(date)}`;
}

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined && text !== null) node.textContent = String(text);
  return node;
}

function renderPost(post) {
  const li = el('li', 'post');
  li.dataset.id = String(post.id);

  const head = el('div', 'post-head');
  head.appendChild(el('h3', 'post-title', post.title));
  const token = tokenFor(post.id);
  if (token) {
    li.classList.add('own');
    const tools = el('div', 'post-tools');
    const edit = el('button', 'btn small edit', 'Edit');
    edit.type = 'button';
    edit.setAttribute('aria-label', `Edit post “${post.title}”`);
    edit.addEventListener('click', () => editPost(post, li));
    const del = el('button', 'btn small danger delete', 'Delete');
    del.type = 'button';
    del.setAttribute('aria-label', `Delete post “${post.title}”`);
    del.addEventListener('click', () => deletePost(post, li, del));
    tools.append(edit, del);
    head.appendChild(tools);
  }

  const meta = el('p', 'post-meta');
  meta.appendChild(document.createTextNode('by '));
  meta.appendChild(el('span', 'post-author', post.author));
  meta.appendChild(document.createTextNode(' · '));
  const time = el('time', 'post-time');
  time.dateTime = post.createdAt || '';
  time.title = post.createdAt || '';
  formatTime(time);
  meta.appendChild(time);
  if (post.updatedAt && post.createdAt && post.updatedAt !== post.createdAt) {
    const edited = el('span', 'post-edited', ' (edited)');
    edited.title = post.updatedAt;
    meta.appendChild(edited);
  }
  if (token) meta.appendChild(el('span', 'post-own', ' · yours'));

  li.append(head, meta, el('p', 'post-body', post.body));
  return li;
}

function hasPost(id) {
  return Array.from(list.children).some((li) => li.dataset.id === String(id));
}

function updateEmpty() {
  emptyEl.hidden = list.children.length > 0 || !statusBox.hidden;
}

function showListStatus(message, canRetry) {
  statusText.textContent = message;
  retryBtn.hidden = !canRetry;
  statusBox.hidden = false;
  statusBox.classList.toggle('is-error', canRetry);
  updateEmpty();
}

function hideListStatus() {
  statusBox.hidden = true;
  updateEmpty();
}

// ---------- Errors ----------
function clearError() {
  errorBox.textContent = '';
  for (const input of Object.values(inputs)) input.removeAttribute('aria-invalid');
}

function showError(err) {
  errorBox.textContent = err.message || 'Something went wrong.';
  const input = err.field && inputs[err.field];
  if (input) {
    input.setAttribute('aria-invalid', 'true');
    input.focus();
  }
}

// ---------- Actions ----------
async function loadPosts(initial) {
  if (loading) return;
  loading = true;
  list.setAttribute('aria-busy', 'true');
  loadMoreBtn.disabled = true;
  if (initial) showListStatus('Loading posts…', false);
  try {
    let url = `${API}?limit=${PAGE_SIZE}`;
    if (!initial && nextCursor) url += `&before=${encodeURIComponent(nextCursor)}`;
    const data = await api('GET', url);
    if (initial) list.replaceChildren();
    for (const post of (data && data.posts) || []) {
      if (!hasPost(post.id)) list.appendChild(renderPost(post));
    }
    nextCursor = data && data.next != null ? String(data.next) : null;
    hideListStatus();
  } catch (err) {
    if (initial) showListStatus(`Could not load posts: ${err.message}`, true);
    else showError(err);
  } finally {
    loading = false;
    list.setAttribute('aria-busy', 'false');
    loadMoreBtn.disabled = false;
    loadMoreBtn.hidden = nextCursor === null;
  }
}

// The key of the post being sent: kept until it is accepted, so pressing Post again after a failure sends the
// same key (the server then cannot store the post twice); a changed text is a new post with a new key.
let pending = null;

async function submitPost(event) {
  event.preventDefault();
  clearError();
  const payload = {
    author: inputs.author.value.trim(),
    title: inputs.title.value.trim(),
    body: inputs.body.value,
  };
  for (const [name, input] of Object.entries(inputs)) {
    if (!payload[name].trim()) {
      showError({ message: `Please fill in the ${input.labels[0].textContent.toLowerCase()}.`, field: name });
      return;
    }
  }
  const text = JSON.stringify(payload);
  if (!pending || pending.text !== text) pending = { text, key: newIdempotencyKey() };
  submitBtn.disabled = true;
  form.setAttribute('aria-busy', 'true');
  try {
    const post = await write('POST', API, payload, pending.key);
    pending = null;
    if (post && post.editToken) saveToken(post.id, post.editToken);
    try { localStorage.setItem(AUTHOR_KEY, payload.author); } catch { /* storage unavailable */ }
    inputs.title.value = '';
    inputs.body.value = '';
    if (post && post.id != null && !hasPost(post.id)) list.prepend(renderPost(post));
    updateEmpty();
    inputs.title.focus();
  } catch (err) {
    showError(err); // typed text is left untouched
  } finally {
    submitBtn.disabled = false;
    form.removeAttribute('aria-busy');
  }
}

// The answer to a change of one of our posts that says it is not ours (any more): stop offering the buttons.
function lostPost(post, li, err) {
  if (err.status === 404) { forgetToken(post.id); li.remove(); updateEmpty(); return true; }
  if (err.status === 403) { forgetToken(post.id); li.replaceWith(renderPost(post)); return true; }
  return false;
}

async function deletePost(post, li, button) {
  if (!window.confirm(`Delete “${post.title}”? This cannot be undone.`)) return;
  clearError();
  button.disabled = true;
  try {
    await write('DELETE', `${API}/${encodeURIComponent(post.id)}`, undefined, newIdempotencyKey(),
      { 'X-Edit-Token': tokenFor(post.id) || '' });
    forgetToken(post.id);
    li.remove();
  } catch (err) {
    if (!lostPost(post, li, err)) { showError(err); button.disabled = false; }
  }
  updateEmpty();
}

// Edits a post in place: its title and text in a small form, saved with the post's edit token.
function editPost(post, li) {
  if (li.querySelector('form')) return;
  const editor = el('form', 'post-editor');
  editor.noValidate = true;
  const title = el('input');
  title.type = 'text';
  title.maxLength = 200;
  title.value = post.title;
  title.setAttribute('aria-label', 'Title');
  const body = el('textarea');
  body.rows = 4;
  body.maxLength = 10000;
  body.value = post.body;
  body.setAttribute('aria-label', 'Message');
  const save = el('button', 'btn primary small', 'Save');
  save.type = 'submit';
  const cancel = el('button', 'btn small', 'Cancel');
  cancel.type = 'button';
  const buttons = el('div', 'actions');
  buttons.append(cancel, save);
  editor.append(title, body, buttons);
  const shown = li.querySelector('.post-body');
  shown.hidden = true;
  li.appendChild(editor);
  title.focus();
  cancel.addEventListener('click', () => { editor.remove(); shown.hidden = false; });
  let sent = null; // as for new posts: the same text saved again keeps its key
  editor.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearError();
    const change = { author: post.author, title: title.value.trim(), body: body.value };
    const text = JSON.stringify(change);
    if (!sent || sent.text !== text) sent = { text, key: newIdempotencyKey() };
    save.disabled = true;
    try {
      const changed = await write('PUT', `${API}/${encodeURIComponent(post.id)}`, change, sent.key,
        { 'X-Edit-Token': tokenFor(post.id) || '' });
      li.replaceWith(renderPost(changed));
    } catch (err) {
      if (!lostPost(post, li, err)) { showError(err); save.disabled = false; }
    }
  });
}

// ---------- Init ----------
try { inputs.author.value = localStorage.getItem(AUTHOR_KEY) || ''; } catch { /* ignore */ }
for (const input of Object.values(inputs)) {
  input.addEventListener('input', () => input.removeAttribute('aria-invalid'));
}
form.addEventListener('submit', submitPost);
loadMoreBtn.addEventListener('click', () => loadPosts(false));
retryBtn.addEventListener('click', () => loadPosts(true));
setInterval(() => list.querySelectorAll('time.post-time').forEach(formatTime), 60000);
loadPosts(true);
