// Who is who: the logged-in user's groups and the names of their members, loaded from GET /v1/groups.
import { asUser, session } from './api.js';

const names = new Map();
let groups = [];

export async function loadGroups() {
  const answer = await asUser('GET', '/v1/groups');
  groups = answer.items;
  for (const group of groups) {
    for (const member of group.members) {
      names.set(member.userId, member.name);
    }
  }
  const me = session.user();
  if (me?.name) {
    names.set(me.userId, me.name);
  }
  return groups;
}

export function knownGroups() {
  return groups;
}

export function nameOf(userId) {
  return names.get(userId) ?? userId;
}

/** A packet's (or record line's) sender as the API names it: a merchant by its send_name, never by its wallet id. */
export function senderOf(packet) {
  return packet.senderName ?? nameOf(packet.senderId);
}
