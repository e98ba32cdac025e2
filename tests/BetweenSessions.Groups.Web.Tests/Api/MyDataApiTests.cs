using System.Net;
using System.Text.Json.Nodes;
using BetweenSessions.Groups.Domain;
using BetweenSessions.Groups.Contracts.Circles;
using Orleans;
using BetweenSessions.Groups.Web.Tests.Hub;
using BetweenSessions.Groups.Web.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace BetweenSessions.Groups.Web.Tests.Api;

/// <summary>GET /api/me/export, DELETE /api/me/entries and POST /api/circles/{id}/leave.</summary>
[Collection(GroupsAppCollection.Name)]
public sealed class MyDataApiTests(GroupsAppFixture app)
{
    private ICircleGrain Circle(Guid circleId) => app.Services.GetRequiredService<IGrainFactory>().GetGrain<ICircleGrain>(circleId);

    private static async Task<string> MemberIdAsync(TestUser user, Guid circleId) =>
        (await user.CircleAsync(circleId)).Members.Single(m => m.DisplayName == user.Nickname).MemberId;

    /// <summary>A check-in written the way the hub writes it, through the circle's grain.</summary>
    private async Task CheckInAsync(TestUser user, Guid circleId, string note, string visibility = "circle", string? clientEventId = null) =>
        await Circle(circleId).CheckInAsync(await MemberIdAsync(user, circleId), new CheckInDraft(clientEventId, Capacity.Some, null, note, visibility));

    private static async Task<JsonObject> ExportAsync(TestUser user)
    {
        var response = await user.Http.GetAsync("/api/me/export");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition?.DispositionType);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
    }

    [Fact]
    public async Task The_export_holds_the_account_and_only_the_member_s_own_entries()
    {
        var facilitator = await app.RegisterAsync("noor");
        var member = await app.RegisterAsync("kai");
        var circle = await facilitator.CircleWithMembersAsync(member);
        await CheckInAsync(member, circle.CircleId, "kai's own words", "private");
        await CheckInAsync(facilitator, circle.CircleId, "noor's words");
        var kai = await MemberIdAsync(member, circle.CircleId);
        await Circle(circle.CircleId).MakeCommitmentAsync(kai,
            new MakeCommitmentDraft(null, "Stretch", "after brushing my teeth", null, "private", "07:30", RemindMe: true));

        var export = await ExportAsync(member);

        Assert.Equal(member.Email, (string?)export["account"]!["email"]);
        Assert.NotNull(export["settings"]!["timeZoneId"]);
        var circles = export["circles"]!.AsArray();
        var entries = Assert.Single(circles)!["entries"]!.AsArray();
        Assert.Equal(["member-joined", "check-in", "commitment-made"], entries.Select(e => (string)e!["type"]!));
        Assert.Equal("kai's own words", (string?)entries[1]!["payload"]!["note"]);
        // The reminder they asked for is theirs to take along: the commitment it is for, by its id.
        Assert.Equal("07:30", (string?)entries[2]!["payload"]!["cueTime"]);
        Assert.Equal([(string?)entries[2]!["payload"]!["commitmentId"]], export["cueReminders"]!.AsArray().Select(id => (string?)id));
        Assert.Equal("private", (string?)entries[1]!["visibility"]);
        Assert.DoesNotContain("noor's words", export.ToJsonString());
    }

    /// <summary>Two items on a 0–3 scale, made up for the test (nothing clinical ships in the product).</summary>
    private static MeasureDraft WeekCheck() => new(
        null, "Week check", "Over the last 7 days, how often…", 7,
        [new(0, "Not at all"), new(1, "Some days"), new(2, "Most days"), new(3, "Every day")],
        [new("Felt tense"), new("Slept badly")],
        [new(0, 2, "quiet"), new(3, 6, "more")]);

    /// <summary>A session that ended forty minutes ago (UTC), so its pulse is open now.</summary>
    private static (SetSessionScheduleDraft Schedule, string Session) JustEnded()
    {
        var now = DateTime.UtcNow;
        var start = new DateTime(now.Year, now.Month, now.Day, now.Hour, now.Minute, 0).AddMinutes(-100);
        var session = start.ToString("yyyy-MM-dd'T'HH:mm", System.Globalization.CultureInfo.InvariantCulture);
        return (new SetSessionScheduleDraft(null, "dates", "UTC", DurationMinutes: 60, Dates: [session]), session);
    }

    [Fact]
    public async Task The_export_holds_the_member_s_own_measure_answers_choices_and_pulses_readably_and_nobody_else_s()
    {
        var facilitator = await app.RegisterAsync("wren");
        var member = await app.RegisterAsync("xan");
        var other = await app.RegisterAsync("yael");
        var circle = await facilitator.CircleWithMembersAsync(member, other);
        var grain = Circle(circle.CircleId);
        var (wren, xan, yael) = (await MemberIdAsync(facilitator, circle.CircleId), await MemberIdAsync(member, circle.CircleId),
            await MemberIdAsync(other, circle.CircleId));
        var (schedule, session) = JustEnded();
        await grain.SetSessionScheduleAsync(wren, schedule);
        await grain.OfferMeasureAsync(wren, new OfferMeasureDraft(null, WeekCheck(), 7));
        var measureId = (await grain.GetMeasuresAsync(wren)).Measures.Single().Measure.MeasureId;

        await grain.OptInMeasureAsync(xan, new OptInMeasureDraft(null, measureId, ShareWithFacilitators: false));
        await grain.AnswerMeasureAsync(xan, new AnswerMeasureDraft(null, measureId, false, [1, 3]));
        await grain.AnswerMeasureAsync(xan, new AnswerMeasureDraft(null, measureId, false, [null, 2]));
        await grain.AnswerMeasureAsync(xan, new AnswerMeasureDraft(null, measureId, true, null));
        await grain.OptInMeasureAsync(xan, new OptInMeasureDraft(null, measureId, ShareWithFacilitators: true));
        await grain.AnswerPulseAsync(xan, new SessionPulseDraft(null, session, 4, null, 5, "steadier"));
        // Someone else's answers and pulse, and the facilitator's: in nobody's export but their own.
        await grain.OptInMeasureAsync(yael, new OptInMeasureDraft(null, measureId, ShareWithFacilitators: true));
        await grain.AnswerMeasureAsync(yael, new AnswerMeasureDraft(null, measureId, false, [0, 0]));
        await grain.AnswerPulseAsync(yael, new SessionPulseDraft(null, session, 2, 2, 2, "yaelsword"));
        await grain.AnswerPulseAsync(wren, new SessionPulseDraft(null, session, 3, 3, 3, "wrensword"));

        var export = await ExportAsync(member);

        var mine = Assert.Single(export["circles"]!.AsArray())!;
        var measure = Assert.Single(mine["measures"]!.AsArray())!;
        Assert.Equal(measureId, (Guid)measure["measureId"]!);
        Assert.Equal("Week check", (string?)measure["name"]);
        Assert.Equal(7, (int?)measure["everyDays"]);
        Assert.Null(measure["retiredAt"]);
        Assert.Equal([("opted-in", false), ("opted-in", true)],
            measure["choices"]!.AsArray().Select(c => ((string)c!["choice"]!, (bool)c["sharedWithFacilitators"]!)));
        var answers = measure["answers"]!.AsArray();
        Assert.Equal(3, answers.Count);
        Assert.All(answers, a => Assert.NotNull((DateTimeOffset?)a!["at"]));

        // Every item answered: as given, in the clinic's words, with the score and band it read as.
        var full = answers[0]!;
        Assert.False((bool)full["notThisWeek"]!);
        Assert.Equal(4, (int?)full["score"]);
        Assert.Equal("more", (string?)full["band"]);
        Assert.Equal([("Felt tense", 1, "Some days", false), ("Slept badly", 3, "Every day", false)],
            full["items"]!.AsArray().Select(i => ((string)i!["item"]!, (int)i["answer"]!, (string)i["label"]!, (bool)i["skipped"]!)));
        // A skipped item is said so, and the set is not scored.
        var skipped = answers[1]!;
        Assert.Null(skipped["score"]);
        Assert.Null(skipped["band"]);
        Assert.True((bool)skipped["items"]![0]!["skipped"]!);
        Assert.Null(skipped["items"]![0]!["answer"]);
        Assert.Equal("Most days", (string?)skipped["items"]![1]!["label"]);
        // Not this week is an answer of its own.
        Assert.True((bool)answers[2]!["notThisWeek"]!);
        Assert.Empty(answers[2]!["items"]!.AsArray());

        var pulse = Assert.Single(mine["pulses"]!.AsArray())!;
        Assert.Equal(session, (string?)pulse["session"]);
        Assert.Equal(4, (int?)pulse["heard"]);
        Assert.Null(pulse["safe"]);
        Assert.Equal(5, (int?)pulse["mattered"]);
        Assert.Equal("steadier", (string?)pulse["word"]);
        // The same entries as they are stored are there too, and nobody else's.
        Assert.Equal(4, mine["entries"]!.AsArray().Count(e => (string?)e!["type"] == "measure-answered" || (string?)e!["type"] == "session-pulse"));
        var text = export.ToJsonString();
        Assert.DoesNotContain("yaelsword", text);
        Assert.DoesNotContain("wrensword", text);
        Assert.DoesNotContain(yael, text);

        // The facilitator's export holds only what they wrote: the measure they offered and their own pulse.
        var theirs = await ExportAsync(facilitator);
        var theirCircle = Assert.Single(theirs["circles"]!.AsArray())!;
        Assert.Contains(theirCircle["entries"]!.AsArray(), e => (string?)e!["type"] == "measure-offered");
        Assert.DoesNotContain(theirCircle["entries"]!.AsArray(), e => (string?)e!["type"] == "measure-answered");
        Assert.Empty(theirCircle["measures"]!.AsArray());
        Assert.Equal(["wrensword"], theirCircle["pulses"]!.AsArray().Select(p => (string?)p!["word"]));
        var theirText = theirs.ToJsonString();
        Assert.DoesNotContain("steadier", theirText);
        Assert.DoesNotContain("yaelsword", theirText);
        Assert.DoesNotContain(xan, theirText);
    }

    [Fact]
    public async Task After_leaving_a_member_still_takes_their_measure_answers_along_and_after_erasing_nothing_of_them_is_left()
    {
        var facilitator = await app.RegisterAsync("zora");
        var member = await app.RegisterAsync("abe");
        var circle = await facilitator.CircleWithMembersAsync(member);
        var grain = Circle(circle.CircleId);
        var (zora, abe) = (await MemberIdAsync(facilitator, circle.CircleId), await MemberIdAsync(member, circle.CircleId));
        await grain.OfferMeasureAsync(zora, new OfferMeasureDraft(null, WeekCheck(), 7));
        var measureId = (await grain.GetMeasuresAsync(zora)).Measures.Single().Measure.MeasureId;
        await grain.OptInMeasureAsync(abe, new OptInMeasureDraft(null, measureId, ShareWithFacilitators: true));
        await grain.AnswerMeasureAsync(abe, new AnswerMeasureDraft(null, measureId, false, [2, 2]));
        await grain.RetireMeasureAsync(zora, new RetireMeasureDraft(null, measureId));
        Assert.Equal(HttpStatusCode.NoContent, (await member.Http.PostAsync($"/api/circles/{circle.CircleId}/leave", null)).StatusCode);

        var measure = Assert.Single((await ExportAsync(member))["circles"]!.AsArray().Single()!["measures"]!.AsArray())!;
        Assert.Equal("Week check", (string?)measure["name"]);
        Assert.NotNull(measure["retiredAt"]);
        Assert.Equal(4, (int?)Assert.Single(measure["answers"]!.AsArray())!["score"]);

        Assert.Equal(HttpStatusCode.NoContent, (await member.Http.DeleteAsync("/api/me/entries")).StatusCode);
        Assert.Empty((await ExportAsync(member))["circles"]!.AsArray());
        Assert.DoesNotContain((await facilitator.EventsAsync(circle.CircleId)).Events, e => (string?)e["type"] == "measure-answered");
    }

    [Fact]
    public async Task Without_signing_in_there_is_no_export_and_nothing_to_erase()
    {
        using var anonymous = app.Anonymous();

        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/me/export")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.DeleteAsync("/api/me/entries")).StatusCode);
    }

    [Fact]
    public async Task Erased_entries_show_nothing_of_their_content_to_others_and_the_log_keeps_its_order()
    {
        var facilitator = await app.RegisterAsync("rosa");
        var member = await app.RegisterAsync("eli");
        var circle = await facilitator.CircleWithMembersAsync(member);
        await CheckInAsync(member, circle.CircleId, "something tender", clientEventId: "eli-1");
        await CheckInAsync(facilitator, circle.CircleId, "rosa stays");

        var response = await member.Http.DeleteAsync("/api/me/entries");

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        var log = await facilitator.EventsAsync(circle.CircleId);
        Assert.Equal([1L, 2L, 3L, 4L], log.Events.Select(e => (long)e["seq"]!));
        Assert.DoesNotContain("something tender", string.Join("", log.Events.Select(e => e.ToJsonString())));
        Assert.All(log.Events.Where(e => (string)e["type"]! == "removed"), e => Assert.Equal("Someone", (string?)e["displayName"]));
        Assert.Equal(["circle-created", "removed", "removed", "check-in"], log.Events.Select(e => (string)e["type"]!));
        Assert.Contains("rosa stays", log.Events[3].ToJsonString());
        // A resend of the erased entry still gets its original receipt.
        var resent = await Circle(circle.CircleId).CheckInAsync(await MemberIdAsync(member, circle.CircleId),
            new CheckInDraft("eli-1", Capacity.Some, null, "something tender", "circle"));
        Assert.Equal(3, resent.Seq);
    }

    [Fact]
    public async Task After_an_erase_no_other_member_s_view_or_export_holds_the_erased_commitment_s_text_and_a_repeat_changes_nothing()
    {
        var facilitator = await app.RegisterAsync("tess");
        var author = await app.RegisterAsync("umar");
        var other = await app.RegisterAsync("vera");
        var circle = await facilitator.CircleWithMembersAsync(author, other);
        var grain = Circle(circle.CircleId);
        var (authorId, otherId) = (await MemberIdAsync(author, circle.CircleId), await MemberIdAsync(other, circle.CircleId));
        var made = await grain.MakeCommitmentAsync(authorId, new MakeCommitmentDraft(null, "Walk at dusk", "After dinner", null, "circle"));
        var commitmentId = (await facilitator.EventsAsync(circle.CircleId)).Events.Single(e => (long)e["seq"]! == made.Seq).Guid("commitmentId");
        await grain.JoinCommitmentAsync(otherId, new JoinCommitmentDraft(null, commitmentId));
        await grain.LogPracticeAsync(otherId, new LogPracticeDraft(null, commitmentId, PracticeOutcomes.Rested, "rested well enough"));
        Assert.Contains("Walk at dusk", (await ExportAsync(other)).ToJsonString());

        Assert.Equal(HttpStatusCode.NoContent, (await author.Http.DeleteAsync("/api/me/entries")).StatusCode);

        foreach (var viewer in new[] { facilitator, other })
        {
            var log = string.Join("\n", (await viewer.EventsAsync(circle.CircleId)).Events.Select(e => e.ToJsonString()));
            Assert.DoesNotContain("Walk at dusk", log);
            Assert.DoesNotContain("After dinner", log);
            Assert.DoesNotContain(authorId, log);
            Assert.Contains("a commitment that was removed", log);
            Assert.Contains("rested well enough", log);
        }
        var othersExport = (await ExportAsync(other)).ToJsonString();
        Assert.DoesNotContain("Walk at dusk", othersExport);
        Assert.Contains("rested well enough", othersExport);
        Assert.Empty((await ExportAsync(author))["circles"]!.AsArray());

        var before = (await facilitator.EventsAsync(circle.CircleId)).Events.Select(e => e.ToJsonString()).ToList();
        Assert.Equal(HttpStatusCode.NoContent, (await author.Http.DeleteAsync("/api/me/entries")).StatusCode);
        Assert.Equal(before, (await facilitator.EventsAsync(circle.CircleId)).Events.Select(e => e.ToJsonString()));
    }

    [Fact]
    public async Task A_member_who_leaves_no_longer_has_the_circle_and_the_only_facilitator_is_told_why_they_stay()
    {
        var facilitator = await app.RegisterAsync("ada");
        var member = await app.RegisterAsync("bo");
        var staying = await app.RegisterAsync("cy");
        var circle = await facilitator.CircleWithMembersAsync(member, staying);

        var left = await member.Http.PostAsync($"/api/circles/{circle.CircleId}/leave", null);

        Assert.Equal(HttpStatusCode.NoContent, left.StatusCode);
        Assert.Empty(await member.MyCirclesAsync());
        Assert.Equal(HttpStatusCode.Forbidden, (await member.Http.GetAsync($"/api/circles/{circle.CircleId}/events")).StatusCode);
        Assert.Equal("member-left", (string)(await facilitator.EventsAsync(circle.CircleId)).Events[^1]["type"]!);

        var refused = await facilitator.Http.PostAsync($"/api/circles/{circle.CircleId}/leave", null);
        var problem = await refused.ReadProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains(problem.Errors!.Values.SelectMany(v => v), m => m.Contains("only facilitator"));
    }
}
