// The app's service worker, served at /sw.js by ShellExtensions.MapGroupsShell with this release's name written in.
// It lets phones install the app and shows a calm offline page instead of the browser's error when the server cannot
// be reached. It keeps ONLY what is the same for everybody: the offline page and static files (styles, scripts,
// icons, the framework's blazor.web.js). Pages are rendered for the person signed in, so a page, an API answer or
// anything else per person is never put in a cache: on a shared phone the next person would see the first one's circle.
const release = '%RELEASE%';
const cachePrefix = 'bsg-shell-';
const cacheName = cachePrefix + release;
const offlinePage = '/offline.html';
// Without these the offline page cannot be shown, so installing fails if any of them cannot be fetched.
const crisisResources = '/offline/crisis-resources.json';
// The offline page's words in every language the app speaks; the page picks the person's (offline.js).
const offlineWords = '/offline/words.json';
const offlineShell = ['/offline.html', '/offline.css', '/offline.js', '/favicon.svg', crisisResources, offlineWords];
// The rest of the shell is fetched now so the first page after installing loads from the cache; one missing file
// (a script renamed by a later release) is fetched from the network when asked for instead.
const appShell = %APP_SHELL%;

// Web Push: showing a push, opening its page, renewing the subscription (wwwroot/sw-push.js).
importScripts('/sw-push.js');

self.addEventListener('install', event => {
    event.waitUntil((async () => {
        const cache = await caches.open(cacheName);
        // A phone's connection may drop one request while the worker installs: each file is tried a few times before
        // installing fails (and is tried again at the next page), so one lost request does not cost the offline page.
        await Promise.all(offlineShell.map(url => keep(cache, url, 3)));
        await Promise.all(appShell.map(url => cache.add(new Request(url, { cache: 'reload' })).catch(() => { })));
        // A release is a clean cut: the new worker takes over at once rather than after every tab has closed.
        await self.skipWaiting();
    })());
});

// cache: 'reload' skips the browser's HTTP cache, so a new release never stores the old release's files.
async function keep(cache, url, attempts) {
    for (let attempt = 1; ; attempt++) {
        try {
            const response = await fetch(new Request(url, { cache: 'reload' }));
            if (!response.ok) throw new Error(`${url}: ${response.status}`);
            await cache.put(url, response);
            return;
        } catch (error) {
            if (attempt >= attempts) throw error;
            await new Promise(resolve => setTimeout(resolve, 500 * attempt));
        }
    }
}

self.addEventListener('activate', event => {
    event.waitUntil((async () => {
        // Only this worker's own caches: other features may keep theirs.
        const names = await caches.keys();
        await Promise.all(names.filter(name => name.startsWith(cachePrefix) && name !== cacheName).map(name => caches.delete(name)));
        await self.clients.claim();
    })());
});

self.addEventListener('fetch', event => {
    const request = event.request;
    // Writes, other sites, and the paths below go to the network exactly as without a worker: the circuit and the hub
    // (/_blazor, /hubs), the API, and signing in and out (/account: redirects and cookies are left to the browser).
    if (request.method !== 'GET') return;
    const url = new URL(request.url);
    if (url.origin !== self.location.origin || leftAlone(url.pathname)) return;
    if (request.mode === 'navigate') event.respondWith(pageOrOffline(request));
    else if (url.pathname === crisisResources) event.respondWith(networkOrCache(event, request));
    else if (url.pathname === offlineWords) event.respondWith(fromCacheOrNetwork(event, request));
    else if (isStatic(url.pathname)) event.respondWith(fromCacheOrNetwork(event, request));
});

const leftAlone = path => ['/_blazor', '/hubs', '/api', '/account', '/health', '/cluster', '/sw.js', '/sw-push.js']
    .some(prefix => path === prefix || path.startsWith(prefix + '/'));

// The files wwwroot and the framework serve to everybody: top-level files, icons, the framework's and Radzen's.
const staticTypes = /\.(css|js|mjs|svg|png|ico|webp|woff2?|webmanifest)$/i;
const isStatic = path => staticTypes.test(path)
    && (path.lastIndexOf('/') === 0 || ['/icons/', '/_framework/', '/_content/'].some(root => path.startsWith(root)));

// Always the network, so the page is the person's own and current; never stored. When the server cannot be reached,
// or the reverse proxy in front of it says it is down (502-504), the offline page.
async function pageOrOffline(request) {
    try {
        const response = await fetch(request);
        if (response.status >= 502 && response.status <= 504) return await offline();
        return response;
    } catch {
        return await offline();
    }
}

// The deployment's crisis resources, for the offline page: the same for everybody, and when they change in the
// deployment's settings the next visit online keeps the new ones.
async function networkOrCache(event, request) {
    const cache = await caches.open(cacheName);
    try {
        const response = await fetch(request);
        if (response.ok) event.waitUntil(cache.put(request, response.clone()));
        return response;
    } catch {
        return (await cache.match(request)) ?? Response.json([]);
    }
}

async function offline() {
    const cached = await caches.match(offlinePage, { cacheName });
    // Only if the kept page is gone (the browser cleared the cache): both languages, as the words went with it.
    return cached ?? new Response("You're offline right now. This page comes back when the app can be reached.\n" +
        "Ahora no tienes conexión. Esta página vuelve en cuanto se pueda llegar a la app.",
        { status: 503, headers: { 'Content-Type': 'text/plain; charset=utf-8' } });
}

// Static files do not change within a release, so the cache answers first; what is not in it yet is fetched and kept,
// unless the server says it must not be (no-store, private).
async function fromCacheOrNetwork(event, request) {
    const cache = await caches.open(cacheName);
    const cached = await cache.match(request);
    if (cached) return cached;
    const response = await fetch(request);
    const cacheControl = response.headers.get('Cache-Control') ?? '';
    if (response.status === 200 && response.type === 'basic' && !/no-store|private/i.test(cacheControl))
        event.waitUntil(cache.put(request, response.clone()));
    return response;
}
