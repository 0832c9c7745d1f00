// The send dialog: kind, count, amount in yuan, greeting, distinct. Everything is checked here first, in fen, with
// the server's limits (GET /v1/config); what only the server can judge comes back as an API error, which is shown
// next to the field it is about, never as a raw body.
import { ApiError, asUser, config, idempotencyKey } from '../api.js';
import { h } from '../dom.js';
import { fenInTextAsYuan, money, moneyFigure, parseYuan } from '../money.js';
import { modal } from '../ui.js';
import { t } from '../i18n.js';

export async function openSendDialog({ group, balance, onSent }) {
  const limits = (await config()).limits;
  const key = idempotencyKey(); // one per dialog: resubmitting after a lost answer cannot send twice
  const field = (name, label, input, hint) => {
    const error = h('div', { id: 'send-' + name + '-error', class: 'field-error', role: 'alert' });
    input.id = 'send-' + name;
    input.setAttribute('aria-describedby', 'send-' + name + '-error');
    const labelEl = h('label', { for: input.id }, label);
    return { el: h('div', { class: 'field' }, labelEl, input, hint && h('div', { class: 'hint' }, hint), error), error, labelEl };
  };
  const kindLucky = h('input', { type: 'radio', name: 'kind', value: 'GROUP_LUCKY', id: 'send-kind-lucky', checked: true });
  const kindEqual = h('input', { type: 'radio', name: 'kind', value: 'GROUP_EQUAL', id: 'send-kind-equal' });
  const count = field('count', t('send.count'),
    h('input', { inputmode: 'numeric', autocomplete: 'off', placeholder: t('send.countPlaceholder') }),
    t('send.members', { n: group.members.length }));
  const amount = field('amount', t('send.total'), h('input', { inputmode: 'decimal', autocomplete: 'off', placeholder: '0.00' }));
  const greeting = field('greeting', t('send.greeting'),
    h('input', { autocomplete: 'off', placeholder: t('greeting.default') }));
  const distinct = h('input', { type: 'checkbox', id: 'send-distinct' });
  const distinctRow = h('label', { class: 'check', for: 'send-distinct' }, distinct, t('send.distinct'));
  const total = h('div', { class: 'send-total' });
  const formError = h('div', { class: 'form-error', role: 'alert', dataset: { testid: 'send-form-error' } });
  const submit = h('button', { type: 'submit', class: 'button gold wide', dataset: { testid: 'send-submit' } },
    t('send.submit'));

  const inputs = { count: count.el.querySelector('input'), amount: amount.el.querySelector('input'),
    greeting: greeting.el.querySelector('input') };
  const errors = { count: count.error, amount: amount.error, greeting: greeting.error };
  const lucky = () => kindLucky.checked;
  const read = () => ({ kind: lucky() ? 'GROUP_LUCKY' : 'GROUP_EQUAL', count: inputs.count.value,
    amount: inputs.amount.value, greeting: inputs.greeting.value, distinct: distinct.checked });

  const refresh = () => {
    amount.labelEl.textContent = t(lucky() ? 'send.total' : 'send.each');
    distinctRow.hidden = !lucky();
    const checked = check(read(), limits, balance, group.members.length);
    total.replaceChildren(checked.total === undefined ? '—' : moneyFigure(checked.total, { testid: 'send-total' }));
  };
  const showErrors = (found) => {
    for (const [name, el] of Object.entries(errors)) {
      el.textContent = found[name] ?? '';
      inputs[name].toggleAttribute('aria-invalid', !!found[name]);
    }
  };

  const form = h('form', { class: 'send-form', novalidate: true },
    h('h2', {}, t('send.title')),
    h('p', { class: 'muted' }, t('send.to', { group: group.name })),
    h('fieldset', { class: 'kind-choice' }, h('legend', {}, t('send.kind')),
      h('label', { for: 'send-kind-lucky' }, kindLucky, t('send.lucky')),
      h('label', { for: 'send-kind-equal' }, kindEqual, t('send.equal'))),
    count.el, amount.el, greeting.el, distinctRow,
    total,
    formError,
    submit,
    h('button', { type: 'button', class: 'button link', onclick: () => dialog.close() }, t('send.cancel')));
  form.addEventListener('input', (event) => {
    const name = event.target.id?.replace('send-', '');
    if (errors[name]) {
      errors[name].textContent = '';
      inputs[name].removeAttribute('aria-invalid');
    }
    formError.textContent = '';
    refresh();
  });
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    formError.textContent = '';
    const checked = check(read(), limits, balance, group.members.length);
    showErrors(checked.errors);
    if (Object.keys(checked.errors).length > 0) {
      inputs[Object.keys(checked.errors)[0]].focus();
      return;
    }
    submit.disabled = true;
    try {
      const packet = await asUser('POST', '/v1/packets', {
        headers: { 'Idempotency-Key': key },
        body: { ...checked.order, groupId: group.groupId },
      });
      dialog.close();
      onSent(packet);
    } catch (error) {
      const message = error instanceof ApiError ? capitalized(fenInTextAsYuan(error.message)) : String(error);
      const name = error instanceof ApiError ? fieldOf(error) : null;
      if (name) {
        showErrors({ [name]: message });
        inputs[name].focus();
      } else {
        formError.textContent = message;
      }
    } finally {
      submit.disabled = false;
    }
  });
  const dialog = modal(h('div', { class: 'sheet' }, form), { label: t('send.title') });
  refresh();
  inputs.count.focus();
}

/**
 * Checks the form in fen against the limits, the known balance and the group's size (one share per member at most,
 * as the server has it). Returns {errors: {field: message}, total, order}:
 * total (fen) whenever count and amount make sense, order only when there are no errors.
 */
export function check(form, limits, balance, groupSize) {
  const errors = {};
  const c = String(form.count).trim();
  let count;
  if (!/^\d{1,4}$/.test(c) || Number(c) < 1) {
    errors.count = t('check.count', { max: limits.maxCount });
  } else if (Number(c) > limits.maxCount) {
    errors.count = t('check.countMax', { max: limits.maxCount });
  } else if (groupSize !== undefined && Number(c) > groupSize) {
    errors.count = t('check.countGroup', { n: groupSize });
  } else {
    count = Number(c);
  }
  const parsed = parseYuan(form.amount);
  let total;
  if (parsed.error) {
    errors.amount = t(parsed.error);
  } else if (parsed.fen < limits.minShare) {
    errors.amount = t('check.atLeast', { amount: money(limits.minShare) });
  } else if (count !== undefined) {
    const lucky = form.kind === 'GROUP_LUCKY';
    const each = lucky ? undefined : parsed.fen;
    if (lucky && parsed.fen < count * limits.minShare) {
      errors.amount = t('check.tooLittle', { count, amount: money(count * limits.minShare) });
    } else if (lucky && parsed.fen > count * limits.maxShare) {
      errors.amount = t('check.tooMuch', { max: money(limits.maxShare), amount: money(count * limits.maxShare), count });
    } else if (!lucky && each > limits.maxShare) {
      errors.amount = t('check.atMostEach', { max: money(limits.maxShare) });
    } else {
      total = lucky ? parsed.fen : each * count;
      if (balance !== undefined && total > balance) {
        errors.amount = t('check.balance', { amount: money(balance) });
      }
    }
  }
  const greeting = String(form.greeting).trim();
  if ([...greeting].length > limits.maxGreeting) {
    errors.greeting = t('check.greeting', { max: limits.maxGreeting });
  }
  if (Object.keys(errors).length > 0) {
    return { errors, total };
  }
  const order = { kind: form.kind, total, count, greeting: greeting || t('greeting.default') };
  if (form.kind === 'GROUP_LUCKY' && form.distinct) {
    order.distinct = true;
  }
  return { errors, total, order };
}

function capitalized(text) {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Which field a refusal from the server is about, from its code and wording; null for the form as a whole. */
function fieldOf(error) {
  if (error.code === 'INSUFFICIENT_BALANCE') {
    return 'amount';
  }
  const message = error.message.toLowerCase();
  if (message.includes('greeting')) {
    return 'greeting';
  }
  if (/total|share|split|divisible/.test(message)) {
    return 'amount';
  }
  if (message.includes('count')) {
    return 'count';
  }
  return null;
}
