// @ts-check
/*
 * Bootstrap of the code runner's sandbox frame (`/sandbox/runner.html`, built by src/pages/sandbox/runner.html.ts).
 * It is inlined into that page, whose Content-Security-Policy allows exactly this script by its SHA-256 hash, so
 * keep it free of anything that changes between builds. Protocol: src/workers/sandbox-protocol.ts.
 *
 * The frame is loaded with sandbox="allow-scripts" and WITHOUT allow-same-origin: its origin is opaque ('null'),
 * so nothing in it can read the site's DOM, cookies, localStorage or IndexedDB. It only starts the runner worker
 * from a blob: URL (the runner's script text arrives from the page: a same-origin worker URL would be
 * cross-origin to this opaque frame) and hands the worker the MessagePort the page sent, so the run request and
 * the results travel page ↔ worker directly. The worker inherits this document's CSP (blob: workers do): connect-src 'none' and a
 * script-src without any URL make fetch, XHR, WebSocket, EventSource, importScripts and import() of any URL fail.
 */
(function () {
  'use strict';
  /** @type {Worker | undefined} */
  var worker;
  /** @type {string | undefined} */
  var blobUrl;
  var started = false;

  /** @param {unknown} data */
  function reply(data) {
    // The parent's origin cannot be named from an opaque origin; nothing secret is sent.
    parent.postMessage(data, '*');
  }

  addEventListener('message', function (event) {
    if (event.source !== parent) return;
    var data = event.data;
    if (data === null || typeof data !== 'object') return;
    if (data.type === 'mqlab-sandbox:ping') {
      reply({ type: 'mqlab-sandbox:pong', n: typeof data.n === 'number' ? data.n : 0 });
      return;
    }
    if (data.type === 'mqlab-sandbox:stop') {
      if (worker) worker.terminate();
      worker = undefined;
      return;
    }
    if (data.type !== 'mqlab-sandbox:run' || started) return;
    var port = event.ports[0];
    if (typeof data.script !== 'string' || !port) {
      reply({ type: 'mqlab-sandbox:error', message: 'the run request was malformed' });
      return;
    }
    started = true;
    try {
      blobUrl = URL.createObjectURL(new Blob([data.script], { type: 'text/javascript' }));
      worker = new Worker(blobUrl, { name: 'mqlab-run' });
    } catch (error) {
      reply({ type: 'mqlab-sandbox:error', message: 'the runner could not start: ' + String(error) });
      return;
    }
    worker.addEventListener('error', function (e) {
      e.preventDefault();
      reply({ type: 'mqlab-sandbox:error', message: e.message || 'the runner script failed to load' });
    });
    worker.postMessage({ type: 'connect' }, [port]);
  });

  reply({ type: 'mqlab-sandbox:ready' });
})();
