// Send to a friend (a PERSONAL packet): pick someone from my groups or type a user id, the amount in yuan and a
// greeting. Checked here in fen with the server's limits first; the server's refusals are shown next to their field.
// Sent, the packet shows in the 1:1 chat with that friend, as in WeChat.
import { ApiError, asUser, config, idempotencyKey, session } from '../api.js';
import { h } from '../dom.js';
import { fenInTextAsYuan, money } from '../money.js';
import { t } from '../i18n.js';
import { knownGroups, nameOf } from '../people.js';
import { modal } from '../ui.js';
import { check } from './send-dialog.js';

/** to: the friend, already chosen (from their 1:1 chat); onSent(packet): instead of going to that chat. */
export async function openFriendDialog({ balance, to: chosen, onSent }) {
  const limits = (await config()).limits;
  const key = idempotencyKey(); // one per dialog: resubmitting after a lost answer cannot send twice
  const me = session.user().userId;
  const friends = [...new Set(knownGroups().flatMap((g) => g.members.map((m) => m.userId)))]
    .filter((userId) => userId !== me)
    .sort((a, b) => nameOf(a).localeCompare(nameOf(b)));
  const field = (name, label, input) => {
    const error = h('div', { id: 'friend-' + name + '-error', class: 'field-error', role: 'alert' });
    input.id = 'friend-' + name;
    input.setAttribute('aria-describedby', error.id);
    return { el: h('div', { class: 'field' }, h('label', { for: input.id }, label), input), error, input };
  };
  const to = field('to', t('friend.to'), h('input', { list: 'friend-choices', autocomplete: 'off', spellcheck: 'false',
    placeholder: t('friend.toPlaceholder'), value: chosen }));
  const amount = field('amount', t('friend.amount'), h('input', { inputmode: 'decimal', autocomplete: 'off', placeholder: '0.00' }));
  const greeting = field('greeting', t('send.greeting'), h('input', { autocomplete: 'off', placeholder: t('greeting.default') }));
  const fields = { to, amount, greeting };
  const formError = h('div', { class: 'form-error', role: 'alert' });
  const submit = h('button', { type: 'submit', class: 'button gold wide', dataset: { testid: 'friend-submit' } },
    t('send.submit'));
  const choices = h('datalist', { id: 'friend-choices' },
    friends.map((userId) => h('option', { value: userId }, nameOf(userId))));
  const picker = friends.length > 0 && h('div', { class: 'friend-picker' }, friends.map((userId) =>
    h('button', { type: 'button', class: 'chip', dataset: { testid: 'friend-choice', userId },
      onclick: () => { to.input.value = userId; showErrors({}); } }, nameOf(userId))));

  const showErrors = (found) => {
    for (const [name, f] of Object.entries(fields)) {
      f.error.textContent = found[name] ?? '';
      f.input.toggleAttribute('aria-invalid', !!found[name]);
    }
  };
  const form = h('form', { class: 'send-form', novalidate: true },
    h('h2', {}, t('friend.title')),
    to.el, picker, to.error, choices,
    amount.el, amount.error, greeting.el, greeting.error,
    formError, submit,
    h('button', { type: 'button', class: 'button link', onclick: () => dialog.close() }, t('send.cancel')));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    formError.textContent = '';
    const toUserId = to.input.value.trim();
    const checked = check({ kind: 'PERSONAL', count: '1', amount: amount.input.value, greeting: greeting.input.value },
      limits, balance);
    const errors = { ...checked.errors };
    if (!toUserId) {
      errors.to = t('friend.pick');
    } else if (toUserId === me) {
      errors.to = t('friend.self');
    }
    showErrors(errors);
    const firstWrong = Object.keys(fields).find((name) => errors[name]);
    if (firstWrong) {
      fields[firstWrong].input.focus();
      return;
    }
    submit.disabled = true;
    try {
      const packet = await asUser('POST', '/v1/packets', {
        headers: { 'Idempotency-Key': key },
        body: { ...checked.order, toUserId },
      });
      dialog.close();
      if (onSent) {
        onSent(packet);
      } else {
        location.hash = '#/dm/' + encodeURIComponent(toUserId);
      }
    } catch (error) {
      const message = error instanceof ApiError ? fenInTextAsYuan(error.message) : String(error);
      if (error instanceof ApiError && error.code === 'NOT_FOUND') {
        showErrors({ to: t('friend.noUser', { id: toUserId }) });
      } else if (error instanceof ApiError && error.code === 'INSUFFICIENT_BALANCE') {
        showErrors({ amount: balance === undefined ? t('check.balanceUnknown') : t('check.balance', { amount: money(balance) }) });
      } else {
        formError.textContent = message;
      }
    } finally {
      submit.disabled = false;
    }
  });
  const dialog = modal(h('div', { class: 'sheet' }, form), { label: t('friend.title') });
  (chosen ? amount : to).input.focus();
}
