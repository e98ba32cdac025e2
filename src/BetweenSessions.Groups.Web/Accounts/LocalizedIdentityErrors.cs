using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Localization;

namespace BetweenSessions.Groups.Web.Accounts;

/// <summary>
/// Identity's own errors (a taken address, a short password, a used link) in the person's language, from
/// Resources/Accounts/LocalizedIdentityErrors.resx. The codes stay Identity's, so pages can still tell the errors apart.
/// Errors this service cannot meet (logins, roles, external providers) keep Identity's English.
/// </summary>
public sealed class LocalizedIdentityErrors(IStringLocalizer<LocalizedIdentityErrors> text) : IdentityErrorDescriber
{
    private IdentityError Error(string code, params object[] arguments) => new() { Code = code, Description = text[code, arguments] };

    public override IdentityError DefaultError() => Error(nameof(DefaultError));
    public override IdentityError ConcurrencyFailure() => Error(nameof(ConcurrencyFailure));
    public override IdentityError PasswordMismatch() => Error(nameof(PasswordMismatch));
    public override IdentityError InvalidToken() => Error(nameof(InvalidToken));
    public override IdentityError RecoveryCodeRedemptionFailed() => Error(nameof(RecoveryCodeRedemptionFailed));
    public override IdentityError InvalidUserName(string? userName) => Error(nameof(InvalidUserName), userName ?? "");
    public override IdentityError InvalidEmail(string? email) => Error(nameof(InvalidEmail), email ?? "");
    // The address is the user name here: both say the same, and the page shows it once.
    public override IdentityError DuplicateUserName(string userName) => Error(nameof(DuplicateUserName), userName);
    public override IdentityError DuplicateEmail(string email) => Error(nameof(DuplicateEmail), email);
    public override IdentityError UserAlreadyHasPassword() => Error(nameof(UserAlreadyHasPassword));
    public override IdentityError PasswordTooShort(int length) => Error(nameof(PasswordTooShort), length);
    public override IdentityError PasswordRequiresUniqueChars(int uniqueChars) => Error(nameof(PasswordRequiresUniqueChars), uniqueChars);
    public override IdentityError PasswordRequiresNonAlphanumeric() => Error(nameof(PasswordRequiresNonAlphanumeric));
    public override IdentityError PasswordRequiresDigit() => Error(nameof(PasswordRequiresDigit));
    public override IdentityError PasswordRequiresLower() => Error(nameof(PasswordRequiresLower));
    public override IdentityError PasswordRequiresUpper() => Error(nameof(PasswordRequiresUpper));
}
