namespace BetweenSessions.Groups.Domain;

/// <summary>Collects field errors, then throws them all at once so a person can fix everything in one go.</summary>
public sealed class Validation
{
    private readonly Dictionary<string, List<string>> _errors = new();

    public Validation Required(string field, string? value, string label)
    {
        if (string.IsNullOrWhiteSpace(value)) Add(field, DomainText.Format("Required", DomainText.Label(label)));
        return this;
    }

    public Validation MaxLength(string field, string? value, int max, string label)
    {
        if (value is not null && value.Length > max) Add(field, DomainText.Format("MaxLength", DomainText.Label(label), max));
        return this;
    }

    public Validation Check(bool ok, string field, string message)
    {
        if (!ok) Add(field, message);
        return this;
    }

    public string? ClientEventId(string? value)
    {
        MaxLength("clientEventId", value, Limits.ClientEventId, "ClientEventId");
        return string.IsNullOrWhiteSpace(value) ? null : value;
    }

    /// <summary>Required, not defaulted: an app that forgot it must not share something more widely than meant.</summary>
    public Domain.Visibility Visibility(string? value)
    {
        Check(VisibilityNames.TryParse(value, out var visibility), "visibility",
            DomainText.Get("Visibility"));
        return visibility;
    }

    public string RequiredText(string field, string? value, int max, string label)
    {
        Required(field, value, label);
        return OptionalText(field, value, max, label) ?? "";
    }

    public string? OptionalText(string field, string? value, int max, string label)
    {
        MaxLength(field, value?.Trim(), max, label);
        Check(value is null || TextRules.FitForText(value), field,
            DomainText.Format("TextCharacters", DomainText.Label(label)));
        return string.IsNullOrWhiteSpace(value) ? null : value.Trim();
    }

    /// <summary>A name: required, one line, nothing invisible (see <see cref="TextRules"/>).</summary>
    public string Name(string field, string? value, int max, string label)
    {
        Required(field, value, label);
        MaxLength(field, value?.Trim(), max, label);
        Check(value is null || TextRules.FitForName(value), field,
            DomainText.Format("NameCharacters", DomainText.Label(label)));
        return value?.Trim().Normalize() ?? "";
    }

    public T? OneOf<T>(string field, string? value, IReadOnlyCollection<string> allowed, string label, Func<string, T> map, bool required = true)
    {
        if (value is null)
        {
            if (required) Add(field, DomainText.Format("Required", DomainText.Label(label)));
            return default;
        }
        Check(allowed.Contains(value), field, DomainText.Format("OneOf", DomainText.Label(label), string.Join(", ", allowed)));
        return allowed.Contains(value) ? map(value) : default;
    }

    /// <summary>An optional time of day, 24 hours ("08:00", "8:00", "19:30"); empty means none.</summary>
    public TimeOnly? CueTime(string field, string? value)
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        var time = CommitmentCue.Parse(value);
        Check(value.Trim().Length <= 5 && time is not null, field, DomainText.Get("CueTime"));
        return time;
    }

    public Guid Id(string field, Guid? value, string label)
    {
        Check(value is not null && value != Guid.Empty, field, DomainText.Format("Required", DomainText.Label(label)));
        return value ?? Guid.Empty;
    }

    public void Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var list)) _errors[field] = list = [];
        list.Add(message);
    }

    public void ThrowIfInvalid()
    {
        if (_errors.Count > 0)
            throw new DomainValidationException(_errors.ToDictionary(e => e.Key, e => e.Value.ToArray()));
    }
}
