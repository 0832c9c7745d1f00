// The chat page: the shell (wallet, 红包 for you, groups) on the side, the group's red packets as a timeline of
// bubbles. The timeline and the balance are refreshed on each of the user's events (events.js), so packets others
// send or open show up by themselves.
import { asUser, session } from '../api.js';
import { avatar, h, shortTime } from '../dom.js';
import { nameOf, senderOf } from '../people.js';
import { duration, t } from '../i18n.js';
import { clearBanner, showTrouble } from '../ui.js';
import { openSendDialog } from './send-dialog.js';
import { openPacketDialog } from './open-dialog.js';
import { HOME, renderShell } from './shell.js';
import { live } from '../events.js';

/** Merchants send from a wallet user named mch.{mchId}: not a person to chat with. */
const MERCHANT_PREFIX = 'mch.';
const TIMELINE_SIZE = 30;

/** requestedGroupId undefined: the chat list (the home page): on a wide screen the first group beside it. */
export function renderChat(root, requestedGroupId) {
  const shell = renderShell(root, requestedGroupId ?? HOME);
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
      main.replaceChildren(h('div', { class: 'empty pad' }, h('h2', {}, t('chat.noGroups')),
        h('p', { class: 'muted' }, t('chat.noGroupsHint')),
        h('p', {}, h('a', { href: '#/inbox' }, t('shell.inbox') + ' ›'))));
      stopPolling = live(() => shell.refresh().catch(showTrouble));
      return;
    }
    state.group = group;
    const timeline = h('div', { class: 'timeline', dataset: { testid: 'timeline' }, 'aria-live': 'polite' });
    main.replaceChildren(
      h('header', { class: 'chat-head' }, h('h2', {}, group.name),
        h('span', { class: 'muted' }, t('chat.members', { n: group.members.length }))),
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
        h('span', { class: 'mini-packet', 'aria-hidden': 'true' }), t('chat.send'))));
    stopPolling = live(async () => {
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

/**
 * Redraws only when something visible changed, keeping the view at the bottom if it was there. options: empty, the
 * elements shown when there is no packet; bubbleOf, a packet's bubble.
 */
export function renderTimeline(timeline, state, scrollToEnd, options = {}) {
  const packets = state.packets;
  const signature = JSON.stringify(packets.map((p) => [p.id, p.status, p.openedCount, !!p.myClaim, p.claims?.length]));
  if (signature === state.signature) {
    return;
  }
  const atEnd = timeline.scrollHeight - timeline.scrollTop - timeline.clientHeight < 40;
  state.signature = signature;
  const me = session.user().userId;
  const empty = options.empty ?? [h('p', {}, t('chat.empty')), h('p', { class: 'muted' }, t('chat.emptyHint'))];
  timeline.replaceChildren(...(packets.length === 0
    ? [h('div', { class: 'empty' }, empty)]
    : messages(packets, me, options.bubbleOf).map((m) => m.element)));
  if (scrollToEnd || atEnd || state.firstDraw !== false) {
    timeline.scrollTop = timeline.scrollHeight;
    state.firstDraw = false;
  }
}

/**
 * The bubbles and, between them, the lines WeChat writes into the chat: who opened my packet (and whose I opened),
 * and when a packet was all opened; all in time order, a packet's lines after its bubble.
 */
function messages(packets, me, bubbleOf = (p) => bubble(p, me, () => openPacketDialog(p))) {
  const all = [];
  for (const p of packets) {
    all.push({ at: Date.parse(p.createdAt), element: bubbleOf(p) });
    for (const claim of p.claims ?? []) {
      if (p.senderId === me && claim.userId !== me) {
        all.push({ at: Date.parse(claim.at), element: chatLine('opened', t('chat.openedYours', { name: nameOf(claim.userId) })) });
      } else if (claim.userId === me && p.senderId !== me) {
        all.push({ at: Date.parse(claim.at), element: chatLine('opened', t('chat.youOpened', { name: senderOf(p) })) });
      }
    }
    if (p.status === 'FINISHED' && p.finishedAt && p.kind !== 'PERSONAL') {
      const took = duration(p.finishSeconds ?? 0);
      all.push({ at: Date.parse(p.finishedAt), element: chatLine('finished', p.senderId === me
        ? t('chat.yourAllOpened', { duration: took })
        : t('chat.allOpened', { name: senderOf(p), duration: took })) });
    }
  }
  // A stable sort: at equal times a packet's bubble stays before its lines.
  return all.sort((a, b) => a.at - b.at);
}

function chatLine(kind, text) {
  return h('div', { class: 'chat-line', dataset: { testid: 'chat-line', kind } },
    h('span', { class: 'mini-packet', 'aria-hidden': 'true' }), h('span', {}, text));
}

/**
 * A red packet as a chat message; onOpen runs when it is tapped. A personal packet between two people (not a
 * merchant's) links to their 1:1 chat, unless chatLink is false (in that chat itself).
 */
export function bubble(packet, me, onOpen, { chatLink = true } = {}) {
  const mine = packet.senderId === me;
  const done = packet.myClaim || packet.status !== 'ACTIVE';
  const other = chatLink && personalChatWith(packet, me);
  return h('div', { class: 'msg ' + (mine ? 'mine' : 'theirs') },
    avatar(packet.senderId, senderOf(packet)),
    h('div', { class: 'msg-body' },
      h('div', { class: 'msg-meta' }, h('span', {}, senderOf(packet)), h('time', {}, shortTime(packet.createdAt)),
        other && h('a', { class: 'msg-chat-link', href: '#/dm/' + encodeURIComponent(other),
          dataset: { testid: 'chat-link', userId: other } }, t('dm.link', { name: nameOf(other) }))),
      h('button', { type: 'button', class: 'packet-bubble' + (done ? ' done' : ''), onclick: onOpen,
        dataset: { testid: 'packet-bubble', packetId: packet.id, status: packet.status },
        'aria-label': t('bubble.label', { name: senderOf(packet), greeting: packet.greeting || '', state: bubbleState(packet, mine) }) },
      h('span', { class: 'pb-main' },
        h('span', { class: 'pb-icon', 'aria-hidden': 'true' }),
        h('span', { class: 'pb-text' }, h('span', { class: 'pb-greeting' }, packet.greeting || t('greeting.default')),
          h('span', { class: 'pb-state' }, bubbleState(packet, mine)))),
      h('span', { class: 'pb-foot' }, t(packet.kind === 'GROUP_LUCKY' ? 'bubble.lucky' : 'bubble.plain')))));
}

/** The other person of a personal packet between two users, or null (a group's packet, or a merchant's). */
export function personalChatWith(packet, me) {
  if (packet.kind !== 'PERSONAL' || packet.senderId.startsWith(MERCHANT_PREFIX)) {
    return null;
  }
  return packet.senderId === me ? packet.toUserId : packet.senderId;
}

function bubbleState(packet, mine) {
  // A claim of a cancelled packet never paid out: it reads as cancelled, not as opened.
  if (packet.myClaim?.status === 'CANCELLED') {
    return t('state.cancelled');
  }
  if (packet.myClaim) {
    return t('state.opened');
  }
  // My personal packet: there is nothing for me to open in it, only whether my friend did.
  if (mine && packet.kind === 'PERSONAL' && (packet.status === 'ACTIVE' || packet.status === 'FINISHED')) {
    return t(packet.status === 'ACTIVE' ? 'state.notOpenedYet' : 'state.openedByThem');
  }
  switch (packet.status) {
    case 'FINISHED': return t('state.finished');
    case 'EXPIRED': return t('state.expired');
    case 'CANCELLED': return t('state.cancelled');
    case 'UNPAID': return t('state.unpaid');
    default: return t('state.active');
  }
}
