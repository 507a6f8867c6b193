// A small WebDriver BiDi client (W3C WebDriver BiDi over a WebSocket) for driving Debian's
// firefox-esr, which speaks BiDi itself: no geckodriver, no patched browser build. It offers
// what the Firefox e2e run needs: start Firefox headless, a session, one tab that navigates,
// evaluates scripts, clicks, types and takes screenshots, and the page's log entries.
//
// Needs a global WebSocket (Node >= 22, or Node 20 with --experimental-websocket).
import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import path from "node:path";

/** Preferences for a quiet test profile: no first-run pages, no update or telemetry traffic. */
const profilePrefs = {
  "browser.shell.checkDefaultBrowser": false,
  "browser.startup.homepage_override.mstone": "ignore",
  "datareporting.policy.dataSubmissionEnabled": false,
  "toolkit.telemetry.reportingpolicy.firstRun": false,
  "app.update.disabledForTesting": true,
  "app.normandy.enabled": false,
  "messaging-system.rsexperimentloader.enabled": false,
  "services.settings.server": "http://127.0.0.1:9/none",
};

/**
 * Starts Firefox headless with the remote agent on an ephemeral port and a fresh profile in
 * `profileDir`; resolves {child, wsUrl} once it announces "WebDriver BiDi listening on ws://...".
 */
export function launchFirefox({ binary, profileDir, log }) {
  const prefs = Object.entries(profilePrefs).map(([k, v]) => `user_pref(${JSON.stringify(k)}, ${JSON.stringify(v)});`);
  writeFileSync(path.join(profileDir, "user.js"), prefs.join("\n") + "\n");
  const args = ["--headless", "--remote-debugging-port=0", "--no-remote", "-profile", profileDir];
  const child = spawn(binary, args, {
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, MOZ_CRASHREPORTER_DISABLE: "1" },
  });
  if (log) {
    child.stdout.pipe(log);
    child.stderr.pipe(log);
  }
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("firefox did not announce WebDriver BiDi in 60 s")), 60000);
    let buffered = "";
    child.stderr.on("data", (chunk) => {
      buffered += chunk.toString();
      const match = buffered.match(/WebDriver BiDi listening on (ws:\/\/\S+)/);
      if (match) {
        clearTimeout(timer);
        resolve({ child, wsUrl: match[1] });
      }
    });
    child.on("exit", (code) => reject(new Error(`firefox exited with ${code} before BiDi was ready`)));
  });
}

/** One BiDi connection: numbered commands answered by id, and events by method name. */
export class BidiConnection {
  #socket;
  #nextId = 1;
  #pending = new Map();
  #listeners = new Map();

  static open(url) {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(url);
      socket.addEventListener("open", () => resolve(new BidiConnection(socket)), { once: true });
      socket.addEventListener("error", () => reject(new Error(`cannot connect to ${url}`)), { once: true });
    });
  }

  constructor(socket) {
    this.#socket = socket;
    socket.addEventListener("message", (event) => this.#receive(JSON.parse(event.data)));
    socket.addEventListener("close", () => {
      for (const { reject } of this.#pending.values()) reject(new Error("the BiDi connection closed"));
      this.#pending.clear();
    });
  }

  /** Sends a command; resolves with its result, rejects with the browser's error message. */
  send(method, params = {}, timeoutMs = 60000) {
    const id = this.#nextId++;
    this.#socket.send(JSON.stringify({ id, method, params }));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        reject(new Error(`${method} got no answer in ${timeoutMs / 1000} s`));
      }, timeoutMs);
      this.#pending.set(id, {
        resolve: (v) => (clearTimeout(timer), resolve(v)),
        reject: (e) => (clearTimeout(timer), reject(e)),
        method,
      });
    });
  }

  on(method, listener) {
    if (!this.#listeners.has(method)) this.#listeners.set(method, []);
    this.#listeners.get(method).push(listener);
  }

  close() {
    this.#socket.close();
  }

  #receive(message) {
    if (message.type === "event") {
      for (const listener of this.#listeners.get(message.method) ?? []) listener(message.params);
      return;
    }
    const waiter = this.#pending.get(message.id);
    if (!waiter) return;
    this.#pending.delete(message.id);
    if (message.type === "success") waiter.resolve(message.result);
    else waiter.reject(new Error(`${waiter.method}: ${message.error}: ${message.message}`));
  }
}

/** A RemoteValue as plain JavaScript, for primitives and JSON-like arrays and objects. */
export function fromRemote(value) {
  switch (value.type) {
    case "undefined":
      return undefined;
    case "null":
      return null;
    case "string":
    case "boolean":
      return value.value;
    case "number":
      return typeof value.value === "number" ? value.value : Number(value.value);
    case "array":
      return (value.value ?? []).map(fromRemote);
    case "object":
      return Object.fromEntries(
        (value.value ?? []).map(([k, v]) => [typeof k === "string" ? k : fromRemote(k), fromRemote(v)]),
      );
    default:
      return value; // nodes, functions, ...: the RemoteValue itself (a node carries sharedId)
  }
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** One top-level browsing context (a tab) of a BiDi session. */
export class Tab {
  constructor(bidi, context) {
    this.bidi = bidi;
    this.context = context;
  }

  /** The session's first tab (Firefox opens one), sized to `viewport`. */
  static async first(bidi, viewport) {
    const { contexts } = await bidi.send("browsingContext.getTree", {});
    const context = contexts[0]?.context ?? (await bidi.send("browsingContext.create", { type: "tab" })).context;
    await bidi.send("browsingContext.setViewport", { context, viewport });
    return new Tab(bidi, context);
  }

  goto(url) {
    return this.bidi.send("browsingContext.navigate", { context: this.context, url, wait: "complete" });
  }

  /** Evaluates an expression (awaiting a promise); returns its value, throws the page's exception. */
  async evaluate(expression) {
    const answer = await this.bidi.send("script.evaluate", {
      expression,
      target: { context: this.context },
      awaitPromise: true,
    });
    if (answer.type === "exception") throw new Error(`in the page: ${answer.exceptionDetails.text}`);
    return fromRemote(answer.result);
  }

  /** Calls `fn` (a self-contained function) in the page with JSON-able arguments; returns its value. */
  async call(fn, ...args) {
    const answer = await this.bidi.send("script.callFunction", {
      functionDeclaration: `(...encoded) => (${fn.toString()})(...encoded.map((a) => JSON.parse(a)))`,
      arguments: args.map((a) => ({ type: "string", value: JSON.stringify(a) })),
      target: { context: this.context },
      awaitPromise: true,
    });
    if (answer.type === "exception") throw new Error(`in the page: ${answer.exceptionDetails.text}`);
    return fromRemote(answer.result);
  }

  /** Polls `fn` in the page until it returns a truthy value; returns that value. */
  async waitFor(what, fn, args = [], timeoutMs = 30000) {
    const deadline = Date.now() + timeoutMs;
    let lastError;
    for (;;) {
      try {
        const value = await this.call(fn, ...args);
        if (value) return value;
      } catch (e) {
        lastError = e.message; // the page may be between documents
      }
      if (Date.now() > deadline) {
        const why = lastError ? ` (last error: ${lastError})` : "";
        throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}${why}`);
      }
      await sleep(150);
    }
  }

  /** The sharedId of the first element matching `selector`, scrolled into view. */
  async element(selector) {
    const node = await this.call((s) => {
      const e = document.querySelector(s);
      e?.scrollIntoView({ block: "center" });
      return e;
    }, selector);
    if (!node?.sharedId) throw new Error(`no element matches ${selector}`);
    return { sharedId: node.sharedId };
  }

  /** A real mouse click in the middle of the element. */
  async click(selector) {
    const element = await this.element(selector);
    await this.bidi.send("input.performActions", {
      context: this.context,
      actions: [
        {
          type: "pointer",
          id: "mouse",
          parameters: { pointerType: "mouse" },
          actions: [
            { type: "pointerMove", x: 0, y: 0, origin: { type: "element", element } },
            { type: "pointerDown", button: 0 },
            { type: "pointerUp", button: 0 },
          ],
        },
      ],
    });
    await this.bidi.send("input.releaseActions", { context: this.context });
  }

  /** Clicks the field, selects its text and types `text` over it with real key events. */
  async fill(selector, text) {
    await this.click(selector);
    await this.call((s) => document.querySelector(s).select(), selector);
    const keys = [...text].flatMap((c) => [
      { type: "keyDown", value: c },
      { type: "keyUp", value: c },
    ]);
    if (!text) keys.push({ type: "keyDown", value: "\uE017" }, { type: "keyUp", value: "\uE017" }); // Delete
    await this.bidi.send("input.performActions", {
      context: this.context,
      actions: [{ type: "key", id: "keyboard", actions: keys }],
    });
    await this.bidi.send("input.releaseActions", { context: this.context });
  }

  /** A PNG of the whole document (base64-decoded). */
  async screenshot() {
    const { data } = await this.bidi.send("browsingContext.captureScreenshot", {
      context: this.context,
      origin: "document",
    });
    return Buffer.from(data, "base64");
  }
}
