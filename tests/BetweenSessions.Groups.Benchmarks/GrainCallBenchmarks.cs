using BenchmarkDotNet.Attributes;
using BetweenSessions.Groups.Grains.Runtime;
using Microsoft.Extensions.DependencyInjection;

namespace BetweenSessions.Groups.Benchmarks;

/// <summary>The grain runtime alone: the cost of a turn, and how calls spread over many activations.</summary>
[MemoryDiagnoser]
public class GrainCallBenchmarks
{
    private const int Calls = 10_000;
    private ServiceProvider _services = default!;
    private IGrainFactory _grains = default!;
    private ICounterGrain[] _many = [];

    [GlobalSetup]
    public void Setup()
    {
        _services = new ServiceCollection().AddLogging().AddGrainRuntime().AddGrain<ICounterGrain, CounterGrain>().BuildServiceProvider();
        _grains = _services.GetRequiredService<IGrainFactory>();
        _many = Enumerable.Range(0, 1000).Select(_ => _grains.GetGrain<ICounterGrain>(Guid.NewGuid())).ToArray();
        Task.WaitAll(_many.Select(g => g.IncrementAsync()));
    }

    [GlobalCleanup]
    public void Cleanup() => _services.Dispose();

    [Benchmark(OperationsPerInvoke = Calls, Description = "one grain, calls awaited one by one")]
    public async Task OneGrainSequential()
    {
        var grain = _many[0];
        for (var i = 0; i < Calls; i++) await grain.IncrementAsync();
    }

    [Benchmark(OperationsPerInvoke = Calls, Description = "one grain, 10,000 calls in flight")]
    public Task OneGrainConcurrent()
    {
        var grain = _many[0];
        return Task.WhenAll(Enumerable.Range(0, Calls).Select(_ => grain.IncrementAsync()));
    }

    [Benchmark(OperationsPerInvoke = Calls, Description = "1,000 grains, 10,000 calls in flight")]
    public Task ManyGrainsConcurrent() =>
        Task.WhenAll(Enumerable.Range(0, Calls).Select(i => _many[i % _many.Length].IncrementAsync()));
}

public interface ICounterGrain : IGrainWithGuidKey
{
    Task<int> IncrementAsync();
}

public sealed class CounterGrain : Grain, ICounterGrain
{
    private int _count;

    public Task<int> IncrementAsync() => Task.FromResult(++_count);
}
