using BetweenSessions.Groups.Data;
using BetweenSessions.Groups.Web.Accounts;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Localization;

namespace BetweenSessions.Groups.Web.Components.Account;

/// <summary>
/// The second step of a sign-in (an authenticator code or a recovery code): only someone who has just given the right
/// password holds its cookie, it is throttled like the password, and a lockout reads the same whichever code tripped it.
/// </summary>
public abstract class SecondStepPage : ComponentBase
{
    [Inject] protected SignInManager<GroupsUser> SignInManager { get; set; } = default!;
    [Inject] private NavigationManager Navigation { get; set; } = default!;
    [Inject] private SignInThrottle Throttle { get; set; } = default!;
    [Inject] private IStringLocalizer<SecondStepPage> StepText { get; set; } = default!;

    [SupplyParameterFromQuery] private string? ReturnUrl { get; set; }

    [CascadingParameter] private HttpContext HttpContext { get; set; } = default!;

    protected string? Error { get; set; }

    /// <summary>The password step's cookie has lapsed (or there never was one): the person starts again.</summary>
    protected bool Expired { get; private set; }

    protected string Back => AccountsExtensions.IsLocal(ReturnUrl) ? ReturnUrl! : "/circles";

    protected string SignInAgainLink => $"account/login?returnUrl={Uri.EscapeDataString(Back)}";

    protected override async Task OnInitializedAsync() =>
        Expired = await SignInManager.GetTwoFactorAuthenticationUserAsync() is null;

    /// <returns>Whether the person is now signed in (and on their way back).</returns>
    protected async Task<bool> SignInAsync(Func<Task<SignInResult>> signIn, string mismatch)
    {
        if (Expired) return false;
        if (!Throttle.TryAcquire(HttpContext))
        {
            Error = SignInThrottle.Refusal;
            return false;
        }
        var result = await signIn();
        if (result.Succeeded)
        {
            Navigation.NavigateTo(Back);
            return true;
        }
        Error = result.IsLockedOut ? StepText["LockedOut"] : mismatch;
        return false;
    }
}
