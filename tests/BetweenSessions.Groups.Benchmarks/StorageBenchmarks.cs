using BenchmarkDotNet.Attributes;
using BetweenSessions.Groups.Data;
using BetweenSessions.Groups.Domain;
using BetweenSessions.Groups.Contracts.Circles;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace BetweenSessions.Groups.Benchmarks;

/// <summary>
/// Durable events through the real store and write queue: one commit per event (each write awaited before the
/// next, so every batch holds one) against many circles writing at once (the queue batches them into one
/// transaction). PostgreSQL runs when BSG_TEST_POSTGRES names a server (build/postgres.sh url).
/// </summary>
[MemoryDiagnoser]
public class StorageBenchmarks
{
    private const int Events = 400;
    private const int Circles = 100;
    private IHost _host = default!;
    private ICircleStore _store = default!;
    private Circle[] _circles = [];
    private string _folder = "";

    [Params("sqlite", "postgres")]
    public string Provider { get; set; } = "sqlite";

    [GlobalSetup]
    public void Setup()
    {
        var postgres = Environment.GetEnvironmentVariable("BSG_TEST_POSTGRES");
        if (Provider == "postgres" && string.IsNullOrEmpty(postgres))
            throw new InvalidOperationException("Set BSG_TEST_POSTGRES (build/postgres.sh start; build/postgres.sh url) to measure PostgreSQL.");
        _folder = Directory.CreateTempSubdirectory("bsg-bench-").FullName;
        var database = $"bench_{Guid.NewGuid():N}";
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = _folder });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Database:Provider"] = Provider,
            ["ConnectionStrings:Groups"] = Provider == "sqlite" ? $"Data Source={_folder}/bench.db" : $"{postgres};Database={database}",
        });
        builder.AddGroupsData();
        _host = builder.Build();
        _host.Services.MigrateGroupsDatabaseAsync().GetAwaiter().GetResult();
        _store = _host.Services.GetRequiredService<ICircleStore>();
        _circles = Enumerable.Range(0, Circles).Select(i => new Circle(Guid.NewGuid(), $"Circle {i}")).ToArray();
        Task.WaitAll(_circles.Select(c => c.CreateAsync(_store)));
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _host.Dispose();
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { }
    }

    [Benchmark(OperationsPerInvoke = Events, Description = "one commit per event (awaited one by one)")]
    public async Task OneCommitPerEvent()
    {
        for (var i = 0; i < Events; i++) await _circles[i % Circles].AppendAsync(_store);
    }

    [Benchmark(OperationsPerInvoke = Events, Description = "100 circles writing at once (batched)")]
    public Task Batched() =>
        Task.WhenAll(_circles.Select(async circle =>
        {
            for (var i = 0; i < Events / Circles; i++) await circle.AppendAsync(_store);
        }));

    /// <summary>What a circle grain does per check-in, without the grain: next seq, conditional commit.</summary>
    private sealed class Circle(Guid id, string name)
    {
        private static readonly CircleMember Author = new("bench-member", "Bench", CircleRole.Member, DateTimeOffset.UtcNow);
        private readonly string _inviteCode = InviteCode.New();
        private long _version;
        private long _seq;

        public async Task CreateAsync(ICircleStore store) =>
            _version = await store.CommitAsync(new CircleCommit(id, 0, name, _inviteCode, DateTimeOffset.UtcNow, 0, [Author], []));

        public async Task AppendAsync(ICircleStore store)
        {
            var seq = _seq + 1;
            var checkIn = new CircleEvent(id, seq, Guid.NewGuid(), EventTypes.CheckIn, DateTimeOffset.UtcNow, Author.MemberId,
                Author.DisplayName, Visibility.Circle, null, """{"capacity":"steady","feelings":["calm"],"note":null}""");
            _version = await store.CommitAsync(new CircleCommit(id, _version, name, _inviteCode, DateTimeOffset.UtcNow, seq, [], [checkIn]));
            _seq = seq;
        }
    }
}
