// The 1:1 chat (#/dm/{userId}): the personal packets two people sent each other, either way, as WeChat shows them in
// their chat: both see each bubble with its status, and the lines "Bob opened your red packet" / "You opened Alice's
// red packet". Refreshed on the user's events like a group chat; Send red packet here sends to this person.
import { asUser, session } from '../api.js';
import { h } from '../dom.js';
import { nameOf } from '../people.js';
import { t } from '../i18n.js';
import { clearBanner, showTrouble } from '../ui.js';
import { bubble, renderTimeline } from './chat.js';
import { openFriendDialog } from './friend-dialog.js';
import { openPacketDialog } from './open-dialog.js';
import { renderShell } from './shell.js';
import { live } from '../events.js';

const TIMELINE_SIZE = 30;

export function renderDirectChat(root, otherId) {
  const shell = renderShell(root, 'dm');
  const me = session.user().userId;
  const state = { packets: [], signature: '' };
  const title = h('h2', { dataset: { testid: 'dm-title' } }, nameOf(otherId));
  const timeline = h('div', { class: 'timeline', dataset: { testid: 'dm-timeline', userId: otherId }, 'aria-live': 'polite' });
  const options = {
    empty: [h('p', {}, t('dm.empty')), h('p', { class: 'muted' }, t('chat.emptyHint'))],
    // My own packet opens its details (nothing for me to open in it); theirs the envelope with 開.
    bubbleOf: (p) => bubble(p, me, () => (p.senderId === me
      ? (location.hash = '#/packet/' + encodeURIComponent(p.id)) : openPacketDialog(p)), { chatLink: false }),
  };
  shell.main.replaceChildren(
    h('header', { class: 'chat-head' }, title, h('span', { class: 'muted' }, t('dm.subtitle'))),
    timeline,
    h('footer', { class: 'composer' },
      h('button', { type: 'button', class: 'send-packet-button', dataset: { testid: 'dm-send' },
        onclick: () => openFriendDialog({
          balance: shell.balance(),
          to: otherId,
          onSent: (packet) => {
            state.packets = [...state.packets.filter((p) => p.id !== packet.id), packet];
            renderTimeline(timeline, state, true, options);
            shell.refresh().catch(showTrouble);
          },
        }).catch(showTrouble) },
      h('span', { class: 'mini-packet', 'aria-hidden': 'true' }), t('chat.send'))));
  let stopPolling = () => {};
  let stopped = false;
  // Names come with my groups: the chat waits for them, so that it shows names, not ids.
  shell.groups.catch(showTrouble).finally(() => {
    title.textContent = nameOf(otherId);
    if (!stopped) {
      stopPolling = live(poll);
    }
  });
  const poll = async () => {
    try {
      const [page] = await Promise.all([
        asUser('GET', '/v1/chats/' + encodeURIComponent(otherId) + '/packets?limit=' + TIMELINE_SIZE), shell.refresh()]);
      // The server's order (newest first) is the truth; the chat shows it oldest first.
      state.packets = page.items.slice().reverse();
      renderTimeline(timeline, state, false, options);
      clearBanner(true);
    } catch (error) {
      showTrouble(error);
    }
  };
  return () => {
    stopped = true;
    stopPolling();
  };
}
