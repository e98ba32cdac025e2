// Push notifications on this device, for the Settings page's "Notifications on this phone" (PushSection.razor). The
// buttons (data-push="enable" / "disable") are handled here, not through the circuit: browsers only ask for permission
// from the click itself. The page learns the outcome through the component it attached (bsgPush.attach), as a short
// word: on, off, unsupported, denied, no-worker or failed. The service worker's side is sw-push.js.
(function push() {
    let page = null;

    const supported = () => 'serviceWorker' in navigator && 'PushManager' in window && 'Notification' in window;

    const toBytes = base64url => {
        const base64 = base64url.replace(/-/g, '+').replace(/_/g, '/');
        const raw = atob(base64 + '='.repeat((4 - base64.length % 4) % 4));
        return Uint8Array.from(raw, c => c.charCodeAt(0));
    };
    const toBase64url = buffer => btoa(String.fromCharCode(...new Uint8Array(buffer)))
        .replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');

    // The app's service worker (/sw.js, which imports sw-push.js). Not waited on for long: without one, nothing on this
    // device can receive a push, and the page says so instead of waiting.
    async function worker() {
        if (await navigator.serviceWorker.getRegistration()) return navigator.serviceWorker.ready;
        return Promise.race([navigator.serviceWorker.ready, new Promise(resolve => setTimeout(() => resolve(null), 3000))]);
    }

    async function state() {
        if (!supported()) return 'unsupported';
        if (Notification.permission === 'denied') return 'denied';
        const registration = await navigator.serviceWorker.getRegistration();
        const subscription = registration && await registration.pushManager.getSubscription();
        if (!subscription || Notification.permission !== 'granted') return 'off';
        // The browser keeps its subscription after a sign-out here; the server has let it go, so it is off until chosen again.
        const response = await fetch('api/me/push', { credentials: 'same-origin' });
        return response.ok && (await response.json()).thisDevice ? 'on' : 'off';
    }

    async function enable() {
        if (!supported()) return 'unsupported';
        // First, while the click still counts as the person's: Safari and Firefox ask only then.
        const permission = await Notification.requestPermission();
        if (permission !== 'granted') return 'denied';
        const registration = await worker();
        if (!registration) return 'no-worker';
        const keyResponse = await fetch('api/push/key', { credentials: 'same-origin' });
        if (!keyResponse.ok) return 'failed';
        const { publicKey } = await keyResponse.json();
        let subscription = await registration.pushManager.getSubscription();
        // One made for another server key cannot be sent to by this one: replace it.
        if (subscription && (!subscription.options.applicationServerKey
            || toBase64url(subscription.options.applicationServerKey) !== publicKey)) {
            await subscription.unsubscribe();
            subscription = null;
        }
        try {
            subscription ??= await registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: toBytes(publicKey) });
        } catch (e) {
            return e && e.name === 'NotAllowedError' ? 'denied' : 'unsupported';
        }
        const saved = await fetch('api/me/push-subscription', {
            method: 'PUT',
            credentials: 'same-origin',
            headers: { 'Content-Type': 'application/json' },
            body: JSON.stringify(subscription.toJSON()),
        });
        return saved.ok ? 'on' : 'failed';
    }

    async function disable() {
        // The server forgets this device first: even if the browser's own unsubscribe fails, nothing more is sent.
        const removed = await fetch('api/me/push-subscription', { method: 'DELETE', credentials: 'same-origin' });
        if (supported()) {
            const registration = await navigator.serviceWorker.getRegistration();
            const subscription = registration && await registration.pushManager.getSubscription();
            if (subscription) await subscription.unsubscribe();
        }
        return removed.ok ? 'off' : 'failed';
    }

    async function report(outcome) {
        if (page) await page.invokeMethodAsync('PushChanged', outcome);
    }

    document.addEventListener('click', async event => {
        const button = event.target instanceof Element && event.target.closest('button[data-push]');
        if (!button || button.disabled) return;
        button.disabled = true;
        let outcome;
        try {
            outcome = await (button.dataset.push === 'enable' ? enable() : disable());
        } catch {
            outcome = 'failed';
        }
        button.disabled = false;
        await report(outcome);
    });

    window.bsgPush = {
        attach(component) {
            page = component;
            return state().catch(() => 'unsupported');
        },
        detach(component) {
            if (page === component) page = null;
        },
    };
})();
