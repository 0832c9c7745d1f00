// The result page of one packet (红包详情): what I got, everyone's claims, best luck, how fast it went, and for
// the sender the refund. Polled every second while the packet is active, so claims appear as others open.
import { asUser, session } from '../api.js';
import { avatar, every, h, shortTime } from '../dom.js';
import { duration, t } from '../i18n.js';
import { money, moneyFigure } from '../money.js';
import { loadGroups, nameOf, senderOf } from '../people.js';
import { clearBanner, showTrouble } from '../ui.js';
import { openPacketDialog } from './open-dialog.js';
import { personalChatWith } from './chat.js';

const POLL_MS = 1000;

export function renderResult(root, packetId) {
  const page = h('div', { class: 'result-page' }, h('p', { class: 'muted pad' }, t('loading')));
  root.append(page);
  let stop = () => {};
  let stopped = false;
  let signature = '';
  let offered = false;
  (async () => {
    try {
      await loadGroups(); // for the names of the people in the list
    } catch (error) {
      showTrouble(error);
    }
    if (stopped) {
      return;
    }
    stop = every(POLL_MS, async () => {
      let packet;
      try {
        packet = await asUser('GET', '/v1/packets/' + encodeURIComponent(packetId));
        clearBanner(true);
      } catch (error) {
        if (error.code === 'NOT_FOUND') {
          page.replaceChildren(h('div', { class: 'pad' }, h('h2', {}, t('result.noSuch')),
            h('p', {}, h('a', { href: '#/chat' }, t('result.backToChat')))));
          stop();
          return;
        }
        showTrouble(error);
        return;
      }
      const next = JSON.stringify(packet);
      if (next !== signature) {
        signature = next;
        page.replaceChildren(render(packet));
      }
      // A personal packet for me, not opened yet: the envelope with 開 comes up by itself, once.
      if (waitsForMe(packet) && !offered) {
        offered = true;
        openPacketDialog(packet);
      }
      if (packet.status !== 'ACTIVE') {
        stop();
      }
    });
  })();
  return () => {
    stopped = true;
    stop();
  };
}

function waitsForMe(p) {
  return p.kind === 'PERSONAL' && p.toUserId === session.user().userId && !p.myClaim && p.status === 'ACTIVE';
}

function render(p) {
  const me = session.user().userId;
  const isSender = p.senderId === me;
  const chatWith = personalChatWith(p, me);
  const back = p.groupId ? '#/chat/' + encodeURIComponent(p.groupId) : chatWith ? '#/dm/' + encodeURIComponent(chatWith)
    : p.toUserId === me ? '#/inbox' : '#/chat';
  return h('article', { class: 'result', dataset: { testid: 'result', packetId: p.id, status: p.status } },
    h('header', { class: 'result-head' },
      h('a', { class: 'back', href: back }, t('result.back')),
      h('div', { class: 'result-arc', 'aria-hidden': 'true' })),
    h('div', { class: 'result-sender' }, avatar(p.senderId, senderOf(p), 'large'),
      h('h1', {}, t('result.title', { name: senderOf(p) })),
      p.kind === 'GROUP_LUCKY' && h('span', { class: 'kind-badge', title: t('result.luckyTitle') }, t('result.luckyBadge'))),
    h('p', { class: 'result-greeting' }, p.greeting || t('greeting.default')),
    p.myClaim && myClaim(p.myClaim),
    waitsForMe(p) && h('div', { class: 'result-open' },
      h('button', { type: 'button', class: 'open-button', 'aria-label': t('open.open'), dataset: { testid: 'result-open' },
        onclick: () => openPacketDialog(p) }, '開'),
      h('p', { class: 'muted' }, t('result.forYou'))),
    statusNotice(p, isSender),
    h('section', { class: 'claims-box' },
      h('div', { class: 'result-summary', dataset: { testid: 'result-summary' } }, summary(p, isSender)),
      h('ul', { class: 'claims' + (p.status === 'CANCELLED' ? ' cancelled' : ''), dataset: { testid: 'claims' } }, p.claims.map((c) => h('li', {
        class: 'claim' + (c.userId === me ? ' own' : ''), dataset: { testid: 'claim', userId: c.userId } },
      avatar(c.userId, nameOf(c.userId)),
      h('div', { class: 'claim-who' }, h('div', { class: 'claim-name' }, nameOf(c.userId)),
        h('time', { class: 'muted', datetime: c.at }, shortTime(c.at))),
      h('div', { class: 'claim-right' },
        h('div', { class: 'claim-amount' }, moneyFigure(c.amount, { testid: 'claim-amount' })),
        c.best && h('div', { class: 'best-luck', dataset: { testid: 'best-luck' } }, crown(), t('result.bestLuck'))))))));
}

/**
 * My share: in gold when it is mine (in the wallet, or on its way); a cancelled packet's share was never paid, so it
 * is shown small and struck through, with no word of the wallet.
 */
function myClaim(claim) {
  const status = claim.status ?? (claim.credited ? 'CREDITED' : 'PENDING');
  return h('div', { class: 'my-claim ' + status.toLowerCase(), dataset: { testid: 'my-claim', status } },
    h('div', { class: 'my-amount' }, moneyFigure(claim.amount, { testid: 'my-amount' })),
    h('div', { class: 'credited', dataset: { testid: 'my-claim-status' } }, t('claim.' + status)));
}

/** A small crown drawn in SVG: emoji fonts are not everywhere (headless Chromium on a server has none). */
function crown() {
  const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
  svg.setAttribute('viewBox', '0 0 14 12');
  svg.setAttribute('class', 'crown');
  svg.setAttribute('aria-hidden', 'true');
  const path = document.createElementNS('http://www.w3.org/2000/svg', 'path');
  path.setAttribute('d', 'M1 3 L4 7 L7 1 L10 7 L13 3 L12 10 H2 Z M2 11 H12 V12 H2 Z');
  svg.appendChild(path);
  return svg;
}

/** "3 red packets, ¥10.00 in total, opened in 12 s" and the in-progress and expired variants. */
function summary(p, isSender) {
  const opened = money(p.openedAmount) + '/' + money(p.total);
  switch (p.status) {
    case 'FINISHED':
      if (p.kind === 'PERSONAL') {
        return t('summary.personalDone', { amount: money(p.total), name: nameOf(p.toUserId) });
      }
      return t('summary.done', { count: p.count, amount: money(p.total), duration: duration(p.finishSeconds ?? 0) });
    case 'ACTIVE':
      if (p.kind === 'PERSONAL') {
        return isSender ? t('summary.personalWaiting', { amount: money(p.total), name: nameOf(p.toUserId) })
          : t('summary.notOpened');
      }
      return isSender ? t('summary.waitingSender', { opened: p.openedCount, count: p.count, money: opened })
        : t('summary.waiting', { opened: p.openedCount, count: p.count });
    case 'CANCELLED':
      return t('summary.cancelled', { opened: p.openedCount });
    default:
      return t('summary.partial', { opened: p.openedCount, count: p.count, money: opened });
  }
}

/** The state beyond "active": refund notice for the sender, expired and cancelled for everyone. */
function statusNotice(p, isSender) {
  const notice = (kind, text) => h('p', { class: 'notice ' + kind, dataset: { testid: 'status-notice', kind } }, text);
  switch (p.status) {
    case 'ACTIVE':
      return isSender && notice('refund-pending', t('notice.refundPending',
        { time: shortTime(p.expiresAt), amount: money(p.total - p.openedAmount) }));
    case 'EXPIRED':
      return isSender
        ? notice('refunded', t('notice.refunded', { amount: money(p.refunded ?? 0) }))
        : notice('expired', t('notice.expired'));
    case 'CANCELLED':
      return notice('cancelled', t('notice.cancelled'));
    case 'UNPAID':
      return notice('unpaid', t('notice.unpaid'));
    default:
      return null;
  }
}
