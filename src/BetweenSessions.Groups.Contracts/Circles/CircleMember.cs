using BetweenSessions.Groups.Domain;

namespace BetweenSessions.Groups.Contracts.Circles;

[GenerateSerializer, Immutable]
public sealed record CircleMember(string MemberId, string DisplayName, CircleRole Role, DateTimeOffset JoinedAt);

/// <summary>
/// A circle as the caller may see it. Members are in a stable order that never depends on activity
/// (alphabetical by display name), so no view built on this can rank people.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record CircleDetails(
    Guid CircleId,
    string Name,
    CircleRole Role,
    string? InviteCode,
    long LastSeq,
    IReadOnlyList<CircleMember> Members,
    IReadOnlyList<string> PresentMemberIds,
    OpenRound? OpenRound = null);
