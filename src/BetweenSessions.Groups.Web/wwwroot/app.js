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
    // Entry forms' native fields are the browser's alone until sent: hand them to their forms to be kept.
    await Promise.all(Array.from(outbox.forms, ([key, form]) => {
        const element = document.querySelector('form[data-outbox][data-form="' + key + '"]');
        return element ? form.invokeMethodAsync('KeepDraft', readEntry(element)).catch(() => { }) : null;
    }));
    if (connection.live) outbox.rememberSeen();
    connection.paused = await Blazor.pauseCircuit().catch(() => false);
    // The paused circuit's forms are gone with it; the resumed circuit's forms attach afresh.
    if (connection.paused) outbox.forms.clear();
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

// Every kind of entry (check-ins, wins, things to bring, reflections, practice logs, round answers) is written to this
// device first and forgotten only once the circle has stored it or refused it for good (the server tells us by
// calling outbox.forget). While the connection is down each form still works: the entry waits here with its
// clientEventId, the page lists it, and sends it when the connection is back; the id makes a repeated send store
// nothing twice. A form opts in with data-outbox="<kind>" (Components/Circles/DeviceForm.razor); its named fields are
// what is kept. Each person's entries are kept under their own key (bsg.outbox.<memberId>), read only for the person
// signed in, and removed when they sign out, so whoever signs in next on this browser finds nothing of theirs.
function outbox() { }
outbox.prefix = 'bsg.outbox.';
outbox.forms = new Map();          // form key (data-form) -> DotNetObjectReference of the attached entry form
// The person signed in, as the layout's sign-out form says; no one signed in, no one's entries.
outbox.me = function () {
    const form = document.querySelector('form[action="account/logout"][data-member]');
    return form ? form.dataset.member : null;
};
outbox.all = function (memberId) {
    memberId = memberId || outbox.me();
    if (!memberId) return [];
    try { return JSON.parse(window.localStorage.getItem(outbox.prefix + memberId) || '[]'); } catch { return []; }
};
outbox.save = function (memberId, items) {
    try {
        if (items.length === 0) window.localStorage.removeItem(outbox.prefix + memberId);
        else window.localStorage.setItem(outbox.prefix + memberId, JSON.stringify(items));
        return true;
    } catch { return false; }
};
outbox.put = function (item) {
    const saved = outbox.save(item.memberId, outbox.all(item.memberId).filter(i => i.clientEventId !== item.clientEventId).concat([item]));
    outbox.show();
    return saved;
};
outbox.forget = function (memberId, clientEventId) {
    outbox.save(memberId, outbox.all(memberId).filter(i => i.clientEventId !== clientEventId));
    outbox.show();
};
outbox.pending = function (circleId, memberId) {
    return outbox.all(memberId).filter(i => i.circleId === circleId);
};
outbox.clear = function (memberId) {
    try { window.localStorage.removeItem(outbox.prefix + memberId); } catch { }
};
// Each form instance says who it is: a paused page's old form can still say goodbye after its resumed successor
// attached, and must not take the new one with it.
outbox.attach = function (key, form, instance) {
    form.instance = instance;
    outbox.forms.set(key, form);
    connection.live = true;
    (outbox.waiting.get(key) || []).forEach(resolve => resolve(form));
    outbox.waiting.delete(key);
    outbox.show();
};
// A page just opened or resumed is up before its forms have attached: an entry sent meanwhile waits for its form.
outbox.waiting = new Map();        // form key -> resolvers waiting for it to attach
outbox.attached = function (key) {
    return new Promise(resolve => {
        outbox.waiting.set(key, (outbox.waiting.get(key) || []).concat([resolve]));
        setTimeout(() => resolve(null), 10000);
    });
};
outbox.detach = function (key, instance) { if (outbox.forms.get(key)?.instance === instance) outbox.forms.delete(key); };

// What is kept for a circle, listed on its page until sent: written here only, as the page may have no connection.
// The words are the page's, in the person's language (CirclePage's data-words-* on the list): this file has none.
outbox.show = function () {
    document.querySelectorAll('[data-kept-list]').forEach(list => {
        const items = outbox.all(list.dataset.member).filter(i => i.circleId === list.dataset.keptList);
        if (items.length === 0) { list.replaceChildren(); return; }
        const said = list.dataset;
        let kinds = {};
        try { kinds = JSON.parse(said.wordsKinds || '{}'); } catch { }
        const heading = document.createElement('h3');
        heading.textContent = said.wordsHeading || '';
        const entries = document.createElement('ul');
        for (const item of items) {
            const f = item.fields || {};
            let words = f.text || f.note || f.important || f.stillWithMe || f.toNotice || f.feelings || (f.pass === 'true' ? said.wordsPass || '' : '') || '';
            if (words.length > 80) words = words.slice(0, 79) + '…';
            const entry = document.createElement('li');
            entry.dataset.kind = item.kind;
            const kind = kinds[item.kind] || said.wordsSomething || '';
            entry.textContent = words
                ? (said.wordsEntry || '{0}: {1}').replace('{0}', kind).replace('{1}', words)
                : (said.wordsEntryBare || '{0}').replace('{0}', kind);
            entries.append(entry);
        }
        list.replaceChildren(heading, entries);
    });
};

// Before entries were kept per person, one list held everyone's check-ins: each goes to its own person's list, once.
(function keepPerPerson() {
    try {
        const shared = window.localStorage.getItem('bsg.outbox');
        if (shared === null) return;
        window.localStorage.removeItem('bsg.outbox');
        for (const old of JSON.parse(shared)) {
            if (!old || !old.memberId || !old.clientEventId) continue;
            outbox.put({
                kind: 'check-in', clientEventId: old.clientEventId, circleId: old.circleId, memberId: old.memberId, keptAt: old.keptAt,
                fields: { capacity: old.capacity, feelings: old.feelings, note: old.note, visibility: old.visibility }
            });
        }
    } catch { }
})();

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

// An entry as kept: its kind, id, whose and where, and the form's named fields as written (the button pressed too,
// for a form with more than one, e.g. a round's Pass).
function readEntry(form, submitter) {
    let data;
    try { data = submitter ? new FormData(form, submitter) : new FormData(form); } catch { data = new FormData(form); }
    const fields = {};
    for (const [name, value] of data) {
        if (name === 'clientEventId' || typeof value !== 'string' || value.trim() === '') continue;
        fields[name] = value;
    }
    const id = data.get('clientEventId');
    return {
        kind: form.dataset.outbox,
        clientEventId: id ? String(id) : newClientEventId(),
        circleId: form.dataset.circle,
        memberId: form.dataset.member,
        keptAt: new Date().toISOString(),
        fields: fields
    };
}

function say(form, message, problem) {
    const status = form.querySelector('.outbox-status');
    if (!status) return;
    status.textContent = message;
    if (problem) status.dataset.problem = 'true'; else delete status.dataset.problem;
}

function keepForLater(form, message) {
    // Clears what was written but keeps the audience and what the entry is about (its hidden fields): Blazor sets
    // radios' checked property, not the attribute that form.reset() would restore, so a reset would leave no audience.
    form.querySelectorAll('input, textarea').forEach(field => {
        if (field.type === 'hidden' || field.type === 'submit' || field.type === 'button') return;
        if (field.type === 'radio' || field.type === 'checkbox') { if (field.name !== 'visibility') field.checked = false; return; }
        field.value = '';
    });
    if (form.elements.clientEventId) form.elements.clientEventId.value = newClientEventId();
    form.dataset.kept = 'true';
    say(form, message);
}

// What a form says when it keeps an entry, in the page's words (DeviceForm's data-words-* on its status line).
const formWords = (form, name) => form.querySelector('.outbox-status')?.dataset[name] || '';
const keptMessage = form => formWords(form, 'wordsKept');

// Capture phase on window: runs before Blazor's own event delegation, so writing never depends on the circuit.
window.addEventListener('submit', function (event) {
    const form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.dataset.outbox) return;
    event.preventDefault();
    event.stopImmediatePropagation();
    const item = readEntry(form, event.submitter);
    const key = form.dataset.form;
    const live = connection.live && outbox.forms.get(key);
    if (!live) {
        // Nothing is kept that could not be sent as meant: an audience is chosen, never assumed, and so on. With a
        // connection the form itself says what is missing.
        const missing = Array.from(form.querySelectorAll('[data-required]')).find(group => !group.querySelector('input:checked'));
        if (missing) { say(form, missing.dataset.required, true); return; }
    }
    if (!outbox.put(item) && !live) {
        say(form, formWords(form, 'wordsCannotKeep'), true);
        return;
    }
    // A keyboard user who sent with the button goes on from it: the sent entry's form is a fresh one, so its button is
    // sought again by id once the send is done (seen in CI: the general watch below alone sometimes missed it).
    const button = event.submitter && event.submitter === document.activeElement && event.submitter.id;
    // If the circuit went away mid-call, the entry is still kept and goes with the next flush.
    const send = target => target.invokeMethodAsync('SendAsync', item)
        .then(() => { if (button) giveFocusBack(button); }, () => keepForLater(form, keptMessage(form)));
    if (!live && connection.live) {
        outbox.attached(key).then(target => target ? send(target) : keepForLater(form, keptMessage(form)));
        return;
    }
    if (!live) { keepForLater(form, keptMessage(form)); return; }
    delete form.dataset.kept;
    say(form, '');
    send(live);
}, true);

// Focus goes back to the button with this id if nothing else took it meanwhile; the render that replaced it may still be
// on its way, so it is looked for over a few frames.
function giveFocusBack(id) {
    const deadline = Date.now() + 2000;
    (function attempt() {
        const active = document.activeElement;
        const lost = !active || active === document.body || !active.isConnected || active.disabled;
        if (!lost) return;
        const button = document.getElementById(id);
        if (button && !button.disabled) { button.focus({ preventScroll: true }); return; }
        if (Date.now() < deadline) requestAnimationFrame(attempt);
    })();
}

// Signing out with entries still on the device deletes them (the next person must not find them), so the person is
// asked first, in plain words, and staying is the default answer. The words are the page's (#sign-out-words, App.razor).
function askBeforeSigningOut(unsent, signOut) {
    const said = document.getElementById('sign-out-words')?.dataset || {};
    let dialog = document.getElementById('sign-out-warning');
    if (!dialog) {
        dialog = document.createElement('dialog');
        dialog.id = 'sign-out-warning';
        dialog.className = 'sign-out-warning';
        dialog.setAttribute('aria-labelledby', 'sign-out-warning-text');
        const text = document.createElement('p');
        text.id = 'sign-out-warning-text';
        const actions = document.createElement('div');
        actions.className = 'actions';
        const stay = document.createElement('button');
        stay.type = 'button';
        stay.className = 'rz-button rz-primary';
        stay.textContent = said.stay || '';
        stay.addEventListener('click', () => dialog.close());
        const leave = document.createElement('button');
        leave.type = 'button';
        leave.className = 'rz-button rz-light';
        leave.textContent = said.leave || '';
        leave.addEventListener('click', () => { dialog.close(); dialog.signOut?.(); });
        actions.append(stay, leave);
        dialog.append(text, actions);
        document.body.append(dialog);
    }
    dialog.signOut = signOut;
    dialog.querySelector('p').textContent = (unsent === 1 ? said.one || '' : said.many || '').replace('{0}', String(unsent));
    dialog.showModal();
}


// "Sign out everywhere" (Settings) ends this session too: what this person kept here leaves with it, as with "Sign out".
document.addEventListener('submit', function (event) {
    const form = event.target;
    if (!(form instanceof HTMLFormElement) || form.getAttribute('action') !== 'account/logout-everywhere' || form.dataset.ready) return;
    const memberId = outbox.me();
    if (!memberId) return;
    const unsent = outbox.all(memberId).length;
    if (unsent === 0) return;
    event.preventDefault();
    askBeforeSigningOut(unsent, function () { outbox.clear(memberId); form.dataset.ready = 'true'; form.submit(); });
}, true);

// Focus stays where the person was after a send. A button is disabled while what it sends is stored, and the browser
// drops focus from a disabled control to the page itself, so a keyboard or screen-reader user would start again at the
// top. When the button that had focus is enabled again (or replaced by the same id) and nothing else took focus
// meanwhile, it gets focus back.
(function keepFocusThroughSends() {
    let waiting = null;
    // A render may also replace the focused button outright (a sent entry's form is a fresh one), and a removed element
    // does not always say it lost focus: the button last focused is remembered, and sought again by its id.
    let focused = null;
    document.addEventListener('focusin', function (event) {
        focused = event.target instanceof HTMLButtonElement && event.target.id ? event.target : null;
    }, true);
    document.addEventListener('focusout', function (event) {
        const button = event.target;
        if (event.relatedTarget || !(button instanceof HTMLButtonElement)) return;
        // The disabled attribute is set in the same render that moves focus away; look once that render is done.
        queueMicrotask(function () {
            if (button.disabled || !button.isConnected) waiting = { id: button.id, element: button };
            else if (focused === button) focused = null; // the person clicked elsewhere: nothing to give back
        });
    }, true);
    new MutationObserver(function () {
        if (!waiting && focused && !focused.isConnected) waiting = { id: focused.id, element: focused };
        focused = waiting ? null : focused;
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
    let onItsWay = false;
    let signingOut = false;
    let posting = false;
    const keepAlive = function (now) {
        if (signingOut || posting) return;
        lastKeepAlive = now;
        onItsWay = true;
        inflight = fetch('account/keep-alive', { credentials: 'same-origin' }).catch(function () { })
            .then(function () { onItsWay = false; });
    };
    // Any other form posted to the server (changing the password, say) may answer with a new cookie as well, and a
    // keep-alive answered after it would put the old one back: the next page would find the session ended (seen in CI).
    // Such a form waits for a keep-alive already on its way, a matter of milliseconds, and none starts after it.
    const released = new WeakSet();
    document.addEventListener('submit', function (event) {
        const form = event.target;
        if (!(form instanceof HTMLFormElement) || form.method !== 'post' || event.defaultPrevented
            || form.getAttribute('action') === 'account/logout') return;
        posting = true;
        if (!onItsWay || released.has(form)) { released.delete(form); return; }
        event.preventDefault();
        event.stopImmediatePropagation();
        const submitter = event.submitter;
        inflight.then(function () { released.add(form); form.requestSubmit(submitter || undefined); });
    }, true);
    window.addEventListener('pageshow', function (event) { if (event.persisted) posting = false; });
    document.addEventListener('submit', function (event) {
        const form = event.target;
        if (!(form instanceof HTMLFormElement) || form.getAttribute('action') !== 'account/logout' || form.dataset.ready) return;
        event.preventDefault();
        if (signingOut) return;
        const memberId = form.dataset.member;
        const go = function () {
            signingOut = true;
            // What this person kept on the device leaves with them: the next person on this browser finds none of it.
            if (memberId) outbox.clear(memberId);
            inflight.then(function () { form.dataset.ready = 'true'; form.submit(); });
        };
        const unsent = memberId ? outbox.all(memberId).length : 0;
        if (unsent === 0) go(); else askBeforeSigningOut(unsent, go);
    }, true);
    const signOut = function () {
        const form = document.querySelector('form[action="account/logout"]');
        if (!form || signingOut) return;
        signingOut = true;
        // Nobody is there to ask, and the device may be shared: what was kept and not sent is removed with the session.
        if (form.dataset.member) outbox.clear(form.dataset.member);
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
