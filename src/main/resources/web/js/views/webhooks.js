// The operator's webhook panel (GET /v1/admin/webhooks, every 2 s): per endpoint how far each SET's log is delivered,
// the backlog, since when delivery fails, and the dead letters, each with a button that replays from it
// (POST /v1/admin/webhooks/replay; docs/events.md).
import { asAdmin } from '../api.js';
import { every, h, shortTime } from '../dom.js';

const POLL_MS = 2000;

/** The panel and its poll; returns what stops the poll. onTrouble gets a failed call's error. */
export function webhookPanel(onTrouble) {
  const body = h('div', { dataset: { testid: 'webhooks' } }, 'Loading…');
  const panel = h('section', { class: 'card wide' }, h('h2', {}, 'Webhooks'), body);
  const refresh = async () => {
    try {
      show(body, endpoints((await asAdmin('GET', '/v1/admin/webhooks')).items), refresh, onTrouble);
    } catch (error) {
      onTrouble(error);
    }
  };
  const stop = every(POLL_MS, refresh);
  return { panel, stop };
}

/** The per-SET rows grouped by endpoint, in the order the server lists them. */
function endpoints(items) {
  const byUrl = new Map();
  for (const item of items) {
    byUrl.set(item.url, [...(byUrl.get(item.url) ?? []), item]);
  }
  return [...byUrl.entries()].map(([url, sets]) => ({
    url,
    sets,
    backlog: sets.reduce((sum, s) => sum + s.backlog, 0),
    failingSince: sets.map((s) => s.failingSince).filter(Boolean).sort()[0],
    deadLetters: sets.flatMap((s) => s.deadLetters),
  }));
}

function show(body, list, refresh, onTrouble) {
  if (list.length === 0) {
    body.replaceChildren(h('p', { class: 'muted' }, 'No webhook endpoints (HONGBAO_WEBHOOK_URLS is not set).'));
    return;
  }
  body.replaceChildren(...list.map((e) => h('div', { class: 'webhook', dataset: { testid: 'webhook', url: e.url } },
    h('div', { class: 'mono' }, e.url),
    h('table', { class: 'mini-table' },
      h('tr', {}, h('th', {}, 'delivered through'), h('td', { dataset: { testid: 'webhook-delivered' } },
        e.sets.map((s) => 'SET ' + s.set + ': ' + s.deliveredThrough + ' of ' + s.lastSeq).join(' · '))),
      h('tr', {}, h('th', {}, 'backlog'), h('td', { dataset: { testid: 'webhook-backlog' } }, String(e.backlog))),
      h('tr', {}, h('th', {}, 'failing since'), h('td', { dataset: { testid: 'webhook-failing' },
        class: e.failingSince ? 'bad' : '' }, e.failingSince ? shortTime(e.failingSince) : '—')),
      h('tr', {}, h('th', {}, 'dead letters'), h('td', { dataset: { testid: 'webhook-dead-count' } }, String(e.deadLetters.length)))),
    e.deadLetters.length === 0 ? null : h('table', { class: 'table' },
      h('thead', {}, h('tr', {}, h('th', {}, 'Event'), h('th', {}, 'Given up at'), h('th', {}, 'Attempts'),
        h('th', {}, 'Last error'), h('th', {}))),
      h('tbody', {}, e.deadLetters.map((d) => h('tr', { dataset: { testid: 'dead-letter', eventId: d.eventId } },
        h('td', { class: 'mono' }, d.eventId), h('td', {}, shortTime(d.at)), h('td', { class: 'num' }, String(d.attempts)),
        h('td', {}, d.lastError),
        h('td', {}, h('button', { type: 'button', class: 'button secondary small', dataset: { testid: 'replay' },
          onclick: () => replay(e.url, d.eventId).then(refresh, onTrouble) }, 'Replay from here')))))))));
}

async function replay(url, fromEventId) {
  await asAdmin('POST', '/v1/admin/webhooks/replay', { body: { url, fromEventId } });
}
