using BetweenSessions.Groups.Data;
using BetweenSessions.Groups.Domain;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace BetweenSessions.Groups.Web.Benchmarks;

/// <param name="Circles">How many circles.</param>
/// <param name="MembersPerCircle">People in each, the first of them its facilitator.</param>
internal sealed record SeedRequest(int Circles, int MembersPerCircle);

/// <summary>
/// A seeded person in one circle. Token is a bearer token for the hub and the API; Cookie (facilitators only) is the
/// value of the sign-in cookie named CookieName, for opening pages in a browser.
/// </summary>
internal sealed record SeededMember(string MemberId, string Role, string Token, string? Cookie);

internal sealed record SeededCircle(Guid CircleId, IReadOnlyList<SeededMember> Members);

/// <param name="Seconds">How long each step took: accounts, circles (through the store, then their grains activated), tokens.</param>
internal sealed record SeedResponse(string CookieName, IReadOnlyDictionary<string, double> Seconds, IReadOnlyList<SeededCircle> Circles);

/// <summary>
/// Creates many people, circles and memberships in seconds. Registering through Identity would hash a password per
/// account (PBKDF2, about 0.1 s of CPU each); these accounts get none. Circles and memberships are written through the
/// circle store, as the circle grain writes them, and each person gets the bearer token and sign-in cookie that signing
/// in would have given them, protected with the app's keys, so the normal authentication accepts them unchanged.
/// </summary>
internal sealed class BenchmarkSeeder(
    GroupsDbContext db,
    ILookupNormalizer normalizer,
    IUserClaimsPrincipalFactory<GroupsUser> principals,
    ICircleStore store,
    IGrainFactory grains,
    IOptionsMonitor<BearerTokenOptions> bearerOptions,
    IOptionsMonitor<CookieAuthenticationOptions> cookieOptions,
    TimeProvider clock)
{
    public const int MaxPeople = 50_000;

    public async Task<SeedResponse> SeedAsync(SeedRequest request, CancellationToken ct)
    {
        if (request.Circles < 1 || request.MembersPerCircle < 1 || (long)request.Circles * request.MembersPerCircle > MaxPeople)
            throw new DomainValidationException("circles", $"Ask for at least one circle of one, and at most {MaxPeople} people in all.");
        var started = clock.GetTimestamp();
        var run = Guid.NewGuid().ToString("N")[..8];
        var circles = Enumerable.Range(0, request.Circles).Select(c => new
        {
            CircleId = Guid.NewGuid(),
            Name = $"Load circle {c + 1} ({run})",
            People = Enumerable.Range(0, request.MembersPerCircle).Select(m => NewUser(run, c, m)).ToList(),
        }).ToList();

        var seconds = new Dictionary<string, double>();
        void Lap(string step) => seconds[step] = Math.Round(clock.GetElapsedTime(started).TotalSeconds - seconds.Values.Sum(), 2);

        db.ChangeTracker.AutoDetectChangesEnabled = false;
        db.Users.AddRange(circles.SelectMany(c => c.People));
        await db.SaveChangesAsync(ct);
        Lap("accounts");

        // One commit per circle through the store, as the grain's create and joins would have written it (the
        // created entry, then one joined entry per member): 500 batched commits instead of 5,000 grain turns. The
        // grains load it when activated.
        var now = clock.GetUtcNow();
        await Task.WhenAll(circles.Select(c =>
        {
            var members = c.People.Select((person, i) =>
                new CircleMember(person.Id, person.DisplayName!, i == 0 ? CircleRole.Facilitator : CircleRole.Member, now)).ToList();
            var events = members.Select((member, i) => new CircleEvent(c.CircleId, i + 1, Guid.NewGuid(),
                i == 0 ? EventTypes.CircleCreated : EventTypes.MemberJoined, now, member.MemberId, member.DisplayName, Visibility.Circle,
                null, EventPayload.Serialize(i == 0 ? new { name = c.Name } : new { }))).ToList();
            return store.CommitAsync(new CircleCommit(c.CircleId, 0, c.Name, InviteCode.New(), now, events.Count, members, events), ct);
        }));
        // Activated now, as circles in use are, so that memory per connection measures connections and not circles.
        await Task.WhenAll(circles.Select(c => grains.GetGrain<ICircleGrain>(c.CircleId).GetDetailsAsync(c.People[0].Id)));
        Lap("circles");

        var bearer = bearerOptions.Get(IdentityConstants.BearerScheme);
        var cookie = cookieOptions.Get(IdentityConstants.ApplicationScheme);
        var seeded = new List<SeededCircle>(circles.Count);
        foreach (var c in circles)
        {
            var members = new List<SeededMember>(c.People.Count);
            for (var i = 0; i < c.People.Count; i++)
            {
                // The same principal, claims and security stamp that signing in puts in a token or cookie.
                var principal = await principals.CreateAsync(c.People[i]);
                var token = bearer.BearerTokenProtector.Protect(new AuthenticationTicket(principal,
                    new AuthenticationProperties { IssuedUtc = now, ExpiresUtc = now + bearer.BearerTokenExpiration },
                    IdentityConstants.BearerScheme));
                var role = i == 0 ? CircleRole.Facilitator : CircleRole.Member;
                var signInCookie = role == CircleRole.Facilitator
                    ? cookie.TicketDataFormat.Protect(new AuthenticationTicket(principal,
                        new AuthenticationProperties { IssuedUtc = now, ExpiresUtc = now + cookie.ExpireTimeSpan },
                        IdentityConstants.ApplicationScheme))
                    : null;
                members.Add(new SeededMember(c.People[i].Id, role.ToWire(), token, signInCookie));
            }
            seeded.Add(new SeededCircle(c.CircleId, members));
        }
        Lap("tokens");
        return new SeedResponse(cookie.Cookie.Name!, seconds, seeded);
    }

    private GroupsUser NewUser(string run, int circle, int member)
    {
        var email = $"load-{run}-{circle + 1}-{member + 1}@bench.invalid";
        return new GroupsUser
        {
            Id = Guid.NewGuid().ToString(),
            UserName = email,
            NormalizedUserName = normalizer.NormalizeName(email),
            Email = email,
            NormalizedEmail = normalizer.NormalizeEmail(email),
            EmailConfirmed = true,
            SecurityStamp = Guid.NewGuid().ToString("N"),
            ConcurrencyStamp = Guid.NewGuid().ToString(),
            DisplayName = member == 0 ? $"Facilitator {circle + 1}" : $"Member {circle + 1}.{member + 1}",
        };
    }
}
