using BetweenSessions.Groups.Domain;
using BetweenSessions.Groups.Grains.Circles;

namespace BetweenSessions.Groups.Grains.Tests.Circles;

/// <summary>The facilitator's side of a circle in the grain: roles, the durable idempotent frame, archive, removal.</summary>
public sealed class FacilitationTests : IAsyncLifetime
{
    private readonly InMemoryCircleStore _store = new();
    private GroupsGrainHost _services = default!;
    private IGrainFactory _grains = default!;
    private readonly Guid _circleId = Guid.NewGuid();
    private ICircleGrain Circle => _grains.GetGrain<ICircleGrain>(_circleId);
    private string _inviteCode = "";

    public async ValueTask InitializeAsync()
    {
        _services = await CircleTestHost.StartAsync(_store);
        _grains = _services.Grains;
        var created = await Circle.CreateAsync("f1", "Fran", "Tuesday group");
        _inviteCode = created.InviteCode!;
        await Circle.JoinAsync("m1", "Mia", _inviteCode);
        await Circle.JoinAsync("m2", "Bo", _inviteCode);
    }

    public async ValueTask DisposeAsync() => await _services.DisposeAsync();

    private static string Id() => Guid.NewGuid().ToString("N");

    /// <summary>Every facilitation method, as a member would call it.</summary>
    public static TheoryData<string> Steps => new()
    {
        "rename", "archive", "code", "remove", "co-facilitator", "prompts", "resources", "seating", "discussed", "alert", "view",
    };

    private Task Step(string step, string who, Guid target) => step switch
    {
        "rename" => Circle.RenameAsync(who, new(Id(), "New name")),
        "archive" => Circle.ArchiveAsync(who, new(Id())),
        "code" => Circle.NewInviteCodeAsync(who, new(Id())),
        "remove" => Circle.RemoveMemberAsync(who, new(Id(), "m2")),
        "co-facilitator" => Circle.AddCoFacilitatorAsync(who, new(Id(), "m2")),
        "prompts" => Circle.SetRoundPromptsAsync(who, new(Id(), ["How are you arriving?"])),
        "resources" => Circle.SetCrisisResourcesAsync(who, new(Id(), [new("Line", "116 123", null, null)])),
        "seating" => Circle.SetSeatingOrderAsync(who, new(Id(), ["m2", "m1"])),
        "discussed" => Circle.MarkDiscussedAsync(who, new(Id(), target)),
        "alert" => Circle.AcknowledgeAlertAsync(who, new(Id(), target)),
        _ => Circle.GetFacilitationAsync(who),
    };

    [Theory]
    [MemberData(nameof(Steps))]
    public async Task A_member_is_refused_every_facilitation_step_and_nothing_is_stored(string step)
    {
        var item = await Circle.BringToSessionAsync("m2", new(null, "Sleep", "circle"));
        var commits = _store.Commits;

        var refused = await Assert.ThrowsAsync<CircleAccessDeniedException>(() => Step(step, "m1", item.EventId));

        Assert.Equal("Only the circle's facilitators can do this.", refused.Message);
        Assert.Equal(commits, _store.Commits);
        await Assert.ThrowsAsync<CircleAccessDeniedException>(() => Step(step, "outsider", item.EventId));
    }

    [Fact]
    public async Task Renaming_is_a_circle_event_and_a_resend_changes_nothing_twice()
    {
        var first = await Circle.RenameAsync("f1", new("rename-1", "  Thursday evening  "));
        var again = await Circle.RenameAsync("f1", new("rename-1", "Something else"));

        Assert.Equal(first, again);
        Assert.Equal("Thursday evening", (await Circle.GetDetailsAsync("m1")).Name);
        var renamed = _store.Events(_circleId).Single(e => e.Type == EventTypes.CircleRenamed);
        Assert.Equal(Visibility.Circle, renamed.Visibility);
        Assert.Contains("Thursday evening", renamed.PayloadJson);
        await Assert.ThrowsAsync<DomainValidationException>(() => Circle.RenameAsync("f1", new(Id(), " ")));
        await Assert.ThrowsAsync<DomainValidationException>(() => Circle.RenameAsync("f1", new(Id(), new string('a', Limits.CircleName + 1))));
    }

    [Fact]
    public async Task A_new_invite_code_replaces_the_old_one_and_never_enters_the_log()
    {
        await Circle.NewInviteCodeAsync("f1", new(Id()));

        var code = (await Circle.GetFacilitationAsync("f1")).InviteCode;
        Assert.NotEqual(_inviteCode, code);
        await Assert.ThrowsAsync<CircleNotFoundException>(() => Circle.JoinAsync("m3", "Kai", _inviteCode));
        await Circle.JoinAsync("m3", "Kai", code);
        var changed = _store.Events(_circleId).Single(e => e.Type == EventTypes.InviteCodeChanged);
        Assert.Equal(Visibility.Facilitators, changed.Visibility);
        Assert.DoesNotContain(code, changed.PayloadJson);
    }

    [Fact]
    public async Task A_removed_member_loses_access_at_once_and_their_words_stay()
    {
        await Circle.CheckInAsync("m2", new(null, Capacity.Some, null, "still here", "circle"));
        await Circle.ConnectAsync("m2", "conn-1");

        await Circle.RemoveMemberAsync("f1", new(Id(), "m2"));

        var removed = _store.Events(_circleId)[^1];
        Assert.Equal(EventTypes.MemberRemoved, removed.Type);
        Assert.Equal("m2", removed.SubjectMemberId);
        Assert.Equal("f1", removed.MemberId);
        await Assert.ThrowsAsync<CircleAccessDeniedException>(() => Circle.GetDetailsAsync("m2"));
        await Assert.ThrowsAsync<CircleAccessDeniedException>(() => Circle.ReadEventsAsync("m2", 0, 10));
        await Assert.ThrowsAsync<CircleAccessDeniedException>(() => Circle.CheckInAsync("m2", new(null, Capacity.Low, null, null, "circle")));
        Assert.DoesNotContain("m2", (await Circle.GetFacilitationAsync("f1")).PresentMemberIds);
        Assert.Contains(_store.Events(_circleId), e => e.MemberId == "m2" && e.Type == EventTypes.CheckIn);
        await Assert.ThrowsAsync<CircleNotFoundException>(() => Circle.RemoveMemberAsync("f1", new(Id(), "m2")));
        await Assert.ThrowsAsync<DomainValidationException>(() => Circle.RemoveMemberAsync("f1", new(Id(), "f1")));
    }

    [Fact]
    public async Task A_co_facilitator_can_facilitate_and_sees_facilitators_only_entries()
    {
        await Circle.CheckInAsync("m2", new(null, Capacity.Low, null, "for the facilitators", "facilitators"));
        Assert.DoesNotContain((await Circle.ReadEventsAsync("m1", 0, 50)).Events, e => e.Visibility == Visibility.Facilitators);

        await Circle.AddCoFacilitatorAsync("f1", new(Id(), "m1"));

        Assert.Equal(CircleRole.Facilitator, (await Circle.GetDetailsAsync("m1")).Role);
        Assert.Contains((await Circle.ReadEventsAsync("m1", 0, 50)).Events, e => e.Visibility == Visibility.Facilitators && e.MemberId == "m2");
        await Circle.RenameAsync("m1", new(Id(), "Renamed by Mia"));
        await Assert.ThrowsAsync<DomainValidationException>(() => Circle.AddCoFacilitatorAsync("f1", new(Id(), "m1")));
        // With two facilitators, the first may now leave.
        await Circle.LeaveAsync("f1");
    }

    [Fact]
    public async Task An_archived_circle_is_read_only_for_everyone_but_still_readable()
    {
        await Circle.CheckInAsync("m1", new("before", Capacity.Some, null, "before the archive", "circle"));
        await Circle.ArchiveAsync("f1", new(Id()));

        var refusals = new Func<Task>[]
        {
            () => Circle.CheckInAsync("m1", new(null, Capacity.Some, null, null, "circle")),
            () => Circle.ShareWinAsync("m2", new(null, "a win", "circle")),
            () => Circle.RequestSupportAsync("m1", new(null, null)),
            () => Circle.StartRoundAsync("f1", new(null, "A prompt")),
            () => Circle.RenameAsync("f1", new(null, "New")),
            () => Circle.ArchiveAsync("f1", new(null)),
            () => Circle.JoinAsync("m3", "Kai", _inviteCode),
        };
        foreach (var refuse in refusals)
            Assert.Contains("archived", (await Assert.ThrowsAsync<CircleAccessDeniedException>(refuse)).Message);

        // A resend of what was stored before still gets its receipt; reading stays open.
        var resent = await Circle.CheckInAsync("m1", new("before", Capacity.Some, null, "before the archive", "circle"));
        Assert.Equal(_store.Events(_circleId).Single(e => e.ClientEventId == "before").EventId, resent.EventId);
        Assert.NotEmpty((await Circle.ReadEventsAsync("m1", 0, 50)).Events);
        Assert.NotNull((await Circle.GetSettingsAsync("m1")).ArchivedAt);

        await using var fresh = await CircleTestHost.StartAsync(_store);
        var reloaded = fresh.Grains.GetGrain<ICircleGrain>(_circleId);
        await Assert.ThrowsAsync<CircleAccessDeniedException>(() => reloaded.CheckInAsync("m1", new(null, Capacity.Some, null, null, "circle")));
    }

    [Fact]
    public async Task A_facilitator_reopens_an_archived_circle_and_everyone_can_share_again()
    {
        await Circle.SetSessionScheduleAsync("f1", new(Id(), "weekly", "Europe/Berlin", "Monday", "19:00", 90));
        Assert.NotNull((await Circle.GetSettingsAsync("m1")).NextSession);
        await Circle.ArchiveAsync("f1", new(Id()));
        // Archived: no next session to show anyone.
        Assert.Null((await Circle.GetSettingsAsync("m1")).NextSession);
        Assert.Empty(await Circle.GetUpcomingSessionsAsync("m1", 3));

        await Assert.ThrowsAsync<CircleAccessDeniedException>(() => Circle.ReopenAsync("m1", new(Id())));
        var reopened = await Circle.ReopenAsync("f1", new("reopen-1"));
        var again = await Circle.ReopenAsync("f1", new("reopen-1"));

        Assert.Equal(reopened, again);
        Assert.Single(_store.Events(_circleId), e => e.Type == EventTypes.CircleReopened);
        Assert.Null((await Circle.GetSettingsAsync("m1")).ArchivedAt);
        Assert.NotNull((await Circle.GetSettingsAsync("m1")).NextSession);
        await Circle.CheckInAsync("m1", new(null, Capacity.Some, null, "back again", "circle"));
        await Circle.JoinAsync("m3", "Kai", _inviteCode);
        var notArchived = await Assert.ThrowsAsync<DomainValidationException>(() => Circle.ReopenAsync("f1", new(Id())));
        Assert.Contains("open already", notArchived.Message);

        // The circle's state is in the store, not only in this activation.
        await using var fresh = await CircleTestHost.StartAsync(_store);
        var reloaded = fresh.Grains.GetGrain<ICircleGrain>(_circleId);
        await reloaded.CheckInAsync("m2", new(null, Capacity.Low, null, null, "circle"));
    }

    [Fact]
    public async Task A_circle_with_an_open_round_is_not_archived()
    {
        await Circle.StartRoundAsync("f1", new(null, "One word?"));

        var refused = await Assert.ThrowsAsync<DomainValidationException>(() => Circle.ArchiveAsync("f1", new(Id())));

        Assert.Contains("round", refused.Message);
        Assert.Null((await Circle.GetSettingsAsync("m1")).ArchivedAt);
    }

    [Fact]
    public async Task Crisis_resources_and_round_prompts_are_the_circles_own_until_cleared()
    {
        Assert.Equal(RoundPrompts.Defaults, (await Circle.GetFacilitationAsync("f1")).RoundPrompts);
        Assert.Empty((await Circle.GetSettingsAsync("m1")).CrisisResources);

        await Circle.SetCrisisResourcesAsync("f1", new(Id(), [new(" Night line ", "0800 111 0 111", "Any hour.", "https://example.org/help")]));
        await Circle.SetRoundPromptsAsync("f1", new(Id(), ["What is with you today?", " ", "What is with you today?"]));

        Assert.Equal([new CrisisContact("Night line", "0800 111 0 111", "Any hour.", "https://example.org/help")],
            (await Circle.GetSettingsAsync("m1")).CrisisResources);
        var view = await Circle.GetFacilitationAsync("f1");
        Assert.Equal(["What is with you today?"], view.RoundPrompts);
        Assert.True(view.OwnRoundPrompts);

        await using (var fresh = await CircleTestHost.StartAsync(_store))
        {
            var reloaded = fresh.Grains.GetGrain<ICircleGrain>(_circleId);
            Assert.Equal("Night line", (await reloaded.GetSettingsAsync("m2")).CrisisResources.Single().Name);
        }

        await Circle.SetCrisisResourcesAsync("f1", new(Id(), []));
        await Circle.SetRoundPromptsAsync("f1", new(Id(), []));
        Assert.Empty((await Circle.GetSettingsAsync("m1")).CrisisResources);
        Assert.Equal(RoundPrompts.Defaults, (await Circle.GetFacilitationAsync("f1")).RoundPrompts);
    }

    [Theory]
    [InlineData("", "0800", null, null, "name")]
    [InlineData("Line", null, null, null, "phone number, a few words or a web address")]
    [InlineData("Line", "call me", null, null, "digits")]
    [InlineData("Line", null, null, "javascript:alert(1)", "https://")]
    [InlineData("Line", null, null, "ftp://example.org", "https://")]
    public async Task Crisis_resources_that_could_not_help_are_refused(string name, string? phone, string? text, string? url, string expected)
    {
        var refused = await Assert.ThrowsAsync<DomainValidationException>(() =>
            Circle.SetCrisisResourcesAsync("f1", new(Id(), [new(name, phone, text, url)])));
        Assert.Contains(expected, refused.Message);
    }

    [Fact]
    public async Task The_seating_order_lists_seated_people_first_then_everyone_else_alphabetically()
    {
        Assert.Equal(["Bo", "Fran", "Mia"], (await Circle.GetFacilitationAsync("f1")).Members.Select(m => m.DisplayName));

        await Circle.SetSeatingOrderAsync("f1", new(Id(), ["m1", "f1"]));
        await Circle.JoinAsync("m3", "Ada", _inviteCode);

        var view = await Circle.GetFacilitationAsync("f1");
        Assert.True(view.SeatingOrderSet);
        Assert.Equal(["Mia", "Fran", "Ada", "Bo"], view.Members.Select(m => m.DisplayName));
        await Assert.ThrowsAsync<DomainValidationException>(() => Circle.SetSeatingOrderAsync("f1", new(Id(), ["m1", "gone"])));
        await Assert.ThrowsAsync<DomainValidationException>(() => Circle.SetSeatingOrderAsync("f1", new(Id(), ["m1", "m1"])));
    }

    [Fact]
    public async Task Items_brought_for_the_circle_or_the_facilitators_can_be_marked_discussed_each_within_its_own_audience()
    {
        var forCircle = await Circle.BringToSessionAsync("m1", new(null, "Sleep", "circle"));
        var forFacilitators = await Circle.BringToSessionAsync("m1", new(null, "Something hard", "facilitators"));
        var privateItem = await Circle.BringToSessionAsync("m1", new(null, "Only mine", "private"));
        var checkIn = await Circle.CheckInAsync("m1", new(null, Capacity.Some, null, null, "circle"));

        await Circle.MarkDiscussedAsync("f1", new(Id(), forCircle.EventId));

        var discussed = _store.Events(_circleId)[^1];
        Assert.Equal(EventTypes.AgendaItemDiscussed, discussed.Type);
        Assert.Contains(forCircle.EventId.ToString(), discussed.PayloadJson);
        Assert.Equal(Visibility.Circle, discussed.Visibility);
        await Circle.MarkDiscussedAsync("f1", new(Id(), forFacilitators.EventId));
        var quietly = _store.Events(_circleId)[^1];
        Assert.Equal((EventTypes.AgendaItemDiscussed, Visibility.Facilitators, "m1"), (quietly.Type, quietly.Visibility, quietly.SubjectMemberId));
        // The circle does not learn that something was brought for the facilitators, nor that it was discussed.
        Assert.DoesNotContain((await Circle.ReadEventsAsync("m2", 0, 50)).Events, e => e.EventId == quietly.EventId);
        await Assert.ThrowsAsync<DomainValidationException>(() => Circle.MarkDiscussedAsync("f1", new(Id(), checkIn.EventId)));
        // A private item does not exist for the facilitator.
        await Assert.ThrowsAsync<CircleNotFoundException>(() => Circle.MarkDiscussedAsync("f1", new(Id(), privateItem.EventId)));
    }

    [Fact]
    public async Task Every_other_facilitator_is_told_of_a_support_request_once_whatever_their_nudge_settings_and_without_its_words()
    {
        await Circle.AddCoFacilitatorAsync("f1", new(Id(), "m2"));
        // Bo paused every nudge and keeps a lighter week: a request reaches them all the same.
        await _grains.GetGrain<IMemberSettingsGrain>("m2").SaveAsync(new MemberSettings(LighterWeek: true, PauseAllNudges: true));

        var request = await Circle.RequestSupportAsync("m1", new(Id(), "A very private note"));
        await Circle.RequestSupportAsync("m1", new(null, null));

        foreach (var facilitator in new[] { "f1", "m2" })
        {
            var told = (await _grains.GetGrain<INudgeGrain>(facilitator).ListAsync()).Where(n => n.Kind == NudgeKinds.Support).ToList();
            Assert.Equal(2, told.Count);
            Assert.Contains(told, n => n.Key.EndsWith(request.EventId.ToString("N"), StringComparison.Ordinal));
            Assert.All(told, n => Assert.Equal($"/circles/{_circleId}/facilitate", n.Link));
            Assert.All(told, n => Assert.DoesNotContain("private", n.Title + n.Text));
            Assert.All(told, n => Assert.DoesNotContain("Mia", n.Title + n.Text));
        }
        Assert.Empty(await _grains.GetGrain<INudgeGrain>("m1").ListAsync());

        // A resend of the same request tells nobody again.
        await Circle.RequestSupportAsync("m1", new("sent-twice", null));
        await Circle.RequestSupportAsync("m1", new("sent-twice", null));
        Assert.Equal(3, (await _grains.GetGrain<INudgeGrain>("f1").ListAsync()).Count(n => n.Kind == NudgeKinds.Support));

        // A facilitator's own request does not notify themselves.
        await Circle.RequestSupportAsync("f1", new(Id(), null));
        Assert.Equal(3, (await _grains.GetGrain<INudgeGrain>("f1").ListAsync()).Count(n => n.Kind == NudgeKinds.Support));
        Assert.Equal(4, (await _grains.GetGrain<INudgeGrain>("m2").ListAsync()).Count(n => n.Kind == NudgeKinds.Support));
    }

    [Fact]
    public async Task Facilitators_are_nudged_once_for_each_thing_brought_that_they_can_see_as_an_ordinary_nudge()
    {
        await Circle.AddCoFacilitatorAsync("f1", new(Id(), "m2"));
        // Bo paused every nudge: unlike a support request, something brought waits for them in the dashboard only.
        await _grains.GetGrain<IMemberSettingsGrain>("m2").SaveAsync(new MemberSettings(PauseAllNudges: true));

        var forFacilitators = await Circle.BringToSessionAsync("m1", new("brought-1", "Something hard about my father", "facilitators"));
        await Circle.BringToSessionAsync("m1", new("brought-1", "Something hard about my father", "facilitators")); // a resend
        var forCircle = await Circle.BringToSessionAsync("m1", new(null, "Sleep", "circle"));
        await Circle.BringToSessionAsync("m1", new(null, "Only mine", "private"));
        await Circle.BringToSessionAsync("f1", new(null, "My own item", "facilitators"));

        var told = (await _grains.GetGrain<INudgeGrain>("f1").ListAsync()).Where(n => n.Kind == NudgeKinds.Brought).ToList();
        Assert.Equal([$"brought:{_circleId:N}:{forCircle.EventId:N}", $"brought:{_circleId:N}:{forFacilitators.EventId:N}"], told.Select(n => n.Key));
        Assert.All(told, n => Assert.Equal($"/circles/{_circleId}/facilitate", n.Link));
        Assert.All(told, n => Assert.DoesNotContain("father", n.Title + n.Text));
        Assert.All(told, n => Assert.DoesNotContain("Mia", n.Title + n.Text));
        Assert.DoesNotContain(await _grains.GetGrain<INudgeGrain>("m2").ListAsync(), n => n.Kind == NudgeKinds.Brought);
        Assert.Empty(await _grains.GetGrain<INudgeGrain>("m1").ListAsync());
    }

    [Fact]
    public async Task An_acknowledged_alert_records_who_and_when_and_the_person_who_asked_sees_it()
    {
        var support = await Circle.RequestSupportAsync("m1", new(null, "Hard night"));
        var flagged = await Circle.BringToSessionAsync("m2", new(null, "For you only", "facilitators"));
        var win = await Circle.ShareWinAsync("m2", new(null, "A win", "circle"));

        await Circle.AcknowledgeAlertAsync("f1", new(Id(), support.EventId));
        await Circle.AcknowledgeAlertAsync("f1", new(Id(), flagged.EventId));

        var acks = _store.Events(_circleId).Where(e => e.Type == EventTypes.AlertAcknowledged).ToList();
        Assert.Equal(2, acks.Count);
        Assert.All(acks, a => Assert.Equal(("f1", Visibility.Facilitators), (a.MemberId, a.Visibility)));
        Assert.Equal(["m1", "m2"], acks.Select(a => a.SubjectMemberId));
        Assert.Contains((await Circle.ReadEventsAsync("m1", 0, 50)).Events, e => e.Type == EventTypes.AlertAcknowledged);
        Assert.DoesNotContain((await Circle.ReadEventsAsync("m1", 0, 50)).Events, e => e.EventId == acks[1].EventId);
        await Assert.ThrowsAsync<DomainValidationException>(() => Circle.AcknowledgeAlertAsync("f1", new(Id(), win.EventId)));
    }

    [Fact]
    public async Task Two_facilitators_acknowledging_one_alert_store_one_acknowledgement_and_both_get_its_receipt()
    {
        await Circle.AddCoFacilitatorAsync("f1", new(Id(), "m2"));
        var support = await Circle.RequestSupportAsync("m1", new(null, "Hard night"));

        var first = await Circle.AcknowledgeAlertAsync("f1", new(Id(), support.EventId));
        var second = await Circle.AcknowledgeAlertAsync("m2", new(Id(), support.EventId));

        Assert.Equal(first, second);
        Assert.Single(_store.Events(_circleId), e => e.Type == EventTypes.AlertAcknowledged);
        // Also after the circle is loaded again from what was stored.
        await using var fresh = await CircleTestHost.StartAsync(_store);
        var reloaded = fresh.Grains.GetGrain<ICircleGrain>(_circleId);
        Assert.Equal(first, await reloaded.AcknowledgeAlertAsync("m2", new(Id(), support.EventId)));
        Assert.Single(_store.Events(_circleId), e => e.Type == EventTypes.AlertAcknowledged);
    }
}
