using System.Net;
using System.Net.Sockets;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans;
using Orleans.Hosting;

namespace BetweenSessions.Groups.Benchmarks;

/// <summary>Orleans alone, co-hosted as in the app: the cost of a grain call, and how calls spread over many activations.</summary>
[MemoryDiagnoser]
public class GrainCallBenchmarks
{
    private const int Calls = 10_000;
    private IHost _host = default!;
    private IGrainFactory _grains = default!;
    private ICounterGrain[] _many = [];

    [GlobalSetup]
    public void Setup()
    {
        _host = Host.CreateDefaultBuilder()
            .ConfigureLogging(logging => logging.SetMinimumLevel(LogLevel.Warning))
            .UseOrleans(silo => silo.UseLocalhostClustering(FreePort(), FreePort()))
            .Build();
        _host.Start();
        _grains = _host.Services.GetRequiredService<IGrainFactory>();
        _many = Enumerable.Range(0, 1000).Select(_ => _grains.GetGrain<ICounterGrain>(Guid.NewGuid())).ToArray();
        Task.WaitAll(_many.Select(g => g.IncrementAsync()));
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _host.StopAsync().GetAwaiter().GetResult();
        _host.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

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
