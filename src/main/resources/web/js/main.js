// Routes of the page (hash based, so the server serves one file):
//   #/login            pick or log in as a user
//   #/chat             the chat list (home); on a wide screen with the first group beside it
//   #/chat/{groupId}   a group's red packets, the send dialog
//   #/inbox            红包 for you: personal packets sent to me; send one to a friend
//   #/dm/{userId}      the 1:1 chat with a user: the personal packets we sent each other
//   #/records/{role}/{year}  红包记录: received or sent, a year's totals and lines (role, year optional)
//   #/wallet           the balance and its 流水
//   #/packet/{id}      a packet's result page
//   #/operator         the operator's view (needs the admin key)
import { session } from './api.js';
import { clearBanner } from './ui.js';
import { language } from './i18n.js';
import { renderLogin } from './views/login.js';
import { renderChat } from './views/chat.js';
import { renderResult } from './views/result.js';
import { renderInbox } from './views/inbox.js';
import { renderDirectChat } from './views/direct-chat.js';
import { renderWallet } from './views/wallet.js';
import { renderRecords } from './views/records.js';
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
  if (page === 'login') {
    return () => renderLogin(root, () => { location.hash = '#/chat'; });
  }
  if (!session.user()) {
    // A deep link (#/packet/{id}) keeps its hash through the login, which then shows the linked page.
    return () => renderLogin(root, show);
  }
  if (page === 'packet' && param) {
    return () => renderResult(root, param);
  }
  if (page === 'dm' && param) {
    return () => renderDirectChat(root, param);
  }
  if (page === 'inbox') {
    return () => renderInbox(root);
  }
  if (page === 'records') {
    const role = rest[0] === 'sent' ? 'sent' : 'received';
    const year = /^\d{4}$/.test(rest[1] ?? '') ? Number(rest[1]) : undefined;
    return () => renderRecords(root, role, year);
  }
  if (page === 'wallet') {
    return () => renderWallet(root);
  }
  return () => renderChat(root, page === 'chat' ? param : undefined);
}

function show() {
  document.documentElement.lang = language() === 'zh' ? 'zh-CN' : 'en';
  stopCurrent();
  clearBanner();
  root.replaceChildren();
  window.scrollTo(0, 0);
  stopCurrent = route()() ?? (() => {});
}

window.addEventListener('hashchange', show);
show();
