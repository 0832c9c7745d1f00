// 零钱 and its 流水: the balance, then every movement of the wallet newest first (GET /v1/wallet/transactions),
// each linking to its red packet when it has one; older lines come page by page with the API's cursor.
import { asUser } from '../api.js';
import { h, shortTime } from '../dom.js';
import { money, moneyFigure } from '../money.js';
import { t } from '../i18n.js';
import { showTrouble } from '../ui.js';
import { renderShell } from './shell.js';

const PAGE_SIZE = 20;

const KINDS = new Set(['DEPOSIT', 'SEND', 'PAYMENT', 'CLAIM', 'REFUND', 'WITHDRAWAL']);

export function renderWallet(root) {
  const shell = renderShell(root, 'wallet');
  const balance = h('div', { class: 'wallet-hero-amount' }, h('span', { dataset: { testid: 'wallet-page-balance' } }, '…'));
  const lines = h('ul', { class: 'ledger', dataset: { testid: 'wallet-lines' } });
  const more = h('button', { type: 'button', class: 'button link', hidden: true, dataset: { testid: 'wallet-more' } },
    t('wallet.older'));
  shell.main.replaceChildren(
    h('header', { class: 'chat-head' }, h('h2', {}, t('wallet.title'))),
    h('div', { class: 'wallet-page' },
      h('section', { class: 'wallet-hero' }, h('div', { class: 'muted' }, t('wallet.balance')),
        balance),
      h('h3', { class: 'ledger-title' }, t('wallet.statement')),
      lines, more));

  let next = null;
  const load = async () => {
    const page = await asUser('GET', '/v1/wallet/transactions?limit=' + PAGE_SIZE
      + (next ? '&before=' + encodeURIComponent(next) : ''));
    if (page.items.length === 0 && lines.childElementCount === 0) {
      lines.append(h('li', { class: 'empty muted' }, t('wallet.empty')));
    }
    lines.append(...page.items.map(line));
    next = page.next;
    more.hidden = next === null;
  };
  more.addEventListener('click', () => {
    more.disabled = true;
    load().catch(showTrouble).finally(() => { more.disabled = false; });
  });
  shell.groups.catch(showTrouble);
  Promise.all([shell.refresh().then(() => balance.replaceChildren(moneyFigure(shell.balance(), { testid: 'wallet-page-balance' }))),
    load()])
    .catch(showTrouble);
  return () => {};
}

function line(item) {
  const incoming = item.amount > 0;
  // 微信红包-来自Alice, 发出红包-家人群: the other side by name, when the line has one (not a top-up or withdrawal).
  const label = item.party && KINDS.has(item.kind) && item.kind !== 'DEPOSIT' && item.kind !== 'WITHDRAWAL'
    ? t('party.' + item.kind, { name: item.party.name })
    : KINDS.has(item.kind) ? t('kind.' + item.kind) : item.kind;
  const what = h('div', { class: 'ledger-what', dataset: { testid: 'wallet-line-what' } }, label);
  return h('li', { class: 'ledger-line', dataset: { testid: 'wallet-line', kind: item.kind } },
    h('div', { class: 'ledger-left' },
      item.packetId
        ? h('a', { href: '#/packet/' + encodeURIComponent(item.packetId), dataset: { testid: 'wallet-line-packet' } }, what)
        : what,
      h('time', { class: 'muted', datetime: item.at }, shortTime(item.at))),
    h('div', { class: 'ledger-right' },
      h('div', { class: 'ledger-amount ' + (incoming ? 'in' : 'out'), dataset: { testid: 'wallet-line-amount' } },
        money(item.amount, { signed: true })),
      h('div', { class: 'muted ledger-after' }, t('wallet.balanceAfter', { amount: money(item.balanceAfter) }))));
}
