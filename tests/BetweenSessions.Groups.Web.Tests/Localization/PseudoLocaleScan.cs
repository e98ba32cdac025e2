using Microsoft.Playwright;

namespace BetweenSessions.Groups.Web.Tests.Localization;

/// <summary>
/// Reads a page shown by the pseudo-locale host (<see cref="PseudoLocaleAppFixture"/>) for words that did not come from
/// resources: each visible text, labelling attribute (aria-label, placeholder, title), word a script is handed through
/// the page (data-busy-text, data-asking-text, data-required, the passkey messages, app.js's data-words-*) and the page
/// title that holds something besides marked words and the given data. A marked sentence may hold marked words (a
/// label inside a sentence), so markers come off from the innermost out. Not read as words: the text of a
/// &lt;time&gt; and a chart's day labels (dates in the person's culture, read in Spanish by the Spanish tests), and a
/// crisis resource's name, words and address (the deployment's or the circle's data).
/// </summary>
internal static class PseudoLocaleScan
{
    public static Task<IReadOnlyList<string>> UnmarkedAsync(IPage page, params string[] data) => UnmarkedUnderAsync(page, "body", data);

    /// <summary>The same, under the elements <paramref name="root"/> selects (the page title only for "body").</summary>
    public static async Task<IReadOnlyList<string>> UnmarkedUnderAsync(IPage page, string root, params string[] data) =>
        await page.EvaluateAsync<string[]>("""
            ([root, data]) => {
                const rest = text => {
                    let left = text, before;
                    do { before = left; left = left.replace(/⟦[^⟦⟧]*⟧/g, ' '); } while (left !== before);
                    for (const d of data) left = left.split(d).join(' ');
                    // Times, digits and punctuation alone are not words.
                    return /[A-Za-zÀ-ÿ]/.test(left) ? left.trim() : '';
                };
                const notWords = 'script, style, template, time, .rz-category-axis, .rz-chart-tooltip, '
                    + '.crisis-resource > strong, .crisis-resource > p, .crisis-resource > a[target]';
                const attributes = ['aria-label', 'placeholder', 'title', 'data-required', 'data-busy-text', 'data-asking-text'];
                const found = [];
                const seen = el => el.checkVisibility ? el.checkVisibility() : true;
                for (const top of document.querySelectorAll(root)) {
                    const walker = document.createTreeWalker(top, NodeFilter.SHOW_TEXT);
                    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
                        const parent = node.parentElement;
                        if (!parent || parent.closest(notWords)) continue;
                        if (parent.tagName !== 'OPTION' && !seen(parent)) continue;
                        const text = node.textContent.trim();
                        if (text && rest(text)) found.push(`text "${text}" in <${parent.tagName.toLowerCase()} class="${parent.getAttribute('class') || ''}">`);
                    }
                    for (const el of [top, ...top.querySelectorAll(attributes.map(a => `[${a}]`).join(', '))]) {
                        if (el.closest(notWords) || (!seen(el) && el.tagName !== 'INPUT' && !el.hasAttribute('data-required'))) continue;
                        for (const name of attributes) {
                            const value = el.getAttribute(name);
                            if (value && rest(value)) found.push(`${name} "${value}" on <${el.tagName.toLowerCase()}>`);
                        }
                    }
                    for (const el of top.querySelectorAll('[data-passkey-message]'))
                        for (const [name, value] of Object.entries(el.dataset))
                            if (value && rest(value)) found.push(`data-${name} "${value}" on the passkey message`);
                }
                // Words app.js is handed live anywhere on the page (the kept list, each form's status, signing out).
                if (root === 'body') {
                    for (const el of document.querySelectorAll('[data-kept-list], .outbox-status, #sign-out-words')) {
                        for (const [name, value] of Object.entries(el.dataset)) {
                            if (!name.startsWith('words') && el.id !== 'sign-out-words') continue;
                            const words = name === 'wordsKinds' ? Object.values(JSON.parse(value)).join(' ') : value;
                            if (rest(words)) found.push(`data-${name} "${value}"`);
                        }
                    }
                    if (rest(document.title)) found.push(`title "${document.title}"`);
                }
                return found;
            }
            """, new object[] { root, data });
}
