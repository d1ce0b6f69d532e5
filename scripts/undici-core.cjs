// What pycontainer uses of undici, bundled as dist/bundle/undici.cjs (scripts/bundle.mjs): the
// connection pools (Agent), the request API that undici's index puts on every dispatcher, and the
// global dispatcher. Our code calls dispatcher.request() (src/registry/http.ts requestUrl), never the
// top-level request(), fetch, WebSocket, cookies, caches, mocks or proxy agents, which undici's index
// loads as well: this half of undici is read, compiled and evaluated at the first connection of a
// process in about half the CPU time (~70 vs ~140 ms) and RSS (+5 vs +11 MB).
'use strict';

const Dispatcher = require('undici/lib/dispatcher/dispatcher');
const api = require('undici/lib/api');

// As undici's index.js does: request(), stream(), pipeline(), ... on every dispatcher.
Object.assign(Dispatcher.prototype, api);

// The names our code imports from 'undici' (types aside); the bundle fails on an import missing here.
module.exports = {
  Agent: require('undici/lib/dispatcher/agent'),
  getGlobalDispatcher: require('undici/lib/global').getGlobalDispatcher,
};
