// The push side of the app's service worker: /sw.js imports this (importScripts('/sw-push.js')). A push carries a
// small JSON {title, body, url, tag} with generic words only (the server never sends anything private: lock screens
// are seen by others); the tag is the nudge's key, so a resend replaces the notification instead of adding one.

self.addEventListener('push', event => {
    let data = {};
    try {
        data = event.data ? event.data.json() : {};
    } catch {
        // Not ours, or damaged: still show something, since a push must show a notification.
    }
    const url = typeof data.url === 'string' && data.url.startsWith('/') && !data.url.startsWith('//') ? data.url : '/notifications';
    event.waitUntil(self.registration.showNotification(data.title || 'Something from your circle', {
        body: data.body || 'Open it when it suits you.',
        tag: data.tag || undefined,
        icon: '/favicon.svg',
        data: { url },
    }));
});

// Opens the nudge's page: in a window of the app that is already open if there is one, else in a new one.
self.addEventListener('notificationclick', event => {
    event.notification.close();
    const target = new URL(event.notification.data && event.notification.data.url || '/notifications', self.location.origin);
    event.waitUntil((async () => {
        const windows = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
        const open = windows.find(w => new URL(w.url).origin === target.origin);
        if (open) {
            await open.focus();
            if ('navigate' in open) return open.navigate(target.href);
            return undefined;
        }
        return self.clients.openWindow(target.href);
    })());
});

// The browser replaced the subscription (keys rotated, or it expired): store the new one for the same person. The
// request carries this browser's sign-in and device cookies; signed out, it is refused and push stays off here.
self.addEventListener('pushsubscriptionchange', event => {
    event.waitUntil((async () => {
        let subscription = event.newSubscription;
        if (!subscription) {
            const options = event.oldSubscription && event.oldSubscription.options;
            if (!options || !options.applicationServerKey) return;
            subscription = await self.registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: options.applicationServerKey });
        }
        await fetch('/api/me/push-subscription', {
            method: 'PUT',
            credentials: 'same-origin',
            headers: { 'Content-Type': 'application/json' },
            body: JSON.stringify(subscription.toJSON()),
        });
    })());
});
