using Orleans;
using Orleans.Runtime;
using Orleans.Storage;

namespace BetweenSessions.Groups.Data.Tests;

public sealed class SqliteOrleansGrainStorageTests(SqliteFixture fixture)
    : OrleansGrainStorageContract(fixture), IClassFixture<SqliteFixture>;

public sealed class PostgresOrleansGrainStorageTests(PostgresFixture fixture)
    : OrleansGrainStorageContract(fixture), IClassFixture<PostgresFixture>;

/// <summary>Orleans grain state in GrainState: the ETag rule Orleans' persistent state relies on.</summary>
public abstract class OrleansGrainStorageContract(DatabaseFixture fixture)
{
    private const string StateName = "ProbeGrain";

    private IGrainStorage Storage => fixture.OrleansStorage;

    private static GrainId NewGrain() => GrainId.Create("probe", Guid.NewGuid().ToString("N"));

    public sealed class Probe
    {
        public string Text { get; set; } = "";
        public List<int> Numbers { get; set; } = [];
    }

    private sealed class Stored : IGrainState<Probe>
    {
        public Probe State { get; set; } = new();
        public string? ETag { get; set; }
        public bool RecordExists { get; set; }
    }

    private async Task<Stored> ReadAsync(GrainId id)
    {
        var state = new Stored { State = new Probe { Text = "left over from before" } };
        await Storage.ReadStateAsync(StateName, id, state);
        return state;
    }

    [Fact]
    public async Task Nothing_stored_reads_as_a_fresh_state_without_an_ETag()
    {
        var read = await ReadAsync(NewGrain());

        Assert.Null(read.ETag);
        Assert.False(read.RecordExists);
        Assert.Equal("", read.State.Text);
    }

    [Fact]
    public async Task A_write_reads_back_with_its_ETag()
    {
        var id = NewGrain();
        var state = new Stored { State = new Probe { Text = "ten minutes of breathing", Numbers = [1, 2, 3] } };
        await Storage.WriteStateAsync(StateName, id, state);
        Assert.NotNull(state.ETag);
        Assert.True(state.RecordExists);

        var read = await ReadAsync(id);
        Assert.Equal(state.ETag, read.ETag);
        Assert.True(read.RecordExists);
        Assert.Equal("ten minutes of breathing", read.State.Text);
        Assert.Equal([1, 2, 3], read.State.Numbers);

        read.State.Text = "fifteen";
        await Storage.WriteStateAsync(StateName, id, read);
        Assert.NotEqual(state.ETag, read.ETag);
        Assert.Equal("fifteen", (await ReadAsync(id)).State.Text);
    }

    [Fact]
    public async Task A_stale_write_throws_and_stores_nothing()
    {
        var id = NewGrain();
        var first = new Stored { State = new Probe { Text = "first" } };
        await Storage.WriteStateAsync(StateName, id, first);
        var stale = await ReadAsync(id);
        first.State.Text = "second";
        await Storage.WriteStateAsync(StateName, id, first);

        stale.State.Text = "stale";
        var conflict = await Assert.ThrowsAsync<InconsistentStateException>(() => Storage.WriteStateAsync(StateName, id, stale));
        Assert.Equal(first.ETag, conflict.StoredEtag);
        // A second activation that believes nothing is stored yet loses too.
        await Assert.ThrowsAsync<InconsistentStateException>(() =>
            Storage.WriteStateAsync(StateName, id, new Stored { State = new Probe { Text = "fresh" } }));
        await Assert.ThrowsAsync<InconsistentStateException>(() => Storage.ClearStateAsync(StateName, id, stale));

        var read = await ReadAsync(id);
        Assert.Equal("second", read.State.Text);
        Assert.Equal(first.ETag, read.ETag);
    }

    [Fact]
    public async Task Clear_then_write_works_and_no_ETag_is_issued_twice()
    {
        var id = NewGrain();
        var state = new Stored { State = new Probe { Text = "to be erased" } };
        HashSet<string> issued = [];
        await Storage.WriteStateAsync(StateName, id, state);
        Assert.True(issued.Add(state.ETag!));
        var beforeClear = await ReadAsync(id);

        await Storage.ClearStateAsync(StateName, id, state);
        Assert.False(state.RecordExists);
        Assert.Equal("", state.State.Text);
        Assert.True(issued.Add(state.ETag!));

        var cleared = await ReadAsync(id);
        Assert.False(cleared.RecordExists);
        Assert.Equal("", cleared.State.Text);
        Assert.Equal(state.ETag, cleared.ETag);

        // The activation that read before the clear cannot bring the text back.
        beforeClear.State.Text = "resurrected";
        await Assert.ThrowsAsync<InconsistentStateException>(() => Storage.WriteStateAsync(StateName, id, beforeClear));

        state.State.Text = "written again";
        await Storage.WriteStateAsync(StateName, id, state);
        Assert.True(issued.Add(state.ETag!));
        Assert.Equal("written again", (await ReadAsync(id)).State.Text);

        // Cleared and written again: still a new ETag every time.
        await Storage.ClearStateAsync(StateName, id, state);
        Assert.True(issued.Add(state.ETag!));
        await Storage.WriteStateAsync(StateName, id, state);
        Assert.True(issued.Add(state.ETag!));
    }

    [Fact]
    public async Task State_names_and_grains_are_kept_apart()
    {
        var id = NewGrain();
        await Storage.WriteStateAsync(StateName, id, new Stored { State = new Probe { Text = "one" } });
        var other = new Stored();
        await Storage.ReadStateAsync("OtherState", id, other);
        Assert.False(other.RecordExists);
        Assert.False((await ReadAsync(NewGrain())).RecordExists);
    }
}
