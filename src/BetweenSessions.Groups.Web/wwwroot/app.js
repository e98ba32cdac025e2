// Tiny helpers called from Blazor with IJSRuntime.InvokeAsync: each thing a page needs from the browser is a named
// function, so the components say what they ask for.
window.bsg = {
    // A page's title once the page knows it (a circle's name): the head itself is rendered only once.
    title: function (text) { document.title = text; },
    // The browser's IANA time zone (e.g. "Europe/Berlin"), to offer as the default on the settings page.
    timeZone: function () {
        try { return Intl.DateTimeFormat().resolvedOptions().timeZone || null; } catch { return null; }
    },
    // Moves focus to something that just appeared (the crisis resources), so a screen reader reads it at once.
    focus: function (id) {
        const element = document.getElementById(id);
        if (element) element.focus();
    },
    // The phone's section bar: to the section's heading, and focus there so the next Tab goes on from it.
    goTo: function (id) {
        const element = document.getElementById(id);
        if (!element) return;
        element.scrollIntoView({ block: "start" });
        element.focus({ preventScroll: true });
    },
    connection: connection,
    outbox: outbox
};

// The page's connection, as the person should understand it. Blazor toggles classes on #components-reconnect-modal
// (our own banner in App.razor, which never blocks the page, unlike the default overlay): "show" while reconnecting,
// "hide" when back on the same circuit, "failed" after its last retry, "rejected" when the server no longer knows the
// circuit (it restarted). Without the overlay Blazor leaves the last two to us.
function connection() { }
connection.live = false;           // true once a circle page said its circuit is interactive, false while down
connection.markLive = function () { connection.live = true; };
(function watchConnection() {
    const watch = () => {
        const banner = document.getElementById('components-reconnect-modal');
        if (!banner) return;
        new MutationObserver(() => {
            const classes = banner.classList;
            if (classes.contains('components-reconnect-hide')) {
                connection.live = true;
                document.body.classList.remove('bsg-offline');
                return;
            }
            if (!classes.contains('components-reconnect-show') && !classes.contains('components-reconnect-failed')
                && !classes.contains('components-reconnect-rejected')) return;
            if (connection.live) outbox.rememberSeen();
            connection.live = false;
            document.body.classList.add('bsg-offline');
            // A new circuit is needed: a fresh page sends what was kept on this device and shows what was missed.
            if (classes.contains('components-reconnect-rejected')) location.reload();
            if (classes.contains('components-reconnect-failed')) reloadWhenServerAnswers();
        }).observe(banner, { attributes: true, attributeFilter: ['class'] });
    };
    if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', watch); else watch();
})();

// After Blazor stops retrying, reloading blindly would show the browser's own error page (and on a phone lose the
// tab's place); asking the health endpoint first reloads only once the app can answer.
function reloadWhenServerAnswers() {
    const attempt = () => fetch('health', { cache: 'no-store' })
        .then(r => { if (r.ok) location.reload(); else setTimeout(attempt, 5000); })
        .catch(() => setTimeout(attempt, 5000));
    attempt();
}

// Check-ins are written to this device first and forgotten only once the circle has stored them (the server tells
// us by calling outbox.forget). While the connection is down the form still works: the check-in waits here with its
// clientEventId, and the page sends it when it is back; the id makes a repeated send store nothing twice.
function outbox() { }
outbox.key = 'bsg.outbox';
outbox.forms = new Map();          // circleId -> DotNetObjectReference of the open check-in form
outbox.all = function () {
    try { return JSON.parse(window.localStorage.getItem(outbox.key) || '[]'); } catch { return []; }
};
outbox.save = function (items) {
    try { window.localStorage.setItem(outbox.key, JSON.stringify(items)); return true; } catch { return false; }
};
outbox.put = function (item) {
    return outbox.save(outbox.all().filter(i => i.clientEventId !== item.clientEventId).concat([item]));
};
outbox.forget = function (clientEventId) {
    outbox.save(outbox.all().filter(i => i.clientEventId !== clientEventId));
};
outbox.pending = function (circleId, memberId) {
    return outbox.all().filter(i => i.circleId === circleId && i.memberId === memberId);
};
outbox.attach = function (circleId, form) { outbox.forms.set(circleId, form); connection.live = true; };
outbox.detach = function (circleId) { outbox.forms.delete(circleId); };
// What the feed showed when the connection dropped, so the page can mark what arrived after it.
outbox.rememberSeen = function () {
    document.querySelectorAll('[data-circle-feed]').forEach(feed => {
        try { window.sessionStorage.setItem('bsg.seen.' + feed.dataset.circleFeed, feed.dataset.lastSeq || '0'); } catch { }
    });
};
outbox.takeSeen = function (circleId) {
    try {
        const key = 'bsg.seen.' + circleId;
        const seen = window.sessionStorage.getItem(key);
        window.sessionStorage.removeItem(key);
        return seen === null ? null : Number(seen);
    } catch { return null; }
};

function newClientEventId() {
    const bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return Array.from(bytes, b => b.toString(16).padStart(2, '0')).join('');
}

function readCheckIn(form) {
    const data = new FormData(form);
    const text = name => { const v = data.get(name); return v === null || String(v).trim() === '' ? null : String(v); };
    return {
        clientEventId: text('clientEventId') || newClientEventId(),
        circleId: form.dataset.circle,
        memberId: form.dataset.member,
        capacity: text('capacity'),
        feelings: text('feelings'),
        note: text('note'),
        visibility: text('visibility'),
        keptAt: new Date().toISOString()
    };
}

function keepForLater(form, message) {
    // Clears what was written but keeps the audience: Blazor sets radios' checked property, not the attribute that
    // form.reset() would restore, so a reset would leave no audience chosen.
    form.querySelectorAll('input[name=capacity]').forEach(radio => { radio.checked = false; });
    form.elements.feelings.value = '';
    form.elements.note.value = '';
    form.elements.clientEventId.value = newClientEventId();
    form.dataset.kept = 'true';
    const status = form.querySelector('.outbox-status');
    if (status) status.textContent = message;
}

// Capture phase on window: runs before Blazor's own event delegation, so a check-in never depends on the circuit.
window.addEventListener('submit', function (event) {
    const form = event.target;
    if (!(form instanceof HTMLFormElement) || form.dataset.outbox !== 'check-in') return;
    event.preventDefault();
    event.stopImmediatePropagation();
    const item = readCheckIn(form);
    const live = connection.live && outbox.forms.get(item.circleId);
    if (!item.visibility) {
        // Nothing is shared more widely than meant: the audience is chosen, never assumed.
        const status = form.querySelector('.outbox-status');
        if (status) status.textContent = 'Choose who can see this first: the circle, facilitators only, or only you.';
        return;
    }
    if (!live && !item.capacity) {
        const status = form.querySelector('.outbox-status');
        if (status) status.textContent = 'Choose how much capacity you have (resting counts too), then check in.';
        return;
    }
    if (!outbox.put(item) && !live) {
        const status = form.querySelector('.outbox-status');
        if (status) status.textContent = 'This browser cannot keep it while the connection is down. Please keep your words and try again shortly.';
        return;
    }
    const kept = 'Kept on this device. It will be sent to the circle as soon as the connection is back.';
    if (!live) { keepForLater(form, kept); return; }
    delete form.dataset.kept;
    const status = form.querySelector('.outbox-status');
    if (status) status.textContent = '';
    // If the circuit went away mid-call, the check-in is still kept and goes with the next flush.
    live.invokeMethodAsync('SendAsync', item).catch(() => keepForLater(form, kept));
}, true);


// Focus stays where the person was after a send. A button is disabled while what it sends is stored, and the browser
// drops focus from a disabled control to the page itself, so a keyboard or screen-reader user would start again at the
// top. When the button that had focus is enabled again (or replaced by the same id) and nothing else took focus
// meanwhile, it gets focus back.
(function keepFocusThroughSends() {
    let waiting = null;
    document.addEventListener('focusout', function (event) {
        const button = event.target;
        if (event.relatedTarget || !(button instanceof HTMLButtonElement)) return;
        // The disabled attribute is set in the same render that moves focus away; look once that render is done.
        queueMicrotask(function () { if (button.disabled) waiting = { id: button.id, element: button }; });
    }, true);
    new MutationObserver(function () {
        if (!waiting) return;
        const active = document.activeElement;
        if (active && active !== document.body) { waiting = null; return; }
        const element = waiting.element.isConnected ? waiting.element : (waiting.id && document.getElementById(waiting.id));
        if (element && !element.disabled) {
            waiting = null;
            element.focus({ preventScroll: true });
        }
    }).observe(document.documentElement, { subtree: true, attributes: true, attributeFilter: ['disabled'], childList: true });
})();
