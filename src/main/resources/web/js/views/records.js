// 红包记录: what I received or sent in a year (GET /v1/packets?role=…&year=…), with the year's totals on top as
// WeChat shows them (共收到 ¥X, how many, 手气最佳 how often), each line linking to the packet's result page. Older
// lines come page by page with the API's cursor; the summary comes with the first page only.
import { asUser, session } from '../api.js';
import { avatar, h, shortTime } from '../dom.js';
import { money, moneyFigure } from '../money.js';
import { t } from '../i18n.js';
import { nameOf, senderOf } from '../people.js';
import { showTrouble } from '../ui.js';
import { renderShell } from './shell.js';

const PAGE_SIZE = 20;
const FIRST_YEAR = 2026;

/** role: 'received' or 'sent'; year: a number, or undefined for the server's this year. */
export function renderRecords(root, role = 'received', year = undefined) {
  const shell = renderShell(root, 'records');
  const me = session.user();
  const link = (r, y) => '#/records/' + r + (y === undefined ? '' : '/' + y);
  const tab = (r) => h('a', { href: link(r, year), class: 'records-tab' + (r === role ? ' current' : ''),
    role: 'tab', 'aria-selected': String(r === role), dataset: { testid: 'records-tab-' + r } }, t('records.' + r));
  // The years to pick, filled once the server has said which year this is (its clock, not the browser's).
  const yearSelect = h('select', { class: 'records-year', 'aria-label': t('records.year'), dataset: { testid: 'records-year' },
    onchange: (event) => { location.hash = link(role, Number(event.target.value)); } });
  const hero = h('section', { class: 'records-hero', dataset: { testid: 'records-summary' } }, h('p', { class: 'muted' }, t('loading')));
  const lines = h('ul', { class: 'ledger', dataset: { testid: 'records-lines', role } });
  const more = h('button', { type: 'button', class: 'button link', hidden: true, dataset: { testid: 'records-more' } },
    t('records.older'));
  shell.main.replaceChildren(
    h('header', { class: 'chat-head records-head' }, h('h2', {}, t('records.title')),
      h('nav', { class: 'records-tabs', role: 'tablist' }, tab('received'), tab('sent')), yearSelect),
    h('div', { class: 'wallet-page records-page' }, hero, lines, more));

  let next = null;
  const load = async () => {
    const page = await asUser('GET', '/v1/packets?role=' + role + (year === undefined ? '' : '&year=' + year)
      + '&limit=' + PAGE_SIZE + (next ? '&before=' + encodeURIComponent(next) : ''));
    if (page.summary) {
      hero.replaceChildren(...summary(role, page.summary, me));
      yearSelect.replaceChildren(...yearOptions(page.year));
    }
    if (page.items.length === 0 && lines.childElementCount === 0) {
      lines.append(h('li', { class: 'empty muted' }, t('records.empty')));
    }
    lines.append(...page.items.map(role === 'sent' ? sentLine : receivedLine));
    next = page.next;
    more.hidden = next === null;
  };
  more.addEventListener('click', () => {
    more.disabled = true;
    load().catch(showTrouble).finally(() => { more.disabled = false; });
  });
  // The senders' names come with my groups; the lines wait for them so that they show names, not ids.
  shell.groups.catch(showTrouble).finally(() => load().catch(showTrouble));
  shell.refresh().catch(showTrouble);
  return () => {};
}

/** The shown year selected, among the years from the first one the service has up to this one. */
function yearOptions(shown) {
  const newest = Math.max(shown, new Date().getUTCFullYear());
  const options = [];
  for (let y = newest; y >= FIRST_YEAR; y--) {
    options.push(h('option', { value: String(y), selected: y === shown }, t('records.yearOption', { year: y })));
  }
  return options;
}

function summary(role, s, me) {
  const figures = role === 'sent'
    ? [figure('records-count', String(s.count), t('records.countSent'))]
    : [figure('records-count', String(s.count), t('records.countReceived')),
      figure('records-best', String(s.bestCount), t('records.bestCount'))];
  return [
    avatar(me.userId, nameOf(me.userId), 'large'),
    h('div', { class: 'records-who' }, t(role === 'sent' ? 'records.totalSent' : 'records.totalReceived',
      { name: nameOf(me.userId) })),
    h('div', { class: 'records-total' }, moneyFigure(s.amount, { testid: 'records-total' })),
    s.pendingAmount > 0 ? h('div', { class: 'muted', dataset: { testid: 'records-pending' } },
      t('records.pendingTotal', { amount: money(s.pendingAmount) })) : null,
    h('div', { class: 'records-figures' }, figures),
  ].filter(Boolean);
}

function figure(testid, value, label) {
  return h('div', { class: 'records-figure' }, h('div', { class: 'records-figure-value', dataset: { testid } }, value),
    h('div', { class: 'muted' }, label));
}

/** A claim not (yet) in the wallet says so: pending, or cancelled (its amount struck through, in no total). */
function receivedLine(item) {
  const status = item.status ?? 'CREDITED';
  return h('li', { class: 'ledger-line' + (status === 'CANCELLED' ? ' cancelled' : ''),
    dataset: { testid: 'record-line', packetId: item.packetId, best: String(item.best), status } },
    h('a', { class: 'ledger-left', href: '#/packet/' + encodeURIComponent(item.packetId) },
      h('div', { class: 'ledger-what' }, senderOf(item),
        item.kind === 'GROUP_LUCKY' ? h('span', { class: 'lucky-badge', title: t('bubble.lucky') }, t('result.luckyBadge')) : null),
      h('time', { class: 'muted', datetime: item.at }, shortTime(item.at))),
    h('div', { class: 'ledger-right' },
      h('div', { class: 'ledger-amount', dataset: { testid: 'record-amount' } }, money(item.amount)),
      status === 'CREDITED' ? null : h('div', { class: 'claim-mark ' + status.toLowerCase(), dataset: { testid: 'record-status' } },
        t(status === 'PENDING' ? 'records.pending' : 'records.cancelled')),
      item.best ? h('div', { class: 'best-luck', dataset: { testid: 'record-best' } }, t('result.bestLuck')) : null));
}

function sentLine(item) {
  const progress = item.status === 'FINISHED' ? 'records.finished' : item.status === 'EXPIRED' ? 'records.expired' : 'records.opened';
  return h('li', { class: 'ledger-line', dataset: { testid: 'record-line', packetId: item.packetId, status: item.status } },
    h('a', { class: 'ledger-left', href: '#/packet/' + encodeURIComponent(item.packetId) },
      h('div', { class: 'ledger-what' }, t(item.kind === 'GROUP_LUCKY' ? 'bubble.lucky' : 'bubble.plain')),
      h('time', { class: 'muted', datetime: item.createdAt }, shortTime(item.createdAt))),
    h('div', { class: 'ledger-right' },
      h('div', { class: 'ledger-amount', dataset: { testid: 'record-amount' } }, money(item.total)),
      h('div', { class: 'muted ledger-after' }, t(progress, { opened: item.openedCount, count: item.count })),
      item.refunded > 0
        ? h('div', { class: 'muted ledger-after' }, t('records.refunded', { amount: money(item.refunded) }))
        : null));
}
