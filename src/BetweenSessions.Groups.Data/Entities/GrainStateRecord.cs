namespace BetweenSessions.Groups.Data.Entities;

/// <summary>
/// The state of one grain under one state name, as JSON; Version is its ETag. A cleared state keeps its row with
/// Json null so that versions keep growing: an ETag is never issued twice, and a stale writer cannot match a new one.
/// </summary>
public sealed class GrainStateRecord
{
    public string StateName { get; set; } = "";
    public string GrainType { get; set; } = "";
    public string GrainKey { get; set; } = "";
    public string? Json { get; set; }
    public long Version { get; set; }
}
