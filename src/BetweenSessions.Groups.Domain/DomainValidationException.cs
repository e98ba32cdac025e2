namespace BetweenSessions.Groups.Domain;

// These cross grain calls (a grain refuses, the hub or endpoint answers), so Orleans serializes them: their own
// fields carry [Id]; message and stack come with the base exception.

/// <summary>Input that breaks a rule. Errors are keyed by field so HTTP can answer with ValidationProblemDetails.</summary>
[GenerateSerializer]
public sealed class DomainValidationException : Exception
{
    public DomainValidationException(IReadOnlyDictionary<string, string[]> errors)
        : base(string.Join(" ", errors.SelectMany(e => e.Value)))
    {
        Errors = errors;
    }

    public DomainValidationException(string field, string message)
        : this(new Dictionary<string, string[]> { [field] = [message] }) { }

    [Id(0)]
    public IReadOnlyDictionary<string, string[]> Errors { get; private set; }
}

/// <summary>The caller is not allowed to do this in this circle (not a member, or not a facilitator).</summary>
[GenerateSerializer]
public sealed class CircleAccessDeniedException(string message) : Exception(message);

/// <summary>No circle matches (unknown id or invite code).</summary>
[GenerateSerializer]
public sealed class CircleNotFoundException(string message) : Exception(message);
