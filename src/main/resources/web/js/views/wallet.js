// 零钱 and its 流水: the balance, then every movement of the wallet newest first (GET /v1/wallet/transactions),
// each linking to its red packet when it has one; older lines come page by page with the API's cursor.
import { asUser } from '../api.js';
import { h, shortTime } from '../dom.js';
import { formatFen } from '../money.js';
import { showTrouble } from '../ui.js';
import { renderShell } from './shell.js';

const PAGE_SIZE = 20;

const KINDS = {
  DEPOSIT: 'Top-up 充值',
  SEND: 'Red packet sent 发红包',
  PAYMENT: 'Red packet paid 红包支付',
  CLAIM: 'Red packet received 领取红包',
  REFUND: 'Red packet refund 红包退款',
  WITHDRAWAL: 'Withdrawal 提现',
};

export function renderWallet(root) {
  const shell = renderShell(root, 'wallet');
  const balance = h('span', { dataset: { testid: 'wallet-page-balance' } }, '…');
  const lines = h('ul', { class: 'ledger', dataset: { testid: 'wallet-lines' } });
  const more = h('button', { type: 'button', class: 'button link', hidden: true, dataset: { testid: 'wallet-more' } },
    'Older 更早的明细');
  shell.main.replaceChildren(
    h('header', { class: 'chat-head' }, h('h2', {}, 'Wallet 零钱')),
    h('div', { class: 'wallet-page' },
      h('section', { class: 'wallet-hero' }, h('div', { class: 'muted' }, 'Balance 余额'),
        h('div', { class: 'wallet-hero-amount' }, h('span', { class: 'currency' }, '¥'), balance)),
      h('h3', { class: 'ledger-title' }, 'Statement 零钱明细'),
      lines, more));

  let next = null;
  const load = async () => {
    const page = await asUser('GET', '/v1/wallet/transactions?limit=' + PAGE_SIZE
      + (next ? '&before=' + encodeURIComponent(next) : ''));
    if (page.items.length === 0 && lines.childElementCount === 0) {
      lines.append(h('li', { class: 'empty muted' }, 'No movements yet.'));
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
  Promise.all([shell.refresh().then(() => { balance.textContent = formatFen(shell.balance()); }), load()])
    .catch(showTrouble);
  return () => {};
}

function line(item) {
  const incoming = item.amount > 0;
  const what = h('div', { class: 'ledger-what' }, KINDS[item.kind] ?? item.kind);
  return h('li', { class: 'ledger-line', dataset: { testid: 'wallet-line', kind: item.kind } },
    h('div', { class: 'ledger-left' },
      item.packetId
        ? h('a', { href: '#/packet/' + encodeURIComponent(item.packetId), dataset: { testid: 'wallet-line-packet' } }, what)
        : what,
      h('time', { class: 'muted', datetime: item.at }, shortTime(item.at))),
    h('div', { class: 'ledger-right' },
      h('div', { class: 'ledger-amount ' + (incoming ? 'in' : 'out'), dataset: { testid: 'wallet-line-amount' } },
        (incoming ? '+' : '') + formatFen(item.amount)),
      h('div', { class: 'muted ledger-after' }, 'Balance ' + formatFen(item.balanceAfter))));
}
