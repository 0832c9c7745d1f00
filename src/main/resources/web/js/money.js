// Yuan <-> fen without floating point: amounts travel as integer fen; yuan exist only as text at the edges.
// Every number here stays an integer far below 2^53 (at most 999,999,999.99 yuan), so Number arithmetic is exact.
// Amounts are shown one way per language, whatever the page: "¥8.88" in English, "8.88元" in Chinese (as WeChat
// writes them); money() and moneyFigure() are that one way, and every user's page shows amounts through them (the
// operator view, English only, writes "¥" itself).
import { h } from './dom.js';
import { language } from './i18n.js';

const YUAN = /^\d{1,9}(\.\d{1,2})?$/;

/** Parses "12.34" (also "12", "12.3", " 012.30 ") into {fen: 1234}; anything else into {error: i18n key}. */
export function parseYuan(text) {
  const s = String(text ?? '').trim();
  if (s === '') {
    return { error: 'check.yuanEmpty' };
  }
  if (!YUAN.test(s)) {
    return { error: 'check.yuanFormat' };
  }
  const [whole, fraction = ''] = s.split('.');
  // Digit strings to integers: "12" -> 12, "3" -> "30" -> 30 (tenths), never 12.3 * 100.
  return { fen: Number(whole) * 100 + Number((fraction + '00').slice(0, 2)) };
}

/** Formats integer fen as yuan with exactly two decimals: 1234 -> "12.34", -5 -> "-0.05". */
export function formatFen(fen) {
  if (!Number.isSafeInteger(fen)) {
    throw new TypeError('fen must be a safe integer, got ' + fen);
  }
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(fen);
  return sign + Math.floor(abs / 100) + '.' + String(abs % 100).padStart(2, '0');
}

/** The parts of an amount as the language writes it: {sign, currency, number, unit}; signed: "+" before a gain. */
function moneyParts(fen, signed) {
  const zh = language() === 'zh';
  return {
    sign: fen < 0 ? '-' : signed && fen > 0 ? '+' : '',
    currency: zh ? '' : '¥',
    number: formatFen(Math.abs(fen)),
    unit: zh ? '元' : '',
  };
}

/** Integer fen as money to read: 888 -> "¥8.88" / "8.88元"; signed, a gain reads "+¥8.88" / "+8.88元". */
export function money(fen, { signed = false } = {}) {
  const p = moneyParts(fen, signed);
  return p.sign + p.currency + p.number + p.unit;
}

/**
 * The same as money(), as elements to style: the currency sign and the unit in their own spans (smaller in a big
 * figure), the number in a span carrying testid.
 */
export function moneyFigure(fen, { testid, signed = false } = {}) {
  const p = moneyParts(fen, signed);
  return h('span', { class: 'money' }, p.sign, p.currency && h('span', { class: 'currency' }, p.currency),
    h('span', { class: 'money-number', dataset: testid && { testid } }, p.number),
    p.unit && h('span', { class: 'unit' }, p.unit));
}

/** Rewrites "… 300 fen …" and "1..20000 fen" in a server message as "… ¥3.00 …", "¥0.01..¥200.00" (see money). */
export function fenInTextAsYuan(message) {
  const yuan = (digits) => money(Number(digits));
  return String(message)
    .replace(/\b(\d{1,15})\.\.(\d{1,15}) fen\b/g, (_, low, high) => yuan(low) + '..' + yuan(high))
    .replace(/\b(\d{1,15}) fen\b/g, (_, digits) => yuan(digits));
}
