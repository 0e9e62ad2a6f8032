// Preloaded (`node --import`) into the code generators the portability tests run: any attempt
// to open a network connection or resolve a host name is recorded in the file that
// NO_NETWORK_LOG names, then refused. The tests assert that the file stays empty, i.e. that
// the generators read the local spec and never phone home.

import dns from "node:dns";
import { appendFileSync } from "node:fs";
import net from "node:net";

const logFile = process.env.NO_NETWORK_LOG;
const record = (what) => {
  if (logFile) {
    appendFileSync(logFile, `${process.pid} ${what}\n`);
  }
};

const connect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function guardedConnect(...args) {
  const options = typeof args[0] === "object" && args[0] !== null ? args[0] : {};
  const target =
    options.path ?? `${options.host ?? args[1] ?? "localhost"}:${options.port ?? args[0]}`;
  // IPC over a Unix socket or a pipe (workers, package managers) is not the network.
  if (options.path) {
    return connect.apply(this, args);
  }
  record(`connect ${target}`);
  throw new Error(`no-network: refused a connection to ${target}`);
};

for (const name of ["lookup", "resolve", "resolve4", "resolve6"]) {
  const original = dns[name];
  dns[name] = (host, ...rest) => {
    record(`dns.${name} ${host}`);
    const callback = rest.at(-1);
    const error = new Error(`no-network: refused to resolve ${host}`);
    if (typeof callback === "function") {
      process.nextTick(callback, error);
      return undefined;
    }
    return original.call(dns, host, ...rest);
  };
}

const originalFetch = globalThis.fetch;
globalThis.fetch = async (input, init) => {
  const url = typeof input === "string" ? input : (input?.url ?? String(input));
  if (url.startsWith("file:") || url.startsWith("data:")) {
    return originalFetch(input, init);
  }
  record(`fetch ${url}`);
  throw new Error(`no-network: refused to fetch ${url}`);
};
