// Who are you? With dev login on (the embedded default) pick any user; otherwise paste a user token that the host
// app's backend got from POST /v1/admin/users/{userId}/tokens.
import { ApiError, call, config, session } from '../api.js';
import { avatar, h } from '../dom.js';

/** onLoggedIn: what to show once a user is logged in (the chat, or the deep link the page was opened with). */
export function renderLogin(root, onLoggedIn) {
  session.clearUser();
  const devArea = h('section', { class: 'login-section', 'aria-live': 'polite' }, h('p', { class: 'muted' }, 'Loading…'));
  const tokenInput = h('input', { id: 'login-token', type: 'password', autocomplete: 'off', spellcheck: 'false',
    placeholder: 'user token', 'aria-describedby': 'login-token-error' });
  const tokenError = h('div', { id: 'login-token-error', class: 'field-error' });
  const tokenForm = h('form', { class: 'login-section', novalidate: true,
    onsubmit: (event) => { event.preventDefault(); loginWithToken(tokenInput.value.trim(), tokenError, onLoggedIn); } },
    h('h2', {}, 'Log in with a user token'),
    h('label', { for: 'login-token' }, 'Token (from POST /v1/admin/users/{userId}/tokens)'),
    h('div', { class: 'row' }, tokenInput, h('button', { type: 'submit', class: 'button' }, 'Log in')),
    tokenError);

  root.append(h('div', { class: 'login-page' },
    h('div', { class: 'login-card' },
      h('div', { class: 'brand' }, h('span', { class: 'brand-mark', 'aria-hidden': 'true' }, '红包'),
        h('div', {}, h('h1', {}, 'hongbao'), h('p', { class: 'muted' }, 'Red packets for your group chats'))),
      devArea,
      tokenForm,
      h('p', { class: 'login-foot' }, h('a', { href: '#/operator' }, 'Operator view ›')))));

  showDevLogin(devArea, onLoggedIn);
  return () => {};
}

async function showDevLogin(area, onLoggedIn) {
  let users;
  try {
    if (!(await config()).devLogin) {
      area.replaceChildren(h('p', { class: 'muted' }, 'Dev login is switched off on this server.'));
      return;
    }
    users = (await call('GET', '/v1/dev/users')).items;
  } catch (error) {
    area.replaceChildren(h('p', { class: 'field-error' }, messageOf(error)));
    return;
  }
  const idInput = h('input', { id: 'login-user-id', autocomplete: 'off', spellcheck: 'false', placeholder: 'user id',
    'aria-describedby': 'login-user-error' });
  const idError = h('div', { id: 'login-user-error', class: 'field-error' });
  area.replaceChildren(
    h('h2', {}, 'Log in as'),
    users.length === 0
      ? h('p', { class: 'muted' }, 'No users yet. Create some with the admin API (README, "Walkthrough with curl").')
      : h('ul', { class: 'user-picker' }, users.map((user) => h('li', {},
        h('button', { type: 'button', class: 'user-choice', dataset: { testid: 'login-user', userId: user.userId },
          onclick: () => devLogin(user.userId, idError, onLoggedIn) },
        avatar(user.userId, user.name), h('span', { class: 'user-choice-name' }, user.name),
        h('span', { class: 'muted' }, user.userId))))),
    h('form', { class: 'row', novalidate: true,
      onsubmit: (event) => { event.preventDefault(); devLogin(idInput.value.trim(), idError, onLoggedIn); } },
    h('label', { for: 'login-user-id', class: 'visually-hidden' }, 'User id'), idInput,
    h('button', { type: 'submit', class: 'button secondary' }, 'Log in')),
    idError,
    h('p', { class: 'hint' }, 'Dev login is on: anyone who can reach this server can act as any user. '
      + 'Switch it off with HONGBAO_DEV_LOGIN=false.'));
}

async function devLogin(userId, errorEl, onLoggedIn) {
  errorEl.textContent = '';
  if (!userId) {
    errorEl.textContent = 'Enter a user id.';
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
    errorEl.textContent = 'Paste a user token.';
    return;
  }
  try {
    const wallet = await call('GET', '/v1/wallet', { bearer: token });
    session.setUser({ userId: wallet.userId, name: null, token });
    onLoggedIn();
  } catch (error) {
    errorEl.textContent = error.code === 'UNAUTHENTICATED' ? 'This token is not valid (or has expired).' : messageOf(error);
  }
}

function messageOf(error) {
  return error instanceof ApiError ? error.message : 'Something went wrong: ' + error;
}
