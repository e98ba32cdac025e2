using System.Text.RegularExpressions;
using BetweenSessions.Groups.Web.Tests.Infrastructure;
using Microsoft.Playwright;

namespace BetweenSessions.Groups.Web.Tests.Browser;

/// <summary>What a member does on the circle page beyond checking in, in their words (helpers for MemberSideBrowserTests).</summary>
public static class MemberSide
{
    public static ILocator FeedItemOfType(this Person person, string type, string text) =>
        person.Page.Locator($"ol.feed > li.feed-item[data-type={type}]").Filter(new() { HasTextString = text });

    public static ILocator Commitment(this Person person, string practice) =>
        person.Page.Locator("li.commitment").Filter(new() { Has = person.Page.Locator(".commitment-practice", new() { HasTextString = practice }) });

    /// <summary>Picks what to share ("Check in", "A win", "For the session", "Reflect").</summary>
    public static Task ComposeAsync(this Person person, string kind) =>
        ChooseAsync(person.Page.Locator("fieldset.segments"), kind);

    /// <summary>
    /// "I need support now", then telling the facilitators (with a note if given), as a person does by keyboard: the
    /// buttons are focused and pressed with Enter.
    /// </summary>
    public static async Task AskForSupportAsync(this Person person, string? note = null)
    {
        var panel = person.Page.Locator("#support-panel");
        await Person.RetryUntilAsync(async () => { if (!await panel.IsVisibleAsync()) await person.Page.ClickAsync("#support-button"); },
            () => panel.IsVisibleAsync(), "the support panel");
        if (note is not null) await person.TypeAsync("#support-note", note);
        await PressAsync(person.Page.Locator("#support-tell-button"));
        await Assertions.Expect(panel.Locator(".support-told")).ToContainTextAsync("They were told at");
        // Focus moves to what happened, so a screen reader says it and the next Tab goes on from there.
        await Assertions.Expect(panel.Locator(".support-told")).ToBeFocusedAsync();
    }

    /// <summary>Focuses a button and presses Enter, as a keyboard user does.</summary>
    public static async Task PressAsync(ILocator button)
    {
        await button.FocusAsync();
        await button.PressAsync("Enter");
    }

    public static async Task ShareWinAsync(this Person person, string text, string audience = "The circle")
    {
        await person.ComposeAsync("A win");
        await person.TypeAsync("#win-text", text);
        await ChooseAsync(person.Page.Locator("[data-form=win] fieldset.audience-choice"), audience);
        await person.Page.ClickAsync("#win-button");
        await Assertions.Expect(person.Page.Locator("[data-form=win] .confirmation")).ToBeVisibleAsync();
    }

    public static async Task MakeCommitmentAsync(this Person person, string practice, string cue, string size, string audience = "The circle")
    {
        var form = person.Page.Locator("details.make-commitment");
        await form.Locator("summary").ClickAsync();
        await person.TypeAsync("#commit-practice", practice);
        await person.TypeAsync("#commit-cue", cue);
        await person.TypeAsync("#commit-size", size);
        await ChooseAsync(form.Locator("fieldset.audience-choice"), audience);
        await person.Page.ClickAsync("#commit-button");
        await Assertions.Expect(form.Locator(".confirmation")).ToBeVisibleAsync();
    }

    /// <summary>Types into a text field and commits it (Radzen text boxes bind on change).</summary>
    public static async Task TypeAsync(this Person person, string selector, string value)
    {
        await person.Page.FillAsync(selector, value);
        await person.Page.DispatchEventAsync(selector, "change");
    }

    /// <summary>Picks a radio item by its label; pressing again until it shows as chosen also waits for interactivity.</summary>
    public static async Task ChooseAsync(ILocator group, string label)
    {
        // Native radios take a click before the circuit is up, and the circle page would not hear it: wait for it.
        await group.Page.WaitForFunctionAsync(
            "() => !document.querySelector('form[data-outbox]') || (window.bsg && window.bsg.connection.live)");
        var item = group.GetByRole(AriaRole.Radio, new() { Name = label, Exact = true });
        await Person.RetryUntilAsync(() => item.ClickAsync(), () => IsCheckedAsync(item), $"\"{label}\" to be chosen");
    }

    /// <summary>Radzen radios say so with aria-checked, native ones with their checked state.</summary>
    public static async Task<bool> IsCheckedAsync(ILocator radio) =>
        await radio.GetAttributeAsync("aria-checked") == "true" || await radio.EvaluateAsync<bool>("e => e.checked === true");

    /// <summary>Waits until the circle page is live (its check-in form answers), after a reload for instance.</summary>
    public static async Task WaitForCirclePageAsync(this Person person)
    {
        await Assertions.Expect(person.Page).ToHaveURLAsync(new Regex("/circles/[0-9a-f-]{36}$"));
        await Assertions.Expect(person.Page.Locator("h2#checkin-heading")).ToBeVisibleAsync();
    }
}
