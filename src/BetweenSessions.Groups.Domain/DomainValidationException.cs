namespace BetweenSessions.Groups.Domain;

/// <summary>Input that breaks a rule. Errors are keyed by field so HTTP can answer with ValidationProblemDetails.</summary>
public sealed class DomainValidationException(IReadOnlyDictionary<string, string[]> errors)
    : Exception(string.Join(" ", errors.SelectMany(e => e.Value)))
{
    public IReadOnlyDictionary<string, string[]> Errors { get; } = errors;

    public DomainValidationException(string field, string message)
        : this(new Dictionary<string, string[]> { [field] = [message] }) { }
}

/// <summary>The caller is not allowed to do this in this circle (not a member, or not a facilitator).</summary>
public sealed class CircleAccessDeniedException(string message) : Exception(message);

/// <summary>No circle matches (unknown id or invite code).</summary>
public sealed class CircleNotFoundException(string message) : Exception(message);
