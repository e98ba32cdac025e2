// The page's words, in the language of the person who last used the app on this browser (install.js keeps the
// language each page was shown in), else the browser's first language the app speaks, else English. The words come
// with the worker's cache (/offline/words.json), so they are there without a connection.
const offlineWords = (async function () {
    let all = {};
    try { all = await (await fetch('/offline/words.json')).json(); } catch { /* the cache lost them: ids stay empty */ }
    const wanted = [localStorage.getItem('bsg-lang'), ...(navigator.languages || [])]
        .filter(Boolean).map(tag => tag.toLowerCase().split('-')[0]);
    const language = wanted.find(tag => all[tag]) || 'en';
    const words = all[language] || {};
    document.documentElement.lang = language;
    if (words.Title) document.title = words.Title;
    for (const element of document.querySelectorAll('[data-word]')) element.textContent = words[element.dataset.word] || '';
    return words;
})();

// The offline page stands in for the page the person asked for, at that page's address: once the app answers its
// health check again, reloading brings that page back. Checked every few seconds, when the phone says it is online,
// and when "Try again" is pressed; reloading without asking first would only show this page again.
(function () {
    const status = document.getElementById('offline-status');
    let next = null;
    async function check(byHand) {
        clearTimeout(next);
        const words = await offlineWords;
        if (byHand) status.textContent = words.Checking || '';
        try {
            const response = await fetch('/health', { cache: 'no-store' });
            if (response.ok) { status.textContent = words.Answers || ''; location.reload(); return; }
        } catch { /* still unreachable */ }
        if (byHand) status.textContent = words.StillNone || '';
        next = setTimeout(() => check(false), 5000);
    }
    document.getElementById('try-again').addEventListener('click', () => check(true));
    window.addEventListener('online', () => check(false));
    // Not at once: a page that fails while the health check passes (a proxy timing out) must not reload in a loop.
    next = setTimeout(() => check(false), 5000);
})();

// Crisis resources need no connection to the app: a phone number works without it. Built from text nodes only.
(async function () {
    const words = await offlineWords;
    let resources = [];
    try { resources = await (await fetch('/offline/crisis-resources.json')).json(); } catch { return; }
    if (!Array.isArray(resources) || resources.length === 0) return;
    // Those in the page's language, then those for everybody; the others only when there are none (as the app does).
    const language = document.documentElement.lang;
    const mine = [...resources.filter(r => r.language === language), ...resources.filter(r => !r.language)];
    if (mine.length > 0) resources = mine;
    const list = document.getElementById('crisis-resources');
    for (const resource of resources) {
        const item = document.createElement('li');
        const name = document.createElement('strong');
        name.textContent = resource.name || '';
        item.append(name);
        if (resource.phone) {
            const call = document.createElement('a');
            call.href = 'tel:' + String(resource.phone).replace(/[^0-9+]/g, '');
            call.textContent = (words.Call || '{0}').replace('{0}', resource.phone);
            item.append(' ', call);
        }
        if (resource.url && /^https?:\/\//i.test(resource.url)) {
            const link = document.createElement('a');
            link.href = resource.url;
            link.rel = 'noopener';
            link.textContent = new URL(resource.url).host;
            item.append(' ', link);
        }
        if (resource.text) {
            const text = document.createElement('p');
            text.textContent = resource.text;
            item.append(text);
        }
        list.append(item);
    }
    document.getElementById('support-now').hidden = false;
})();
