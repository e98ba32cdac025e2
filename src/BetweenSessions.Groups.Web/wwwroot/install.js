// Registers the service worker (/sw.js, Shell/sw.js in the source) that makes the app installable and shows a calm
// offline page when the server cannot be reached. After the page has loaded, so it never slows the first page down.
// updateViaCache 'none': the browser asks the server for /sw.js itself on every check, so a release is noticed at once.
(function () {
    // The offline page speaks the language this page was shown in (offline.js reads it back).
    try { localStorage.setItem('bsg-lang', document.documentElement.lang || 'en'); } catch { /* storage refused */ }
    if (!('serviceWorker' in navigator)) return;
    const register = () => navigator.serviceWorker.register('/sw.js', { scope: '/', updateViaCache: 'none' }).catch(() => { });
    if (document.readyState === 'complete') register(); else window.addEventListener('load', register);
})();
