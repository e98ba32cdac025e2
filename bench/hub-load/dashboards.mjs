// Opens pages as their facilitators in one headless Chromium, each person in a browser context of their own (their
// own cookie jar), over the DevTools protocol. Used to measure the server's memory per open facilitator page.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import WebSocket from "ws";

class DevTools {
  constructor(socket) {
    this.socket = socket;
    this.nextId = 1;
    this.pending = new Map();
    socket.on("message", (data) => {
      const message = JSON.parse(data);
      const waiting = this.pending.get(message.id);
      if (!waiting) return;
      this.pending.delete(message.id);
      if (message.error) waiting.reject(new Error(`${waiting.method}: ${message.error.message}`));
      else waiting.resolve(message.result);
    });
  }

  send(method, params = {}) {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject, method });
      this.socket.send(JSON.stringify({ id, method, params }));
    });
  }
}

/**
 * pages: [{ path, cookie }] opened at baseUrl, each with the sign-in cookie `cookieName` = cookie.
 * Returns { opened, close() }; the caller waits for the server to report the circuits.
 */
export async function openPages({ chromium, baseUrl, cookieName, pages }) {
  const profile = mkdtempSync(path.join(tmpdir(), "bsg-bench-chromium-"));
  const browser = spawn(chromium, [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run", "--no-default-browser-check",
    "--disable-extensions", "--mute-audio", "--remote-debugging-port=0", `--user-data-dir=${profile}`,
    // Pages in the background keep their circuits alive, as a facilitator's open tab does.
    "--disable-background-timer-throttling", "--disable-renderer-backgrounding", "--disable-backgrounding-occluded-windows",
    "about:blank",
  ], { stdio: ["ignore", "ignore", "pipe"] });
  const endpoint = await new Promise((resolve, reject) => {
    let text = "";
    const timer = setTimeout(() => reject(new Error(`Chromium did not start: ${text.slice(-500)}`)), 30000);
    browser.stderr.on("data", (chunk) => {
      text += chunk;
      const found = /DevTools listening on (ws:\/\/\S+)/.exec(text);
      if (found) {
        clearTimeout(timer);
        resolve(found[1]);
      }
    });
    browser.on("exit", (code) => reject(new Error(`Chromium exited (${code}): ${text.slice(-500)}`)));
  });
  browser.stderr.resume();
  const socket = new WebSocket(endpoint, { perMessageDeflate: false });
  await new Promise((resolve, reject) => { socket.once("open", resolve); socket.once("error", reject); });
  const devTools = new DevTools(socket);

  const contexts = [];
  for (const page of pages) {
    const { browserContextId } = await devTools.send("Target.createBrowserContext");
    contexts.push(browserContextId);
    await devTools.send("Storage.setCookies", {
      browserContextId,
      cookies: [{ name: cookieName, value: page.cookie, url: baseUrl, path: "/", httpOnly: true, sameSite: "Lax" }],
    });
    await devTools.send("Target.createTarget", { url: `${baseUrl}${page.path}`, browserContextId });
  }

  return {
    opened: contexts.length,
    async close() {
      for (const browserContextId of contexts) await devTools.send("Target.disposeBrowserContext", { browserContextId }).catch(() => {});
      socket.close();
      browser.kill("SIGTERM");
      await new Promise((resolve) => { if (browser.exitCode !== null) resolve(); else browser.once("exit", resolve); });
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
