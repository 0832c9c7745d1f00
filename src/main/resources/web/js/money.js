// Yuan <-> fen without floating point: amounts travel as integer fen; yuan exist only as text at the edges.
// Every number here stays an integer far below 2^53 (at most 999,999,999.99 yuan), so Number arithmetic is exact.

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

/** Rewrites "… 300 fen …" and "1..20000 fen" in a server message as "… ¥3.00 …", "¥0.01..¥200.00". */
export function fenInTextAsYuan(message) {
  const yuan = (digits) => '¥' + formatFen(Number(digits));
  return String(message)
    .replace(/\b(\d{1,15})\.\.(\d{1,15}) fen\b/g, (_, low, high) => yuan(low) + '..' + yuan(high))
    .replace(/\b(\d{1,15}) fen\b/g, (_, digits) => yuan(digits));
}
