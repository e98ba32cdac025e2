// Tiny helpers called from Blazor with IJSRuntime.InvokeAsync. The app ships the 9.0 blazor.web.js, which has no
// IJSRuntime GetValueAsync/SetValueAsync, so each thing the interface needs from the browser is a named function.
window.bsg = {
    // Remembers a small preference on this device only (the last audience a person chose). Storage can be
    // unavailable (private mode, blocked storage): then nothing is remembered and nothing breaks.
    recall: function (key) {
        try { return window.localStorage.getItem(key); } catch { return null; }
    },
    remember: function (key, value) {
        try { window.localStorage.setItem(key, value); } catch { /* remembering is a courtesy, never required */ }
    },
    // The browser's IANA time zone (e.g. "Europe/Berlin"), to offer as the default on the settings page.
    timeZone: function () {
        try { return Intl.DateTimeFormat().resolvedOptions().timeZone || null; } catch { return null; }
    },
    // Moves focus to something that just appeared (the crisis resources), so a screen reader reads it at once.
    focus: function (id) {
        const element = document.getElementById(id);
        if (element) element.focus();
    }
};
