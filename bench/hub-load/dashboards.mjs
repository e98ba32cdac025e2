// Opens pages as their facilitators in one headless Chromium, each person in a browser context of their own (their
// own cookie jar), over the DevTools protocol. Used to measure the server's memory per open facilitator page.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import WebSocket from "ws";

// Chromium runs in a process group of its own (so that closing takes its renderers too); if this process ends
// without closing it, whatever is still running goes as well.
const running = new Set();
process.on("exit", () => {
  for (const pid of running) {
    try { process.kill(-pid, "SIGKILL"); } catch { /* already gone */ }
  }
});

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
    "--disable-extensions", "--mute-audio", "--renderer-process-limit=4", "--remote-debugging-port=0", `--user-data-dir=${profile}`,
    // Pages in the background keep their circuits alive, as a facilitator's open tab does.
    "--disable-background-timer-throttling", "--disable-renderer-backgrounding", "--disable-backgrounding-occluded-windows",
    "about:blank",
  ], { stdio: ["ignore", "ignore", "pipe"], detached: true });
  running.add(browser.pid);
  browser.once("exit", () => running.delete(browser.pid));
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
  let next = 0;
  // A few at a time: each page starts a renderer, and creating a target waits for it.
  await Promise.all(Array.from({ length: Math.min(5, pages.length) }, async () => {
    while (next < pages.length) {
      const page = pages[next++];
      const { browserContextId } = await devTools.send("Target.createBrowserContext");
      contexts.push(browserContextId);
      await devTools.send("Storage.setCookies", {
        browserContextId,
        cookies: [{ name: cookieName, value: page.cookie, url: baseUrl, path: "/", httpOnly: true, sameSite: "Lax" }],
      });
      await devTools.send("Target.createTarget", { url: `${baseUrl}${page.path}`, browserContextId });
    }
  }));

  return {
    opened: contexts.length,
    async close() {
      for (const browserContextId of contexts) await devTools.send("Target.disposeBrowserContext", { browserContextId }).catch(() => {});
      socket.close();
      // The whole process group: Chromium's renderers and helpers would otherwise outlive it.
      try { process.kill(-browser.pid, "SIGTERM"); } catch { /* already gone */ }
      await new Promise((resolve) => { if (browser.exitCode !== null || browser.signalCode !== null) resolve(); else browser.once("exit", resolve); });
      try { rmSync(profile, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 }); } catch { /* a temp folder left behind is harmless */ }
    },
  };
}
