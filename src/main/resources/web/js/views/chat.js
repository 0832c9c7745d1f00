// The chat page: the shell (wallet, 红包 for you, groups) on the side, the group's red packets as a timeline of
// bubbles. The timeline and the balance are polled every two seconds, so packets others send or open show up by themselves.
import { asUser, session } from '../api.js';
import { avatar, every, h, shortTime } from '../dom.js';
import { nameOf } from '../people.js';
import { clearBanner, showTrouble } from '../ui.js';
import { renderShell } from './shell.js';
import { openSendDialog } from './send-dialog.js';
import { openPacketDialog } from './open-dialog.js';

const POLL_MS = 2000;
const TIMELINE_SIZE = 30;

export function renderChat(root, requestedGroupId) {
  const shell = renderShell(root, requestedGroupId);
  const main = shell.main;
  let stopPolling = () => {};
  let stopped = false;
  const state = { packets: [], group: null, signature: '' };

  (async () => {
    let groups;
    try {
      groups = await shell.groups;
    } catch (error) {
      return showTrouble(error);
    }
    if (stopped) {
      return;
    }
    const group = groups.find((g) => g.groupId === requestedGroupId) ?? groups[0];
    shell.markGroup(group?.groupId);
    if (!group) {
      main.replaceChildren(h('div', { class: 'empty pad' }, h('h2', {}, 'No groups yet'),
        h('p', { class: 'muted' }, 'An admin adds you to a group with POST /v1/admin/groups.'),
        h('p', {}, h('a', { href: '#/inbox' }, '红包 for you ›'))));
      stopPolling = every(POLL_MS, () => shell.refresh().catch(showTrouble));
      return;
    }
    state.group = group;
    const timeline = h('div', { class: 'timeline', dataset: { testid: 'timeline' }, 'aria-live': 'polite' });
    main.replaceChildren(
      h('header', { class: 'chat-head' }, h('h2', {}, group.name),
        h('span', { class: 'muted' }, group.members.length + ' members')),
      timeline,
      h('footer', { class: 'composer' },
        h('button', { type: 'button', class: 'send-packet-button', dataset: { testid: 'send-packet' },
          onclick: () => openSendDialog({
            group,
            balance: shell.balance(),
            onSent: (packet) => {
              // shown at once as the newest; the next poll brings the server's view of it
              state.packets = [...state.packets.filter((p) => p.id !== packet.id), packet];
              renderTimeline(timeline, state, true);
              shell.refresh().catch(showTrouble);
            },
          }).catch(showTrouble) },
        h('span', { class: 'mini-packet', 'aria-hidden': 'true' }), 'Send red packet 发红包')));
    stopPolling = every(POLL_MS, async () => {
      try {
        await Promise.all([refreshTimeline(timeline, state), shell.refresh()]);
        clearBanner(true);
      } catch (error) {
        showTrouble(error);
      }
    });
  })();

  return () => {
    stopped = true;
    stopPolling();
  };
}

async function refreshTimeline(timeline, state) {
  const page = await asUser('GET', '/v1/groups/' + encodeURIComponent(state.group.groupId) + '/packets?limit=' + TIMELINE_SIZE);
  // The server's order (newest first) is the truth; the chat shows it oldest first.
  state.packets = page.items.slice().reverse();
  renderTimeline(timeline, state, false);
}

/** Redraws only when something visible changed, keeping the view at the bottom if it was there. */
function renderTimeline(timeline, state, scrollToEnd) {
  const packets = state.packets;
  const signature = JSON.stringify(packets.map((p) => [p.id, p.status, p.openedCount, !!p.myClaim]));
  if (signature === state.signature) {
    return;
  }
  const atEnd = timeline.scrollHeight - timeline.scrollTop - timeline.clientHeight < 40;
  state.signature = signature;
  const me = session.user().userId;
  timeline.replaceChildren(...(packets.length === 0
    ? [h('div', { class: 'empty' }, h('p', {}, 'No red packets here yet.'), h('p', { class: 'muted' }, 'Send the first one!'))]
    : packets.map((p) => bubble(p, me, () => openPacketDialog(p)))));
  if (scrollToEnd || atEnd || state.firstDraw !== false) {
    timeline.scrollTop = timeline.scrollHeight;
    state.firstDraw = false;
  }
}

/** A red packet as a chat message; onOpen runs when it is tapped. */
export function bubble(packet, me, onOpen) {
  const mine = packet.senderId === me;
  const done = packet.myClaim || packet.status !== 'ACTIVE';
  return h('div', { class: 'msg ' + (mine ? 'mine' : 'theirs') },
    avatar(packet.senderId, nameOf(packet.senderId)),
    h('div', { class: 'msg-body' },
      h('div', { class: 'msg-meta' }, h('span', {}, nameOf(packet.senderId)), h('time', {}, shortTime(packet.createdAt))),
      h('button', { type: 'button', class: 'packet-bubble' + (done ? ' done' : ''), onclick: onOpen,
        dataset: { testid: 'packet-bubble', packetId: packet.id, status: packet.status },
        'aria-label': 'Red packet from ' + nameOf(packet.senderId) + ': ' + (packet.greeting || '') + ', ' + bubbleState(packet) },
      h('span', { class: 'pb-main' },
        h('span', { class: 'pb-icon', 'aria-hidden': 'true' }),
        h('span', { class: 'pb-text' }, h('span', { class: 'pb-greeting' }, packet.greeting || '恭喜发财，大吉大利'),
          h('span', { class: 'pb-state' }, bubbleState(packet)))),
      h('span', { class: 'pb-foot' }, packet.kind === 'GROUP_LUCKY' ? 'Lucky red packet 拼手气红包' : 'Red packet 红包'))));
}

function bubbleState(packet) {
  if (packet.myClaim) {
    return 'Opened 已领取';
  }
  switch (packet.status) {
    case 'FINISHED': return 'All opened 已被领完';
    case 'EXPIRED': return 'Expired 已过期';
    case 'CANCELLED': return 'Cancelled 已取消';
    case 'UNPAID': return 'Awaiting payment';
    default: return 'Open it 领取红包';
  }
}
