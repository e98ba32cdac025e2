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
// "hide" when back on the same circuit, "paused" while a sleeping page's circuit is paused (below), "failed" after its
// last retry, "rejected" when the server knows the circuit no more and could not resume it from its persisted state
// (the app restarted, or too long went by). Without the overlay Blazor leaves the last two to us.
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
            if (classes.contains('components-reconnect-resume-failed')) { location.reload(); return; }
            if (!['show', 'failed', 'rejected', 'paused'].some(state => classes.contains('components-reconnect-' + state))) return;
            if (connection.live) outbox.rememberSeen();
            connection.live = false;
            document.body.classList.add('bsg-offline');
            // A new circuit is needed: a fresh page sends what was kept on this device and shows what was missed.
            if (classes.contains('components-reconnect-rejected')) location.reload();
            if (classes.contains('components-reconnect-failed')) comeBackWhenServerAnswers();
        }).observe(banner, { attributes: true, attributeFilter: ['class'] });
    };
    if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', watch); else watch();
})();

// After Blazor stops retrying, reloading blindly would show the browser's own error page (and on a phone lose the
// tab's place); asking the health endpoint first comes back only once the app can answer: to the same circuit if it
// is still there, else to one resumed from the state the server persisted when it let the old one go (drafts and
// all), else to a fresh page.
function comeBackWhenServerAnswers() {
    const attempt = () => fetch('health', { cache: 'no-store' })
        .then(async r => {
            if (!r.ok) { setTimeout(attempt, 5000); return; }
            if (await Blazor.reconnect().catch(() => false)) return;
            if (await Blazor.resumeCircuit().catch(() => false)) return;
            location.reload();
        })
        .catch(() => setTimeout(attempt, 5000));
    attempt();
}

// A phone that sleeps keeps its page. While the page is hidden (the screen locked, another app in front) its circuit
// is paused: the server hands the page's persisted state (drafts, the open composer, how much of the feed is shown:
// the components' [PersistentState]) to this page, encrypted, and lets the circuit go; when the page is seen again a
// new circuit resumes from it, even on a server that restarted meanwhile. A phone freezes a hidden page within
// seconds, so it pauses at once; a laptop's tab waits a while, so a glance at another tab costs nothing.
connection.pauseDelay = () => window.matchMedia('(pointer: coarse)').matches ? 0 : 120000;
connection.paused = false;
connection.pause = async function () {
    // Typed text reaches the server on "change", which a field keeps to itself while it has focus: send it now.
    const active = document.activeElement;
    if (active instanceof HTMLInputElement || active instanceof HTMLTextAreaElement) {
        active.dispatchEvent(new Event('change', { bubbles: true }));
    }
    // The check-in's native fields are the browser's alone until sent: hand them to their form to be kept.
    await Promise.all(Array.from(outbox.forms, ([circleId, form]) => {
        const element = document.querySelector('form[data-outbox="check-in"][data-circle="' + circleId + '"]');
        return element ? form.invokeMethodAsync('KeepDraft', readCheckIn(element)).catch(() => { }) : null;
    }));
    if (connection.live) outbox.rememberSeen();
    connection.paused = await Blazor.pauseCircuit().catch(() => false);
    return connection.paused;
};
connection.resume = async function () {
    if (!connection.paused) return;
    connection.paused = false;
    if (!await Blazor.resumeCircuit().catch(() => false)) location.reload();
};
(function pauseWhileHidden() {
    let timer = null, pausing = null;
    document.addEventListener('visibilitychange', () => {
        if (document.visibilityState === 'hidden') {
            if (timer || pausing) return;
            timer = setTimeout(() => { timer = null; pausing = connection.pause(); }, connection.pauseDelay());
            return;
        }
        clearTimeout(timer);
        timer = null;
        if (!pausing) return;
        const paused = pausing;
        pausing = null;
        paused.then(() => connection.resume());
    });
})();

// A form posted to the server (signing up hashes a password, signing in checks one) can take a moment: its button
// says what is happening, a status says it to screen readers, and a second press sends nothing more. The page that
// answers replaces this one; coming back to it from the browser's history finds the button as it was.
(function busyForms() {
    document.addEventListener('submit', e => {
        const form = e.target;
        if (e.defaultPrevented || !(form instanceof HTMLFormElement)) return;
        const button = form.querySelector('button[data-busy-text]');
        if (!button) return;
        if (form.dataset.sending) { e.preventDefault(); return; }
        form.dataset.sending = 'true';
        button.dataset.idleText = button.textContent;
        button.textContent = button.dataset.busyText;
        button.setAttribute('aria-busy', 'true');
        button.setAttribute('aria-disabled', 'true');
        const status = form.querySelector('[data-busy-status]');
        if (status) status.textContent = button.dataset.busyText;
    });
    window.addEventListener('pageshow', e => {
        if (!e.persisted) return;
        document.querySelectorAll('form[data-sending]').forEach(form => {
            delete form.dataset.sending;
            const button = form.querySelector('button[data-busy-text]');
            if (button?.dataset.idleText) button.textContent = button.dataset.idleText;
            button?.removeAttribute('aria-busy');
            button?.removeAttribute('aria-disabled');
            const status = form.querySelector('[data-busy-status]');
            if (status) status.textContent = '';
        });
    });
})();

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
// Each form instance says who it is: a paused page's old form can still say goodbye after its resumed successor
// attached, and must not take the new one with it.
outbox.attach = function (circleId, form, instance) { form.instance = instance; outbox.forms.set(circleId, form); connection.live = true; };
outbox.detach = function (circleId, instance) { if (outbox.forms.get(circleId)?.instance === instance) outbox.forms.delete(circleId); };
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

// A session without "Keep me signed in" (a shared or borrowed device) ends after a while without activity: the layout
// marks such a session with #idle-sign-out. While the person is active the cookie is issued again now and then (a page
// on a circuit makes no requests of its own; the cookie outlasts the limit by a quarter, so keeping it fresh every
// tenth of the limit always keeps it ahead). Once they have been away too long, the page signs out through the same
// form as the "Sign out" button, also when they come back to a page that waited in the background; if the session
// had already ended on the server, the page still goes to sign-in.
(function signOutWhenIdle() {
    let lastActivity = Date.now();
    let lastKeepAlive = 0;
    const limit = function () {
        const marker = document.getElementById('idle-sign-out');
        return marker ? Number(marker.dataset.seconds) * 1000 : 0;
    };
    // A keep-alive answers with a fresh cookie; one still on its way when the person signs out would put the cookie
    // back after the sign-out removed it. So signing out waits for it, and no keep-alive starts after that.
    let inflight = Promise.resolve();
    let signingOut = false;
    const keepAlive = function (now) {
        if (signingOut) return;
        lastKeepAlive = now;
        inflight = fetch('account/keep-alive', { credentials: 'same-origin' }).catch(function () { });
    };
    document.addEventListener('submit', function (event) {
        const form = event.target;
        if (!(form instanceof HTMLFormElement) || form.getAttribute('action') !== 'account/logout' || form.dataset.ready) return;
        event.preventDefault();
        signingOut = true;
        inflight.then(function () { form.dataset.ready = 'true'; form.submit(); });
    }, true);
    const signOut = function () {
        const form = document.querySelector('form[action="account/logout"]');
        if (!form || signingOut) return;
        signingOut = true;
        const done = function () { location.href = 'account/login?reason=idle'; };
        inflight.then(function () {
            return fetch(form.action, { method: 'POST', body: new FormData(form), credentials: 'same-origin', redirect: 'manual' });
        }).then(done, done);
    };
    const active = function () {
        const ms = limit();
        if (!ms) return;
        const now = Date.now();
        if (now - lastActivity >= ms) { signOut(); return; }
        lastActivity = now;
        if (now - lastKeepAlive > ms / 10) keepAlive(now);
    };
    ['pointerdown', 'keydown', 'touchstart', 'wheel'].forEach(function (type) {
        document.addEventListener(type, active, { passive: true, capture: true });
    });
    setInterval(function () {
        const ms = limit();
        if (!ms) return;
        const now = Date.now();
        // A page just opened counts as activity, so its cookie is made fresh at once.
        if (lastKeepAlive === 0) keepAlive(now);
        if (now - lastActivity >= ms) signOut();
    }, 1000);
})();
