using BetweenSessions.Groups.Domain;
using BetweenSessions.Groups.Web.Tests.Browser;
using BetweenSessions.Groups.Web.Tests.Infrastructure;
using Microsoft.Playwright;

namespace BetweenSessions.Groups.Web.Tests.Localization;

/// <summary>
/// A circle for the facilitation pages' language tests, made through the grains (not the circles page, whose words
/// are another part's): Alex facilitates, Robin asked for support and brought something, a round is open.
/// </summary>
internal sealed record FacilitationCircle(Guid CircleId, string Name, string InviteCode, string AlexId, string RobinId)
{
    public const string Note = "A hard night";
    public const string Brought = "Resting without guilt";
    public const string Prompt = "How do you arrive";

    public static async Task<FacilitationCircle> MakeAsync(GroupsAppFixture app, Person alex, Person robin, string name)
    {
        var alexId = await app.MemberIdAsync(alex);
        var robinId = await app.MemberIdAsync(robin);
        var circleId = Guid.NewGuid();
        var circle = app.Circle(circleId);
        var details = await circle.CreateAsync(alexId, "Alex", name);
        await circle.JoinAsync(robinId, "Robin", details.InviteCode!);
        await circle.RequestSupportAsync(robinId, new RequestSupportDraft(Guid.NewGuid().ToString("N"), Note));
        await circle.BringToSessionAsync(robinId, new BringToSessionDraft(Guid.NewGuid().ToString("N"), Brought, "facilitators"));
        await circle.StartRoundAsync(alexId, new StartRoundDraft(Guid.NewGuid().ToString("N"), Prompt));
        return new FacilitationCircle(circleId, name, details.InviteCode!, alexId, robinId);
    }

    /// <summary>
    /// Each visible text and labelling attribute under <paramref name="root"/> with something besides marked words
    /// and the given data. Like <see cref="PseudoLocaleBrowserTests"/>' scan, with two differences: a marked sentence
    /// may hold marked words (a period inside a sentence), so markers are taken off from the innermost out; and the
    /// text of a &lt;time&gt; is a date in the person's culture, not a resource (the Spanish test reads it in Spanish);
    /// a crisis resource's name, words and address are the deployment's or the circle's data.
    /// </summary>
    public static async Task<IReadOnlyList<string>> UnmarkedAsync(IPage page, string root, params string[] data) =>
        await page.EvaluateAsync<string[]>("""
            ([root, data]) => {
                const rest = text => {
                    let left = text, before;
                    do { before = left; left = left.replace(/⟦[^⟦⟧]*⟧/g, ' '); } while (left !== before);
                    for (const d of data) left = left.split(d).join(' ');
                    return /[A-Za-zÀ-ÿ]/.test(left) ? left.trim() : '';
                };
                const found = [];
                const seen = el => el.checkVisibility ? el.checkVisibility() : true;
                for (const top of document.querySelectorAll(root)) {
                    const walker = document.createTreeWalker(top, NodeFilter.SHOW_TEXT);
                    // Whole text of an element first (a sentence split by inline markup, such as a name in <strong>).
                    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
                        const parent = node.parentElement;
                        if (!parent || parent.closest('script, style, template, time, .crisis-resource > strong, .crisis-resource > p, .crisis-resource > a[target]')) continue;
                        if (parent.tagName !== 'OPTION' && !seen(parent)) continue;
                        const text = node.textContent.trim();
                        if (text && rest(text)) found.push(`text "${text}" in <${parent.tagName.toLowerCase()}>`);
                    }
                    for (const el of [top, ...top.querySelectorAll('[aria-label], [placeholder], [title]')]) {
                        if (!seen(el) && el.tagName !== 'INPUT') continue;
                        for (const name of ['aria-label', 'placeholder', 'title']) {
                            const value = el.getAttribute(name);
                            if (value && rest(value)) found.push(`${name} "${value}" on <${el.tagName.toLowerCase()}>`);
                        }
                    }
                }
                if (root === 'body' && rest(document.title)) found.push(`title "${document.title}"`);
                return found;
            }
            """, new object[] { root, data });
}
