using BetweenSessions.Groups.Data;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Identity;

namespace BetweenSessions.Groups.Web.Accounts;

/// <summary>
/// What the browser needs before it asks the authenticator (wwwroot/passkeys.js): the options for a new passkey, or for
/// signing in with one. Identity keeps the challenge it sends in a short-lived cookie of its own, and the form post that
/// follows (on the sign-in page or the sign-in security page) hands the authenticator's answer back to Identity.
/// </summary>
internal static class PasskeyEndpoints
{
    public static IEndpointRouteBuilder MapGroupsPasskeys(this IEndpointRouteBuilder endpoints)
    {
        var passkeys = endpoints.MapGroup("account/passkeys").ExcludeFromDescription();

        passkeys.MapPost("creation-options", async (HttpContext http, UserManager<GroupsUser> users,
            SignInManager<GroupsUser> signIn, IAntiforgery antiforgery) =>
        {
            // Sent by the page's own script with the page's antiforgery token: another site cannot start this.
            if (!await antiforgery.IsRequestValidAsync(http)) return Results.BadRequest();
            if (await users.GetUserAsync(http.User) is not { } user) return Results.Unauthorized();
            var name = user.Email ?? user.UserName ?? user.Id;
            var options = await signIn.MakePasskeyCreationOptionsAsync(new PasskeyUserEntity
            {
                Id = user.Id,
                Name = name,
                DisplayName = string.IsNullOrWhiteSpace(user.DisplayName) ? name : user.DisplayName,
            });
            return Results.Content(options, "application/json");
        }).RequireAuthorization();

        passkeys.MapPost("request-options", async (HttpContext http, SignInManager<GroupsUser> signIn, IAntiforgery antiforgery) =>
        {
            if (!await antiforgery.IsRequestValidAsync(http)) return Results.BadRequest();
            // No account named: the authenticator offers the passkeys it holds for this site.
            return Results.Content(await signIn.MakePasskeyRequestOptionsAsync(null), "application/json");
        });
        return endpoints;
    }
}
