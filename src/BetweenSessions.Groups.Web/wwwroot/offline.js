// The offline page stands in for the page the person asked for, at that page's address: once the app answers its
// health check again, reloading brings that page back. Checked every few seconds, when the phone says it is online,
// and when "Try again" is pressed; reloading without asking first would only show this page again.
(function () {
    const status = document.getElementById('offline-status');
    let next = null;
    async function check(byHand) {
        clearTimeout(next);
        if (byHand) status.textContent = 'Checking…';
        try {
            const response = await fetch('/health', { cache: 'no-store' });
            if (response.ok) { status.textContent = 'The app answers again. Opening your page…'; location.reload(); return; }
        } catch { /* still unreachable */ }
        if (byHand) status.textContent = 'Still no connection. This page keeps trying by itself.';
        next = setTimeout(() => check(false), 5000);
    }
    document.getElementById('try-again').addEventListener('click', () => check(true));
    window.addEventListener('online', () => check(false));
    // Not at once: a page that fails while the health check passes (a proxy timing out) must not reload in a loop.
    next = setTimeout(() => check(false), 5000);
})();

// Crisis resources need no connection to the app: a phone number works without it. Built from text nodes only.
(async function () {
    let resources = [];
    try { resources = await (await fetch('/offline/crisis-resources.json')).json(); } catch { return; }
    if (!Array.isArray(resources) || resources.length === 0) return;
    const list = document.getElementById('crisis-resources');
    for (const resource of resources) {
        const item = document.createElement('li');
        const name = document.createElement('strong');
        name.textContent = resource.name || '';
        item.append(name);
        if (resource.phone) {
            const call = document.createElement('a');
            call.href = 'tel:' + String(resource.phone).replace(/[^0-9+]/g, '');
            call.textContent = 'Call ' + resource.phone;
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
