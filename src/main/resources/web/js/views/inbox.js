// 红包 for you: the personal packets addressed to me (from friends and from merchants), newest first, as bubbles
// that open the envelope with the gold 開. The first page is refreshed on events like the chat; older pages come on request.
import { asUser, session } from '../api.js';
import { h } from '../dom.js';
import { t } from '../i18n.js';
import { clearBanner, showTrouble } from '../ui.js';
import { bubble } from './chat.js';
import { openFriendDialog } from './friend-dialog.js';
import { openPacketDialog } from './open-dialog.js';
import { renderShell } from './shell.js';
import { live } from '../events.js';

const PAGE_SIZE = 20;

export function renderInbox(root) {
  const shell = renderShell(root, 'inbox');
  const list = h('div', { class: 'timeline inbox', dataset: { testid: 'inbox' }, 'aria-live': 'polite' });
  const more = h('button', { type: 'button', class: 'button link', hidden: true, dataset: { testid: 'inbox-more' } },
    t('inbox.older'));
  const state = { first: [], older: [], next: null, olderNext: undefined, signature: '' };
  shell.main.replaceChildren(
    h('header', { class: 'chat-head' }, h('h2', {}, t('inbox.title')),
      h('span', { class: 'muted' }, t('inbox.subtitle'))),
    list,
    h('footer', { class: 'composer' },
      h('button', { type: 'button', class: 'send-packet-button', dataset: { testid: 'send-to-friend' },
        onclick: () => openFriendDialog({ balance: shell.balance() }).catch(showTrouble) },
      h('span', { class: 'mini-packet', 'aria-hidden': 'true' }), t('inbox.send'))));
  list.after(more);
  more.addEventListener('click', async () => {
    more.disabled = true;
    try {
      const cursor = state.olderNext === undefined ? state.next : state.olderNext;
      const page = await asUser('GET', '/v1/inbox?limit=' + PAGE_SIZE + '&before=' + encodeURIComponent(cursor));
      state.older = [...state.older, ...page.items];
      state.olderNext = page.next;
      draw(list, more, state);
    } catch (error) {
      showTrouble(error);
    } finally {
      more.disabled = false;
    }
  });

  shell.groups.catch(showTrouble); // the names of the senders
  return live(async () => {
    try {
      const [page] = await Promise.all([asUser('GET', '/v1/inbox?limit=' + PAGE_SIZE), shell.refresh()]);
      state.first = page.items;
      state.next = page.next;
      draw(list, more, state);
      clearBanner(true);
    } catch (error) {
      showTrouble(error);
    }
  });
}

/** The first page and the older ones loaded so far, each packet once; redrawn only when something visible changed. */
function draw(list, more, state) {
  const seen = new Set(state.first.map((p) => p.id));
  const packets = [...state.first, ...state.older.filter((p) => !seen.has(p.id))];
  more.hidden = (state.olderNext === undefined ? state.next : state.olderNext) === null;
  const signature = JSON.stringify(packets.map((p) => [p.id, p.status, p.openedCount, !!p.myClaim]));
  if (signature === state.signature) {
    return;
  }
  state.signature = signature;
  const me = session.user().userId;
  list.replaceChildren(...(packets.length === 0
    ? [h('div', { class: 'empty' }, h('p', {}, t('inbox.empty')),
      h('p', { class: 'muted' }, t('inbox.emptyHint')))]
    : packets.map((p) => bubble(p, me, () => openPacketDialog(p)))));
}
