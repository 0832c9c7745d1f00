// The result page of one packet (红包详情): what I got, everyone's claims, best luck, how fast it went, and for
// the sender the refund. Polled every second while the packet is active, so claims appear as others open.
import { asUser, session } from '../api.js';
import { avatar, duration, every, h, shortTime } from '../dom.js';
import { formatFen } from '../money.js';
import { loadGroups, nameOf } from '../people.js';
import { clearBanner, showTrouble } from '../ui.js';
import { openPacketDialog } from './open-dialog.js';

const POLL_MS = 1000;

export function renderResult(root, packetId) {
  const page = h('div', { class: 'result-page' }, h('p', { class: 'muted pad' }, 'Loading…'));
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
          page.replaceChildren(h('div', { class: 'pad' }, h('h2', {}, 'No such red packet'),
            h('p', {}, h('a', { href: '#/chat' }, '‹ Back to the chat'))));
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
  const back = p.groupId ? '#/chat/' + encodeURIComponent(p.groupId) : p.toUserId === me ? '#/inbox' : '#/chat';
  return h('article', { class: 'result', dataset: { testid: 'result', packetId: p.id, status: p.status } },
    h('header', { class: 'result-head' },
      h('a', { class: 'back', href: back }, '‹ Back'),
      h('div', { class: 'result-arc', 'aria-hidden': 'true' })),
    h('div', { class: 'result-sender' }, avatar(p.senderId, nameOf(p.senderId), 'large'),
      h('h1', {}, nameOf(p.senderId) + '\'s red packet'),
      p.kind === 'GROUP_LUCKY' && h('span', { class: 'kind-badge', title: 'Lucky: random shares' }, '拼')),
    h('p', { class: 'result-greeting' }, p.greeting || '恭喜发财，大吉大利'),
    p.myClaim && h('div', { class: 'my-claim' },
      h('div', { class: 'my-amount' }, h('span', { dataset: { testid: 'my-amount' } }, formatFen(p.myClaim.amount)),
        h('span', { class: 'unit' }, 'yuan 元')),
      h('div', { class: 'credited' }, p.myClaim.credited ? 'Deposited to your wallet 已存入零钱' : 'Credited once the payment settles')),
    waitsForMe(p) && h('div', { class: 'result-open' },
      h('button', { type: 'button', class: 'open-button', 'aria-label': 'Open 開', dataset: { testid: 'result-open' },
        onclick: () => openPacketDialog(p) }, '開'),
      h('p', { class: 'muted' }, 'For you alone. Tap 開 to open it.')),
    statusNotice(p, isSender),
    h('section', { class: 'claims-box' },
      h('div', { class: 'result-summary', dataset: { testid: 'result-summary' } }, summary(p, isSender)),
      h('ul', { class: 'claims', dataset: { testid: 'claims' } }, p.claims.map((c) => h('li', {
        class: 'claim' + (c.userId === me ? ' own' : ''), dataset: { testid: 'claim', userId: c.userId } },
      avatar(c.userId, nameOf(c.userId)),
      h('div', { class: 'claim-who' }, h('div', { class: 'claim-name' }, nameOf(c.userId)),
        h('time', { class: 'muted', datetime: c.at }, shortTime(c.at))),
      h('div', { class: 'claim-right' },
        h('div', { class: 'claim-amount' }, h('span', { dataset: { testid: 'claim-amount' } }, formatFen(c.amount)), ' yuan'),
        c.best && h('div', { class: 'best-luck', dataset: { testid: 'best-luck' } }, crown(), 'Best luck 手气最佳')))))));
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
  const money = '¥' + formatFen(p.openedAmount) + '/¥' + formatFen(p.total);
  switch (p.status) {
    case 'FINISHED':
      if (p.kind === 'PERSONAL') {
        return '¥' + formatFen(p.total) + ' opened by ' + nameOf(p.toUserId);
      }
      return p.count + ' red packets, ¥' + formatFen(p.total) + ' in total, opened in ' + duration(p.finishSeconds ?? 0);
    case 'ACTIVE':
      if (p.kind === 'PERSONAL') {
        return isSender ? '¥' + formatFen(p.total) + ' for ' + nameOf(p.toUserId) + ', not opened yet'
          : 'Not opened yet';
      }
      return 'Opened ' + p.openedCount + '/' + p.count + (isSender ? ', ' + money : '') + ' · waiting for the rest';
    default:
      return 'Opened ' + p.openedCount + '/' + p.count + ', ' + money;
  }
}

/** The state beyond "active": refund notice for the sender, expired and cancelled for everyone. */
function statusNotice(p, isSender) {
  const notice = (kind, text) => h('p', { class: 'notice ' + kind, dataset: { testid: 'status-notice', kind } }, text);
  switch (p.status) {
    case 'ACTIVE':
      return isSender && notice('refund-pending', 'If not all opened by ' + shortTime(p.expiresAt)
        + ', the unopened ¥' + formatFen(p.total - p.openedAmount) + ' returns to your wallet.');
    case 'EXPIRED':
      return isSender
        ? notice('refunded', 'Expired. ¥' + formatFen(p.refunded ?? 0) + ' unopened was refunded to your wallet. 已过期，未领取的金额已退回零钱')
        : notice('expired', 'This red packet has expired. 该红包已过期');
    case 'CANCELLED':
      return notice('cancelled', 'Cancelled: the payment did not go through, so nothing was paid out. 红包已取消');
    case 'UNPAID':
      return notice('unpaid', 'Waiting for the payment to be confirmed.');
    default:
      return null;
  }
}
