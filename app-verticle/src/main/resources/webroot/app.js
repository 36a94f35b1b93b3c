// foobar message board — plain ES2020, no dependencies.
// All user content is inserted with textContent (never innerHTML).
'use strict';

const API = 'api/posts'; // relative: works behind a load balancer / path prefix
const PAGE_SIZE = 20;
const AUTHOR_KEY = 'foobar.author';

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
async function api(method, url, body) {
  const opts = { method, headers: { Accept: 'application/json' } };
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
    if (res.status === 503 && retry && /^\d+$/.test(retry)) msg += ` (try again in ${retry}s)`;
    throw Object.assign(new Error(msg), { status: res.status, field: data && data.field, code: data && data.error });
  }
  return data;
}

function defaultMessage(status) {
  if (status === 413) return 'Your post is too large.';
  if (status === 404) return 'That post no longer exists.';
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
  const del = el('button', 'btn small danger delete', 'Delete');
  del.type = 'button';
  del.setAttribute('aria-label', `Delete post “${post.title}”`);
  del.addEventListener('click', () => deletePost(post, li, del));
  head.appendChild(del);

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
  submitBtn.disabled = true;
  form.setAttribute('aria-busy', 'true');
  try {
    const post = await api('POST', API, payload);
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

async function deletePost(post, li, button) {
  if (!window.confirm(`Delete “${post.title}”? This cannot be undone.`)) return;
  clearError();
  button.disabled = true;
  try {
    await api('DELETE', `${API}/${encodeURIComponent(post.id)}`);
    li.remove();
  } catch (err) {
    if (err.status === 404) li.remove(); // already gone
    else { showError(err); button.disabled = false; }
  }
  updateEmpty();
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
