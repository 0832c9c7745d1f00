// Routes of the page (hash based, so the server serves one file):
//   #/login            pick or log in as a user
//   #/chat/{groupId}   a group's red packets, the wallet, the send dialog
//   #/packet/{id}      a packet's result page
//   #/operator         the operator's view (needs the admin key)
import { session } from './api.js';
import { clearBanner } from './ui.js';
import { renderLogin } from './views/login.js';
import { renderChat } from './views/chat.js';
import { renderResult } from './views/result.js';
import { renderOperator } from './views/operator.js';

const root = document.getElementById('app');
let stopCurrent = () => {};

function route() {
  const hash = location.hash.replace(/^#\/?/, '');
  const [page, ...rest] = hash.split('/');
  const param = rest.length ? decodeURIComponent(rest.join('/')) : undefined;
  if (page === 'operator') {
    return () => renderOperator(root);
  }
  if (!session.user() || page === 'login') {
    return () => renderLogin(root);
  }
  if (page === 'packet' && param) {
    return () => renderResult(root, param);
  }
  return () => renderChat(root, page === 'chat' ? param : undefined);
}

function show() {
  stopCurrent();
  clearBanner();
  root.replaceChildren();
  window.scrollTo(0, 0);
  stopCurrent = route()() ?? (() => {});
}

window.addEventListener('hashchange', show);
show();
