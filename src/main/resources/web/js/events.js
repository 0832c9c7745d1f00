// The page learns what happened from GET /v1/events/stream (docs/events.md) instead of asking every two seconds: a
// view registers a refresh with live(), which runs it at once, again whenever one of the user's events arrives, and
// every SLOW_POLL_MS while the stream is down. fetch reads the stream (EventSource cannot send the bearer token).
import { session } from './api.js';

const SLOW_POLL_MS = 15000;
const RECONNECT_MS = 2000;
const listeners = new Set();
let lastEventId = null;
let connected = false;
let connection = null;
let reading = false;

async function readStream() {
  reading = true;
  while (listeners.size > 0 && session.user()) {
    connection = new AbortController();
    try {
      const headers = { Authorization: 'Bearer ' + session.user().token };
      if (lastEventId) {
        headers['Last-Event-ID'] = lastEventId;
      }
      const response = await fetch('/v1/events/stream', { headers, signal: connection.signal });
      if (!response.ok || !response.body) {
        throw new Error('the event stream answered ' + response.status);
      }
      connected = true;
      // What happened while the stream was down (or before it was up) is fetched once, by every view.
      listeners.forEach((listener) => listener());
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) {
          break;
        }
        buffer += value;
        let end;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          dispatch(buffer.slice(0, end));
          buffer = buffer.slice(end + 2);
        }
      }
    } catch (dropped) {
      // The stream dropped (or was closed by the page): the slow poll covers the gap until it is back.
    } finally {
      connected = false;
    }
    if (listeners.size > 0) {
      await new Promise((resolve) => setTimeout(resolve, RECONNECT_MS));
    }
  }
  reading = false;
}

function dispatch(frame) {
  let isEvent = false;
  for (const line of frame.split('\n')) {
    if (line.startsWith('id: ')) {
      lastEventId = line.slice(4);
    } else if (line.startsWith('event: ')) {
      isEvent = true;
    }
  }
  if (isEvent) {
    listeners.forEach((listener) => listener());
  }
}

/** Runs refresh now, after each of the user's events (one run at a time, the last event never lost), and slowly while the stream is down. */
export function live(refresh) {
  let stopped = false;
  let running = false;
  let again = false;
  const run = async () => {
    if (stopped) {
      return;
    }
    if (running) {
      again = true;
      return;
    }
    running = true;
    try {
      await refresh();
    } finally {
      running = false;
      if (again && !stopped) {
        again = false;
        run();
      }
    }
  };
  listeners.add(run);
  if (!reading) {
    readStream();
  }
  run();
  const fallback = setInterval(() => {
    if (!connected) {
      run();
    }
  }, SLOW_POLL_MS);
  return () => {
    stopped = true;
    listeners.delete(run);
    clearInterval(fallback);
    if (listeners.size === 0 && connection) {
      connection.abort();
    }
  };
}
