// Page-wide bits: the banner for trouble that belongs to no field, and modal dialogs.
import { ApiError, session } from './api.js';
import { h } from './dom.js';
import { t } from './i18n.js';

let bannerTimer;

/** Shows a short message at the top of the page; kind 'error' stays until cleared or replaced. */
export function banner(message, kind = 'info') {
  const el = document.getElementById('banner');
  clearTimeout(bannerTimer);
  el.textContent = message;
  el.className = 'banner ' + kind;
  el.hidden = false;
  if (kind !== 'error') {
    bannerTimer = setTimeout(clearBanner, 4000);
  }
}

/** Hides the banner; with onlyErrors, only if it shows an error (a successful poll means the trouble is over). */
export function clearBanner(onlyErrors = false) {
  const el = document.getElementById('banner');
  if (onlyErrors && !el.classList.contains('error')) {
    return;
  }
  el.hidden = true;
  el.textContent = '';
}

/**
 * Opens a modal with the given content; returns {close}. Escape and a click outside close it; onClose runs once
 * whichever way it closes, including when the page navigates away.
 */
export function modal(content, { label, onClose, className = '' } = {}) {
  const previousFocus = document.activeElement;
  const overlay = h('div', { class: 'overlay ' + className, role: 'dialog', 'aria-modal': 'true', 'aria-label': label },
    content);
  let closed = false;
  const close = () => {
    if (closed) {
      return;
    }
    closed = true;
    overlay.remove();
    document.removeEventListener('keydown', onKey);
    window.removeEventListener('hashchange', close);
    onClose?.();
    previousFocus?.focus?.();
  };
  const onKey = (event) => {
    if (event.key === 'Escape') {
      close();
    }
  };
  overlay.addEventListener('click', (event) => {
    if (event.target === overlay) {
      close();
    }
  });
  document.addEventListener('keydown', onKey);
  window.addEventListener('hashchange', close);
  document.body.appendChild(overlay);
  return { close, element: overlay };
}

/** Reports a failed call: an expired login asks for a login on the same page, anything else goes to the banner. */
export function showTrouble(error) {
  if (error instanceof ApiError && error.code === 'UNAUTHENTICATED') {
    session.clearUser();
    // Shown again without a user, the page asks for a login and then comes back here: the link is kept.
    window.dispatchEvent(new HashChangeEvent('hashchange'));
    banner(t('trouble.expired'), 'error');
    return;
  }
  banner(error instanceof ApiError ? error.message : t('trouble.generic', { error }), 'error');
}
