using System.Data.Common;
using System.Runtime.CompilerServices;
using BetweenSessions.Groups.Data.Entities;
using BetweenSessions.Groups.Contracts.Circles;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace BetweenSessions.Groups.Data;

/// <summary>
/// The statements every check-in runs (the resend lookup, the circle's version bump and the event's insert) as plain
/// ADO.NET commands. EF's LINQ pipeline spent several times the database's own work on them (funcletizing the
/// expression tree, hashing it for the query cache, building the update, tracking the entity; docs/performance.md),
/// and they run once per entry. The SQL, parameter types and value conversions come from the EF model, so the
/// commands stay right on every provider and follow any change to the mapping.
/// </summary>
internal sealed class CircleStatements
{
    private static readonly ConditionalWeakTable<IModel, CircleStatements> ByModel = new();

    private readonly string _findReceipt;
    private readonly IProperty[] _findReceiptParameters;
    private readonly string _advanceVersion;
    private readonly IProperty[] _advanceVersionParameters;
    private readonly string _advanceVersionUnlessStored;
    private readonly IProperty[] _advanceVersionUnlessStoredParameters;
    private readonly string _insertEvent;
    private readonly IProperty[] _eventColumns;
    private readonly string[] _parameterNames;

    public static CircleStatements For(GroupsDbContext db) => ByModel.GetValue(db.Model, _ => new CircleStatements(db));

    private CircleStatements(GroupsDbContext db)
    {
        var sql = db.GetService<ISqlGenerationHelper>();
        var circles = db.Model.FindEntityType(typeof(Circle))!;
        var events = db.Model.FindEntityType(typeof(CircleEventRecord))!;
        var circlesTable = StoreObjectIdentifier.Table(circles.GetTableName()!, circles.GetSchema());
        var eventsTable = StoreObjectIdentifier.Table(events.GetTableName()!, events.GetSchema());
        string Column(IProperty property, StoreObjectIdentifier table) => sql.DelimitIdentifier(property.GetColumnName(table)!);
        string Parameter(int index) => sql.GenerateParameterNamePlaceholder($"p{index}");
        IProperty Circle(string name) => circles.FindProperty(name)!;
        IProperty Event(string name) => events.FindProperty(name)!;

        // The author's entry, or its tombstone if they erased it since (Erasure.ErasedClientEventId), as the
        // resend rule in ICircleStore says.
        IProperty circleId = Event(nameof(CircleEventRecord.CircleId)), memberId = Event(nameof(CircleEventRecord.MemberId)),
            clientEventId = Event(nameof(CircleEventRecord.ClientEventId));
        string AuthorsEntry(int circleParameter, int authorParameter) =>
            $" FROM {sql.DelimitIdentifier(eventsTable.Name, eventsTable.Schema)}"
            + $" WHERE {Column(circleId, eventsTable)} = {Parameter(circleParameter)}"
            + $" AND (({Column(memberId, eventsTable)} = {Parameter(authorParameter)} AND {Column(clientEventId, eventsTable)} = {Parameter(authorParameter + 1)})"
            + $" OR ({Column(memberId, eventsTable)} = {Parameter(authorParameter + 2)} AND {Column(clientEventId, eventsTable)} = {Parameter(authorParameter + 3)}))";
        _findReceiptParameters = [circleId, memberId, clientEventId, memberId, clientEventId];
        _findReceipt =
            $"SELECT {Column(Event(nameof(CircleEventRecord.EventId)), eventsTable)}, {Column(Event(nameof(CircleEventRecord.Seq)), eventsTable)}"
            + AuthorsEntry(0, 1);

        // The columns EfCircleStore's ExecuteUpdate sets for a commit that leaves the settings as they are: every commit
        // states the whole row (everyday commits never change the settings; EfCircleStore.IsEveryday).
        IProperty[] set =
        [
            Circle(nameof(Entities.Circle.Version)), Circle(nameof(Entities.Circle.LastSeq)), Circle(nameof(Entities.Circle.Name)),
            Circle(nameof(Entities.Circle.InviteCode)), Circle(nameof(Entities.Circle.OpenRoundId)), Circle(nameof(Entities.Circle.OpenRoundPrompt)),
            Circle(nameof(Entities.Circle.OpenRoundStartedAt)), Circle(nameof(Entities.Circle.OpenRoundStartedBy)),
        ];
        IProperty[] where = [Circle(nameof(Entities.Circle.Id)), Circle(nameof(Entities.Circle.Version))];
        _advanceVersionParameters = [.. set, .. where];
        _advanceVersion =
            $"UPDATE {sql.DelimitIdentifier(circlesTable.Name, circlesTable.Schema)} SET "
            + string.Join(", ", set.Select((p, i) => $"{Column(p, circlesTable)} = {Parameter(i)}"))
            + " WHERE " + string.Join(" AND ", where.Select((p, i) => $"{Column(p, circlesTable)} = {Parameter(set.Length + i)}"));

        // The same, unless the author already stored an entry with this client id: the resend check rides along in the
        // version bump, one statement and one round trip, on the writer's connection (its cache warm on SQLite).
        // The circle's id is the UPDATE's own parameter; the author's two pairs follow the UPDATE's.
        _advanceVersionUnlessStoredParameters = [.. _advanceVersionParameters, .. _findReceiptParameters[1..]];
        _advanceVersionUnlessStored = _advanceVersion
            + $" AND NOT EXISTS (SELECT 1{AuthorsEntry(set.Length, _advanceVersionParameters.Length)})";

        // Every mapped column of the log, so a column added to the entity is written here too.
        _eventColumns = events.GetProperties().ToArray();
        _insertEvent =
            $"INSERT INTO {sql.DelimitIdentifier(eventsTable.Name, eventsTable.Schema)} ("
            + string.Join(", ", _eventColumns.Select(p => Column(p, eventsTable)))
            + ") VALUES (" + string.Join(", ", _eventColumns.Select((_, i) => Parameter(i))) + ")";
        _parameterNames = Enumerable.Range(0, new[] { _eventColumns.Length, _advanceVersionUnlessStoredParameters.Length, _findReceiptParameters.Length }.Max())
            .Select(i => sql.GenerateParameterName($"p{i}")).ToArray();
    }

    /// <summary>The receipt of the author's event with this client id (or of its tombstone), or null.</summary>
    public async Task<EventReceipt?> FindReceiptAsync(
        GroupsDbContext db, Guid circleId, string memberId, string clientEventId, string erasedClientEventId, CancellationToken ct)
    {
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            await using var command = Command(db, _findReceipt, _findReceiptParameters,
                [circleId, .. AuthorsEntryValues(memberId, clientEventId, erasedClientEventId)]);
            await using var reader = await command.ExecuteReaderAsync(ct);
            if (!await reader.ReadAsync(ct)) return null;
            return new EventReceipt(await reader.GetFieldValueAsync<Guid>(0, ct), await reader.GetFieldValueAsync<long>(1, ct));
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>
    /// Within the write queue's transaction: moves the circle from the expected version to the next, with the whole
    /// row as the commit states it. False when the stored version is another (nothing was changed).
    /// </summary>
    public async Task<bool> AdvanceVersionAsync(GroupsDbContext db, CircleCommit commit, long version)
    {
        await using var command = Command(db, _advanceVersion, _advanceVersionParameters, AdvanceVersionValues(commit, version));
        return await command.ExecuteNonQueryAsync() == 1;
    }

    /// <summary>
    /// <see cref="AdvanceVersionAsync"/>, unless the author already stored an entry with this client id (or erased
    /// one: its tombstone's id). False when nothing was changed: a resend, or another stored version.
    /// </summary>
    public async Task<bool> AdvanceVersionUnlessStoredAsync(
        GroupsDbContext db, CircleCommit commit, long version, string memberId, string clientEventId, string erasedClientEventId)
    {
        await using var command = Command(db, _advanceVersionUnlessStored, _advanceVersionUnlessStoredParameters,
            [.. AdvanceVersionValues(commit, version), .. AuthorsEntryValues(memberId, clientEventId, erasedClientEventId)]);
        return await command.ExecuteNonQueryAsync() == 1;
    }

    private static object?[] AdvanceVersionValues(CircleCommit commit, long version)
    {
        var round = commit.OpenRound;
        return
        [
            version, commit.LastSeq, commit.Name, commit.InviteCode,
            round?.RoundId, round?.Prompt, round?.StartedAt, round?.StartedBy,
            commit.CircleId, commit.ExpectedVersion,
        ];
    }

    /// <summary>The author's own entry, or the tombstone left if they erased it.</summary>
    private static object?[] AuthorsEntryValues(string memberId, string clientEventId, string erasedClientEventId) =>
        [memberId, clientEventId, CircleEvent.RemovedAuthorId, erasedClientEventId];

    /// <summary>Within the write queue's transaction: appends one event to the circle's log.</summary>
    public async Task InsertEventAsync(GroupsDbContext db, CircleEventRecord record)
    {
        var values = new object?[_eventColumns.Length];
        for (var i = 0; i < values.Length; i++) values[i] = _eventColumns[i].GetGetter().GetClrValueUsingContainingEntity(record);
        await using var command = Command(db, _insertEvent, _eventColumns, values);
        try
        {
            await command.ExecuteNonQueryAsync();
        }
        catch (DbException e)
        {
            // What SaveChanges would throw, so callers see one kind of failure for a broken constraint either way.
            throw new DbUpdateException($"Appending event {record.Seq} of circle {record.CircleId} failed. See the inner exception.", e);
        }
    }

    private DbCommand Command(GroupsDbContext db, string text, IProperty[] properties, object?[] values)
    {
        var command = db.Database.GetDbConnection().CreateCommand();
        command.CommandText = text;
        command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
        for (var i = 0; i < properties.Length; i++)
        {
            // The property's own mapping applies its value converter (UTC ticks on SQLite, for one).
            var mapping = (RelationalTypeMapping)properties[i].GetRelationalTypeMapping();
            command.Parameters.Add(mapping.CreateParameter(command, _parameterNames[i], values[i], properties[i].IsNullable));
        }
        return command;
    }
}
