// A tiny DOM builder. Text always goes in as text nodes, never as HTML, so greetings and names cannot inject markup.

/** h('div', {class: 'x', onclick: fn, dataset: {id: 1}}, 'text', child, [more]) */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs ?? {})) {
    if (value === undefined || value === null || value === false) {
      continue;
    }
    if (key.startsWith('on') && typeof value === 'function') {
      el.addEventListener(key.slice(2), value);
    } else if (key === 'dataset') {
      Object.assign(el.dataset, value);
    } else if (key === 'class') {
      el.className = value;
    } else if (value === true) {
      el.setAttribute(key, '');
    } else {
      el.setAttribute(key, String(value));
    }
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children) {
    if (child === undefined || child === null || child === false) {
      continue;
    }
    if (Array.isArray(child)) {
      append(el, child);
    } else if (child instanceof Node) {
      el.appendChild(child);
    } else {
      el.appendChild(document.createTextNode(String(child)));
    }
  }
}

const AVATAR_COLORS = ['#e07a5f', '#3d85c6', '#6aa84f', '#b4629a', '#e69138', '#45818e', '#8e7cc3', '#c27c0e'];

/** A round avatar with the name's first letter, its colour fixed by the user id. */
export function avatar(userId, name, size = '') {
  let hash = 0;
  for (const ch of String(userId)) {
    hash = (hash * 31 + ch.codePointAt(0)) >>> 0;
  }
  const letter = [...String(name || userId)][0]?.toUpperCase() ?? '?';
  return h('span', { class: 'avatar ' + size, style: 'background:' + AVATAR_COLORS[hash % AVATAR_COLORS.length],
    'aria-hidden': 'true' }, letter);
}

const pad2 = (n) => String(n).padStart(2, '0');

/** "14:03:07" today, "03-02 14:03" on another day, in the browser's time zone. */
export function shortTime(iso) {
  const t = new Date(iso);
  const now = new Date();
  const clock = pad2(t.getHours()) + ':' + pad2(t.getMinutes());
  if (t.toDateString() === now.toDateString()) {
    return clock + ':' + pad2(t.getSeconds());
  }
  return pad2(t.getMonth() + 1) + '-' + pad2(t.getDate()) + ' ' + clock;
}

/** Runs fn now and then every ms after it settles, until the returned stop function is called. */
export function every(ms, fn) {
  let stopped = false;
  let timer;
  const tick = async () => {
    if (stopped) {
      return;
    }
    try {
      await fn();
    } finally {
      if (!stopped) {
        timer = setTimeout(tick, ms);
      }
    }
  };
  tick();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}
