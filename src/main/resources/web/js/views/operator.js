// The operator's view: live opens/s, queue depth, batch sizes and commit latency (GET /v1/admin/summary, every
// second), the ledger audit (GET /v1/admin/audit, every 10 s: it scans), the last expiry refunds and the webhooks
// (webhooks.js). The admin key is typed in by the operator and kept in this tab's sessionStorage only.
import { ApiError, asAdmin, call, session } from '../api.js';
import { every, h, shortTime } from '../dom.js';
import { formatFen } from '../money.js';
import { banner, clearBanner } from '../ui.js';
import { webhookPanel } from './webhooks.js';

const POLL_MS = 1000;
const AUDIT_EVERY_MS = 10_000;
const HISTORY = 60;
const SVG = 'http://www.w3.org/2000/svg';
// Recent percentiles and maxima outlive the traffic they describe by a minute or two: idle, the page says so instead.
const IDLE = 'no opens in the last minute';

export function renderOperator(root) {
  if (!session.adminKey()) {
    renderKeyForm(root);
    return () => {};
  }
  return renderDashboard(root);
}

function renderKeyForm(root) {
  const input = h('input', { id: 'admin-key', type: 'password', autocomplete: 'off', 'aria-describedby': 'admin-key-error' });
  const error = h('div', { id: 'admin-key-error', class: 'field-error', role: 'alert' });
  const form = h('form', { class: 'login-card', novalidate: true }, h('h1', {}, 'Operator view'),
    h('p', { class: 'muted' }, 'Live engine figures, the ledger audit and the last refunds. Needs the admin key '
      + '(HONGBAO_ADMIN_KEY or data/admin.key); it stays in this browser tab only.'),
    h('div', { class: 'field' }, h('label', { for: 'admin-key' }, 'Admin key'), input, error),
    h('button', { type: 'submit', class: 'button', dataset: { testid: 'admin-key-submit' } }, 'Show the operator view'),
    h('p', { class: 'login-foot' }, h('a', { href: '#/chat' }, '‹ Back to the chat')));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    error.textContent = '';
    const key = input.value.trim();
    if (!key) {
      error.textContent = 'Enter the admin key.';
      return;
    }
    try {
      await call('GET', '/v1/admin/summary', { bearer: key });
      session.setAdminKey(key);
      root.replaceChildren();
      window.dispatchEvent(new HashChangeEvent('hashchange'));
    } catch (failure) {
      error.textContent = failure.code === 'UNAUTHENTICATED' ? 'This is not the admin key.' : failure.message;
    }
  });
  root.append(h('div', { class: 'login-page' }, form));
  input.focus();
}

function renderDashboard(root) {
  const cell = (testid) => h('span', { dataset: { testid } }, '–');
  const v = {
    opensPerSecond: cell('opens-per-second'), otherRates: h('div', { class: 'card-sub' }),
    queueDepth: cell('queue-depth'), queueWorkers: h('div', { class: 'card-sub' }),
    backlog: cell('journal-backlog'), backlogSets: h('div', { class: 'card-sub' }),
    batchMean: cell('batch-size'), batchRecent: h('div', { class: 'card-sub' }),
    commitMean: cell('commit-latency'), commitRecent: h('div', { class: 'card-sub' }),
    idle: h('div', { class: 'muted', dataset: { testid: 'opens-idle' } }, IDLE),
    outcomes: h('table', { class: 'mini-table' }),
    audit: h('div', { class: 'audit', dataset: { testid: 'audit' } }, 'Checking…'),
    refunds: h('div', { dataset: { testid: 'refunds' } }),
    spark: document.createElementNS(SVG, 'svg'),
  };
  v.spark.setAttribute('viewBox', '0 0 ' + (HISTORY - 1) + ' 30');
  v.spark.setAttribute('preserveAspectRatio', 'none');
  v.spark.setAttribute('class', 'spark');
  const webhooks = webhookPanel(trouble);
  const card = (title, ...body) => h('section', { class: 'card' }, h('h2', {}, title), ...body);
  root.append(h('div', { class: 'operator' },
    h('header', { class: 'op-head' }, h('h1', {}, 'hongbao operator'),
      h('nav', {}, h('a', { href: '#/chat' }, 'Chat'),
        h('button', { type: 'button', class: 'button link', onclick: () => {
          session.clearAdminKey();
          window.dispatchEvent(new HashChangeEvent('hashchange'));
        } }, 'Forget key'))),
    h('div', { class: 'cards' },
      card('Opens / s', h('div', { class: 'big' }, v.opensPerSecond), v.spark, v.idle, v.otherRates),
      card('Queue depth', h('div', { class: 'big' }, v.queueDepth), v.queueWorkers),
      card('Journal backlog (opens not yet derived)', h('div', { class: 'big' }, v.backlog), v.backlogSets),
      card('Batch size', h('div', { class: 'big' }, v.batchMean), v.batchRecent),
      card('Commit latency', h('div', { class: 'big' }, v.commitMean), v.commitRecent),
      card('Ledger audit', v.audit, h('button', { type: 'button', class: 'button secondary small',
        onclick: () => audit(v.audit) }, 'Run the audit now')),
      card('Open outcomes (since start: ok, or why refused)', v.outcomes)),
    h('section', { class: 'card wide' }, h('h2', {}, 'Last expiry refunds (since this server started)'), v.refunds),
    webhooks.panel));

  let previous;
  const history = [];
  const stopSummary = every(POLL_MS, async () => {
    let s;
    try {
      s = await asAdmin('GET', '/v1/admin/summary');
      clearBanner(true);
    } catch (error) {
      return trouble(error);
    }
    const now = performance.now();
    showSummary(v, s, previous && { dt: (now - previous.at) / 1000, before: previous.s }, history);
    previous = { at: now, s };
  });
  const stopAudit = every(AUDIT_EVERY_MS, () => audit(v.audit));
  return () => {
    stopSummary();
    stopAudit();
    webhooks.stop();
  };
}

function showSummary(v, s, interval, history) {
  const ok = (counts) => counts.ok ?? 0;
  const sum = (counts) => Object.values(counts).reduce((a, b) => a + b, 0);
  if (interval && interval.dt > 0) {
    const rate = (now, before) => (now - before) / interval.dt;
    const opens = rate(ok(s.opens), ok(interval.before.opens));
    history.push(opens);
    if (history.length > HISTORY) {
      history.shift();
    }
    v.opensPerSecond.textContent = opens.toFixed(opens < 10 ? 1 : 0);
    v.otherRates.textContent = 'grabs/s ' + rate(sum(s.grabs), sum(interval.before.grabs)).toFixed(1)
      + ' · sends/s ' + rate(ok(s.sends), ok(interval.before.sends)).toFixed(1)
      + ' · refused opens/s ' + rate(sum(s.opens) - ok(s.opens), sum(interval.before.opens) - ok(interval.before.opens)).toFixed(1);
    const batches = s.batchSize.count - interval.before.batchSize.count;
    v.batchMean.textContent = batches > 0 ? ((s.batchSize.total - interval.before.batchSize.total) / batches).toFixed(1) : '–';
    v.commitMean.textContent = batches > 0
      ? ((s.commitLatencyMs.total - interval.before.commitLatencyMs.total) / batches).toFixed(2) + ' ms' : '–';
    drawSpark(v.spark, history);
  }
  v.queueDepth.textContent = String(s.queueDepth.total);
  v.queueWorkers.textContent = Object.entries(s.queueDepth.workers).map(([w, d]) => 'worker ' + w + ': ' + d).join(' · ');
  v.backlog.textContent = String(s.journalBacklog.total);
  v.backlogSets.textContent = Object.entries(s.journalBacklog.sets).map(([set, n]) => 'SET ' + set + ': ' + n).join(' · ');
  const idle = !s.openedLastMinute;
  v.idle.hidden = !idle;
  v.spark.style.display = idle ? 'none' : '';
  v.batchRecent.textContent = idle ? IDLE + ' · ' + s.batchSize.count + ' batches in all'
    : 'mean of the last second; recent p50 ' + s.batchSize.p50.toFixed(0) + ' · p99 ' + s.batchSize.p99.toFixed(0)
      + ' · max ' + s.batchSize.max.toFixed(0) + ' · ' + s.batchSize.count + ' batches in all';
  v.commitRecent.textContent = idle ? IDLE
    : 'mean of the last second; recent p50 ' + s.commitLatencyMs.p50.toFixed(2) + ' · p99 '
      + s.commitLatencyMs.p99.toFixed(2) + ' · max ' + s.commitLatencyMs.max.toFixed(2) + ' ms';
  v.outcomes.replaceChildren(...Object.entries(s.opens).map(([outcome, n]) =>
    h('tr', {}, h('th', {}, outcome.replaceAll('_', ' ')), h('td', {}, String(n)))));
  if (Object.keys(s.opens).length === 0) {
    v.outcomes.replaceChildren(h('tr', {}, h('td', { class: 'muted' }, 'No opens yet.')));
  }
  v.refunds.replaceChildren(s.recentRefunds.length === 0
    ? h('p', { class: 'muted' }, 'None yet. Packets not all opened within their lifetime are refunded here.')
    : h('table', { class: 'table' }, h('thead', {}, h('tr', {}, h('th', {}, 'At'), h('th', {}, 'Packet'), h('th', {}, 'Sender'),
      h('th', {}, 'Group'), h('th', { class: 'num' }, 'Refunded'))),
    h('tbody', {}, s.recentRefunds.map((r) => h('tr', {}, h('td', {}, shortTime(r.at)), h('td', { class: 'mono' }, r.packetId),
      h('td', {}, r.senderId), h('td', {}, r.groupId ?? '—'), h('td', { class: 'num' }, '¥' + formatFen(r.amount)))))));
}

function drawSpark(svg, history) {
  const max = Math.max(1, ...history);
  const offset = HISTORY - history.length;
  const points = history.map((value, i) => (offset + i) + ',' + (29 - (value / max) * 28).toFixed(2)).join(' ');
  const line = document.createElementNS(SVG, 'polyline');
  line.setAttribute('points', points);
  svg.replaceChildren(line);
}

async function audit(el) {
  try {
    const report = await asAdmin('GET', '/v1/admin/audit');
    el.replaceChildren(
      h('div', { class: 'big ' + (report.balanced ? 'good' : 'bad'), dataset: { testid: 'audit-balanced' } },
        report.balanced ? '✓ balanced' : '✗ NOT balanced'),
      h('table', { class: 'mini-table' },
        h('tr', {}, h('th', {}, 'user wallets'), h('td', {}, '¥' + formatFen(report.totalUserBalance))),
        h('tr', {}, h('th', {}, 'in escrow (live packets)'), h('td', {}, '¥' + formatFen(report.escrow))),
        // external is the other side of every deposit and withdrawal: negative by exactly the money that is in
        h('tr', {}, h('th', {}, 'came in from outside'), h('td', {}, '¥' + formatFen(-report.external))),
        h('tr', {}, h('th', {}, 'accounts · transfers'), h('td', {}, report.accounts + ' · ' + report.transfers))),
      h('ul', { class: 'problems', hidden: report.problems.length === 0 }, report.problems.map((p) => h('li', {}, p))),
      h('div', { class: 'card-sub' }, 'checked at ' + shortTime(new Date().toISOString())));
  } catch (error) {
    trouble(error);
  }
}

function trouble(error) {
  if (error instanceof ApiError && error.code === 'UNAUTHENTICATED') {
    session.clearAdminKey();
    window.dispatchEvent(new HashChangeEvent('hashchange'));
    banner('The admin key was not accepted. Enter it again.', 'error');
    return;
  }
  banner(error instanceof ApiError ? error.message : String(error), 'error');
}
