// The frame of the logged-in pages: who I am, the wallet (a link to 零钱明细), 红包 for you with the number still to
// open, 红包记录, and my groups. The page inside it calls refresh() on its own poll, so balance and badge stay current.
// On a wide screen the list is a side bar beside the page. On a phone (app.css) one of them fills the screen, as in
// WeChat: the list on the home page (HOME), else the page, under a title bar whose back arrow leads to the list.
import { asUser, session } from '../api.js';
import { avatar, h } from '../dom.js';
import { moneyFigure } from '../money.js';
import { languageSwitch, t } from '../i18n.js';
import { loadGroups, nameOf } from '../people.js';

/** The current page of the chat list itself: on a phone, the list fills the screen. */
export const HOME = Symbol('home');

/**
 * current: HOME, 'inbox', 'records', 'wallet', 'dm' or a group id; returns {main, groups, refresh, balance(),
 * markGroup(groupId)}.
 */
export function renderShell(root, current) {
  const me = session.user();
  const balance = h('div', { class: 'wallet-balance' }, h('span', { dataset: { testid: 'wallet-balance' } }, '…'));
  const badge = h('span', { class: 'nav-badge', dataset: { testid: 'inbox-badge' }, hidden: true });
  const groupNav = h('nav', { class: 'group-list', 'aria-label': t('shell.groups') });
  const main = h('main', { class: 'chat' }, h('p', { class: 'muted pad' }, t('loading')));
  const myName = h('div', { class: 'me-name' }, me.name ?? me.userId);
  const navLink = (page, testid, ...content) => h('a', { href: '#/' + page, class: 'nav-link' + (current === page ? ' current' : ''),
    'aria-current': current === page ? 'page' : null, dataset: { testid } }, ...content);
  root.append(h('div', { class: 'shell', dataset: { testid: 'shell', view: current === HOME ? 'list' : 'page' } },
    h('a', { class: 'phone-back', href: '#/chat', 'aria-label': t('shell.back'), dataset: { testid: 'phone-back' } }, '‹'),
    h('aside', { class: 'sidebar', dataset: { testid: 'sidebar' } },
      h('header', { class: 'list-head' }, h('h1', {}, t('shell.chats'))),
      h('div', { class: 'me' }, avatar(me.userId, me.name, 'large'),
        h('div', { class: 'me-text' }, myName, h('div', { class: 'muted' }, '@' + me.userId))),
      h('a', { class: 'wallet' + (current === 'wallet' ? ' current' : ''), href: '#/wallet', dataset: { testid: 'nav-wallet' } },
        h('div', { class: 'wallet-label' }, t('shell.wallet')),
        balance),
      h('nav', { class: 'page-list', 'aria-label': t('shell.pages') },
        navLink('inbox', 'nav-inbox', h('span', { class: 'mini-packet', 'aria-hidden': 'true' }),
          h('span', { class: 'group-name' }, t('shell.inbox')), badge),
        navLink('records', 'nav-records', h('span', { class: 'records-icon', 'aria-hidden': 'true' }, '¥'),
          h('span', { class: 'group-name' }, t('shell.records')))),
      groupNav,
      h('div', { class: 'sidebar-foot' },
        languageSwitch(h),
        h('a', { href: '#/login' }, t('shell.switchUser')), h('a', { href: '#/operator' }, t('shell.operator')))),
    main));

  const state = { balance: undefined, groups: [] };
  const markGroup = (groupId) => renderGroupNav(groupNav, state.groups, groupId);
  const groups = loadGroups().then((loaded) => {
    state.groups = loaded;
    myName.textContent = nameOf(me.userId);
    markGroup(current);
    return loaded;
  });

  const refresh = async () => {
    const [wallet, inbox] = await Promise.all([asUser('GET', '/v1/wallet'), asUser('GET', '/v1/inbox?limit=50')]);
    state.balance = wallet.balance;
    balance.replaceChildren(moneyFigure(wallet.balance, { testid: 'wallet-balance' }));
    const toOpen = inbox.items.filter((p) => p.status === 'ACTIVE' && !p.myClaim).length;
    badge.textContent = toOpen >= 50 ? '50+' : String(toOpen);
    badge.hidden = toOpen === 0;
  };
  return { main, groups, refresh, markGroup, balance: () => state.balance };
}

function renderGroupNav(nav, groups, currentId) {
  nav.replaceChildren(h('div', { class: 'group-list-title' }, t('shell.groups')),
    ...groups.map((g) => h('a', { href: '#/chat/' + encodeURIComponent(g.groupId),
      class: 'group-link' + (g.groupId === currentId ? ' current' : ''), 'aria-current': g.groupId === currentId ? 'page' : null,
      dataset: { testid: 'group-link', groupId: g.groupId } },
    h('span', { class: 'group-icon', 'aria-hidden': 'true' }, [...g.name][0] ?? '#'),
    h('span', { class: 'group-name' }, g.name), h('span', { class: 'group-count' }, String(g.members.length)))));
}
