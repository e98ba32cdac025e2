using Microsoft.AspNetCore.Identity;

namespace BetweenSessions.Groups.Data;

public sealed class GroupsUser : IdentityUser
{
    /// <summary>The name chosen at registration, offered as the default name in a new circle.</summary>
    public string? DisplayName { get; set; }
}
