// Who are you? With dev login on (the embedded default) pick any user; otherwise paste a user token that the host
// app's backend got from POST /v1/admin/users/{userId}/tokens.
import { ApiError, call, config, session } from '../api.js';
import { avatar, h } from '../dom.js';
import { languageSwitch, t } from '../i18n.js';

/** onLoggedIn: what to show once a user is logged in (the chat, or the deep link the page was opened with). */
export function renderLogin(root, onLoggedIn) {
  session.clearUser();
  const devArea = h('section', { class: 'login-section', 'aria-live': 'polite' }, h('p', { class: 'muted' }, t('loading')));
  const tokenInput = h('input', { id: 'login-token', type: 'password', autocomplete: 'off', spellcheck: 'false',
    placeholder: t('login.tokenPlaceholder'), 'aria-describedby': 'login-token-error' });
  const tokenError = h('div', { id: 'login-token-error', class: 'field-error' });
  const tokenForm = h('form', { class: 'login-section', novalidate: true,
    onsubmit: (event) => { event.preventDefault(); loginWithToken(tokenInput.value.trim(), tokenError, onLoggedIn); } },
    h('h2', {}, t('login.tokenTitle')),
    h('label', { for: 'login-token' }, t('login.tokenLabel')),
    h('div', { class: 'row' }, tokenInput, h('button', { type: 'submit', class: 'button' }, t('login.submit'))),
    tokenError);

  root.append(h('div', { class: 'login-page' },
    h('div', { class: 'login-card' },
      h('div', { class: 'brand' }, h('span', { class: 'brand-mark', 'aria-hidden': 'true' }, '红包'),
        h('div', {}, h('h1', {}, 'hongbao'), h('p', { class: 'muted' }, t('login.tagline')))),
      devArea,
      tokenForm,
      h('p', { class: 'login-foot' }, languageSwitch(h), h('a', { href: '#/operator' }, t('login.operator'))))));

  showDevLogin(devArea, onLoggedIn);
  return () => {};
}

async function showDevLogin(area, onLoggedIn) {
  let users;
  try {
    if (!(await config()).devLogin) {
      area.replaceChildren(h('p', { class: 'muted' }, t('login.devOff')));
      return;
    }
    users = (await call('GET', '/v1/dev/users')).items;
  } catch (error) {
    area.replaceChildren(h('p', { class: 'field-error' }, messageOf(error)));
    return;
  }
  const idInput = h('input', { id: 'login-user-id', autocomplete: 'off', spellcheck: 'false', placeholder: t('login.userIdPlaceholder'),
    'aria-describedby': 'login-user-error' });
  const idError = h('div', { id: 'login-user-error', class: 'field-error' });
  area.replaceChildren(
    h('h2', {}, t('login.as')),
    users.length === 0
      ? h('p', { class: 'muted' }, t('login.noUsers'))
      : h('ul', { class: 'user-picker' }, users.map((user) => h('li', {},
        h('button', { type: 'button', class: 'user-choice', dataset: { testid: 'login-user', userId: user.userId },
          onclick: () => devLogin(user.userId, idError, onLoggedIn) },
        avatar(user.userId, user.name), h('span', { class: 'user-choice-name' }, user.name),
        h('span', { class: 'muted' }, user.userId))))),
    h('form', { class: 'row', novalidate: true,
      onsubmit: (event) => { event.preventDefault(); devLogin(idInput.value.trim(), idError, onLoggedIn); } },
    h('label', { for: 'login-user-id', class: 'visually-hidden' }, t('login.userId')), idInput,
    h('button', { type: 'submit', class: 'button secondary' }, t('login.submit'))),
    idError,
    h('p', { class: 'hint' }, t('login.devWarning')));
}

async function devLogin(userId, errorEl, onLoggedIn) {
  errorEl.textContent = '';
  if (!userId) {
    errorEl.textContent = t('login.enterId');
    return;
  }
  try {
    const answer = await call('POST', '/v1/dev/login', { body: { userId } });
    session.setUser({ userId: answer.userId, name: answer.name, token: answer.token, expiresAt: answer.expiresAt });
    onLoggedIn();
  } catch (error) {
    errorEl.textContent = messageOf(error);
  }
}

async function loginWithToken(token, errorEl, onLoggedIn) {
  errorEl.textContent = '';
  if (!token) {
    errorEl.textContent = t('login.pasteToken');
    return;
  }
  try {
    const wallet = await call('GET', '/v1/wallet', { bearer: token });
    session.setUser({ userId: wallet.userId, name: null, token });
    onLoggedIn();
  } catch (error) {
    errorEl.textContent = error.code === 'UNAUTHENTICATED' ? t('login.badToken') : messageOf(error);
  }
}

function messageOf(error) {
  return error instanceof ApiError ? error.message : t('trouble.generic', { error });
}
