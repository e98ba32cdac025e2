namespace BetweenSessions.Groups.Web.Realtime;

/// <summary>
/// What a member in need reaches in one step. Each deployment sets its own (section "Support"), for the countries
/// and services its circles use; the defaults only point at emergency numbers.
/// </summary>
public sealed class SupportOptions
{
    public List<CrisisResource> CrisisResources { get; set; } = [];
}

public sealed class CrisisResource
{
    public string Name { get; set; } = "";
    public string? Phone { get; set; }
    public string? Text { get; set; }
    public string? Url { get; set; }

    /// <summary>The language the resource answers in ("en", "es"); none for everybody.</summary>
    public string? Language { get; set; }
}
