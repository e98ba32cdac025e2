// Passkeys. A form with data-passkey="create" (the sign-in security page) or "request" (the sign-in page) first asks
// the server for options (data-passkey-options), then the browser's authenticator, and only then posts: with the
// authenticator's answer in its hidden "credential" field, which the server hands to ASP.NET Core Identity. Its button
// (data-passkey-button) is a plain button that submits the form, so Enter in the form starts the same way. Listening
// on the document, so it works on a page reached by Blazor's enhanced navigation too.
(function passkeys() {
    // The words are the page's (Components/Account/PasskeyMessage.razor), in the person's language: one data-
    // attribute of the message element per outcome.
    const outcomes = {
        NotAllowedError: 'notAllowed',
        InvalidStateError: 'invalidState',
        SecurityError: 'security',
        unsupported: 'unsupported',
        failed: 'failed',
    };

    async function ask(form) {
        if (!window.PublicKeyCredential || !PublicKeyCredential.parseCreationOptionsFromJSON) throw { name: 'unsupported' };
        const token = form.querySelector('input[name=__RequestVerificationToken]');
        const response = await fetch(form.dataset.passkeyOptions, {
            method: 'POST',
            credentials: 'same-origin',
            headers: token ? { RequestVerificationToken: token.value } : {},
        });
        if (!response.ok || !(response.headers.get('content-type') || '').includes('json')) throw { name: 'failed' };
        const json = await response.json();
        return form.dataset.passkey === 'create'
            ? navigator.credentials.create({ publicKey: PublicKeyCredential.parseCreationOptionsFromJSON(json) })
            : navigator.credentials.get({ publicKey: PublicKeyCredential.parseRequestOptionsFromJSON(json) });
    }

    document.addEventListener('click', event => {
        const button = event.target instanceof Element && event.target.closest('button[data-passkey-button]');
        if (button && button.form && button.form.dataset.passkey) button.form.requestSubmit();
    });

    // Capture phase: before the busy-form helper in app.js, which leaves a submit alone once it is prevented.
    document.addEventListener('submit', async event => {
        const form = event.target;
        if (!(form instanceof HTMLFormElement) || !form.dataset.passkey) return;
        const field = form.querySelector('input[name=credential]');
        if (field.value) return; // the authenticator answered: this is the post to the server
        event.preventDefault();
        if (form.dataset.asking) return;
        form.dataset.asking = 'true';
        const button = form.querySelector('button[data-passkey-button]');
        const idle = button.textContent;
        const message = form.querySelector('[data-passkey-message]');
        const status = form.querySelector('[data-busy-status]');
        message.textContent = '';
        button.textContent = button.dataset.askingText || idle;
        button.setAttribute('aria-busy', 'true');
        if (status) status.textContent = button.textContent;
        try {
            const credential = await ask(form);
            if (!credential) throw { name: 'NotAllowedError' };
            field.value = JSON.stringify(credential);
            button.textContent = idle;
            button.removeAttribute('aria-busy');
            delete form.dataset.asking;
            form.requestSubmit();
        } catch (error) {
            button.textContent = idle;
            button.removeAttribute('aria-busy');
            if (status) status.textContent = '';
            delete form.dataset.asking;
            if (error && error.name === 'AbortError') return;
            message.textContent = message.dataset[outcomes[error && error.name] || 'failed'] || message.dataset.failed || '';
        }
    }, true);
})();
