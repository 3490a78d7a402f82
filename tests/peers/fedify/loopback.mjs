// Name resolution for the loopback test network: every `*.test` name (and `localhost`) is
// 127.0.0.1, and nothing else resolves, so no test can reach another address. Installed as the
// global undici dispatcher, which Node's built-in `fetch` (and so Fedify) uses for every request.
// No /etc/hosts edits: the hook is `connect.lookup`, which undici passes to `net.connect`.

import { Agent, setGlobalDispatcher } from "undici";

const LOOPBACK = "127.0.0.1";

/** Whether `hostname` belongs to the test network. */
export function isTestHost(hostname) {
  const name = hostname.toLowerCase().replace(/\.$/, "");
  return name === "localhost" || name.endsWith(".test") || name === LOOPBACK;
}

/** A `dns.lookup`-compatible function that knows only the test network. */
export function lookup(hostname, options, callback) {
  if (typeof options === "function") {
    callback = options;
    options = {};
  }
  if (!isTestHost(hostname)) {
    const error = new Error(
      `loopback test network: ${hostname} is not a *.test name, refusing to resolve it`,
    );
    error.code = "ENOTFOUND";
    error.hostname = hostname;
    process.nextTick(() => callback(error));
    return;
  }
  if (options?.all) {
    process.nextTick(() => callback(null, [{ address: LOOPBACK, family: 4 }]));
  } else {
    process.nextTick(() => callback(null, LOOPBACK, 4));
  }
}

/** Makes every `fetch` in this process resolve names through {@link lookup}. */
export function installLoopbackResolver() {
  setGlobalDispatcher(
    new Agent({
      connect: { lookup, timeout: 5_000 },
      headersTimeout: 20_000,
      bodyTimeout: 20_000,
    }),
  );
}
