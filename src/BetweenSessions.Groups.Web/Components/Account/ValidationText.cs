namespace BetweenSessions.Groups.Web.Components.Account;

/// <summary>
/// The words of the account forms' validation: their attributes carry a key of Resources/Components/Account/
/// ValidationText.resx as ErrorMessage (<c>[Required(ErrorMessage = ValidationText.Required)]</c>), and
/// <see cref="FieldMessage{TValue}"/> shows it in the person's language, so a Spanish page never reads "The Email
/// field is required".
/// </summary>
public sealed class ValidationText
{
    private ValidationText() { }

    public const string Required = nameof(Required);
    public const string Email = nameof(Email);
    public const string TooLong = nameof(TooLong);
    public const string PasswordLength = nameof(PasswordLength);
    public const string CodeRequired = nameof(CodeRequired);
    public const string RecoveryCodeRequired = nameof(RecoveryCodeRequired);
}
