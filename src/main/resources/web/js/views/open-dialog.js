// The red envelope that pops up when a bubble is tapped: grab (抢) asks whether anything is left, the gold 開 button
// opens (拆) it with a spin, then the result page shows what came out.
import { ApiError, asUser, idempotencyKey, session } from '../api.js';
import { avatar, h } from '../dom.js';
import { senderOf } from '../people.js';
import { t } from '../i18n.js';
import { modal } from '../ui.js';

const MIN_SPIN_MS = 600;

const REASONS = new Set(['SNATCHED_OUT', 'EXPIRED', 'NOT_PAYABLE', 'CANCELLED']);

export function openPacketDialog(packet) {
  const resultHash = '#/packet/' + encodeURIComponent(packet.id);
  // Opened from its own result page the hash does not change, so the dialog closes itself and the page's poll
  // brings the claim.
  const showResult = () => {
    dialog.close();
    location.hash = resultHash;
  };
  if (packet.myClaim) {
    location.hash = resultHash;
    return;
  }
  const isSender = packet.senderId === session.user().userId;
  const message = h('div', { class: 'env-message', dataset: { testid: 'open-message' }, 'aria-live': 'polite' });
  const openButton = h('button', { type: 'button', class: 'open-button', disabled: true, 'aria-label': t('open.open'),
    dataset: { testid: 'open-button' } }, '開');
  const details = h('a', { class: 'env-details', href: resultHash, dataset: { testid: 'open-details' }, hidden: !isSender,
    onclick: () => dialog.close() },
    t(isSender ? 'open.details' : 'open.everyone'));
  const envelope = h('div', { class: 'envelope' },
    h('button', { type: 'button', class: 'env-close', 'aria-label': t('open.close'), onclick: () => dialog.close() }, '×'),
    h('div', { class: 'env-top' },
      h('div', { class: 'env-sender' }, avatar(packet.senderId, senderOf(packet)),
        h('span', {}, t('result.title', { name: senderOf(packet) }))),
      h('div', { class: 'env-greeting' }, packet.greeting || t('greeting.default'))),
    h('div', { class: 'env-bottom' }, openButton, message, details));
  const dialog = modal(envelope, { label: t('open.from', { name: senderOf(packet) }), className: 'envelope-overlay' });

  const refuse = (reason) => {
    openButton.hidden = true;
    message.textContent = REASONS.has(reason) ? t('reason.' + reason) : reason;
    details.hidden = false;
  };
  openButton.addEventListener('click', async () => {
    openButton.disabled = true;
    openButton.classList.add('spinning');
    message.textContent = '';
    const started = performance.now();
    try {
      // The open answers compactly (my share, no claims); the result page fetches the whole view itself.
      await asUser('POST', '/v1/packets/' + encodeURIComponent(packet.id) + '/open',
        { headers: { 'Idempotency-Key': idempotencyKey() } });
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, MIN_SPIN_MS - (performance.now() - started))));
      showResult();
    } catch (error) {
      openButton.classList.remove('spinning');
      if (error instanceof ApiError && error.code === 'ALREADY_CLAIMED') {
        showResult();
      } else if (error instanceof ApiError && REASONS.has(error.code)) {
        refuse(error.code);
      } else {
        // Busy, unavailable, unreachable or an unknown outcome: the same button tries again, safely: an open with an
        // Idempotency-Key whose share was taken already answers that share.
        message.textContent = t('open.retry', { message: error instanceof ApiError ? error.message : String(error) });
        openButton.disabled = false;
      }
    }
  });

  if (packet.status !== 'ACTIVE') {
    refuse(packet.status === 'FINISHED' ? 'SNATCHED_OUT' : packet.status);
    return;
  }
  asUser('POST', '/v1/packets/' + encodeURIComponent(packet.id) + '/grab').then((grab) => {
    if (grab.available) {
      openButton.disabled = false;
      openButton.focus();
    } else if (grab.reason === 'ALREADY_CLAIMED') {
      showResult();
    } else {
      refuse(grab.reason);
    }
  }, (error) => {
    message.textContent = error instanceof ApiError ? error.message : String(error);
    details.hidden = false;
  });
}
