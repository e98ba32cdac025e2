using BetweenSessions.Groups.Grains.Runtime;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace BetweenSessions.Groups.Grains.Tests.Runtime;

public sealed class HostingTests
{
    [Fact]
    public async Task StopAsync_deactivates_every_activation_and_refuses_new_ones()
    {
        var host = TestRuntime.Create();
        var keys = new[] { Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid() };
        foreach (var key in keys) await host.Factory.GetGrain<ICounterGrain>(key).Increment();
        await host.Factory.GetGrain<IStatefulGrain>("s").IncrementPersisted();
        Assert.Equal(4, host.Runtime.ActivationCount);

        await host.Runtime.StopAsync(CancellationToken.None).Within();

        Assert.Equal(0, host.Runtime.ActivationCount);
        Assert.Equal(4, host.Probe.Deactivations.Count);
        Assert.All(host.Probe.Deactivations, d => Assert.Equal(DeactivationReasonCode.ShuttingDown, d.Code));
        await Assert.ThrowsAsync<InvalidOperationException>(() => host.Factory.GetGrain<ICounterGrain>(keys[0]).Increment());
        await host.DisposeAsync();
    }

    [Fact]
    public async Task StopAsync_lets_an_accepted_call_finish_first()
    {
        var host = TestRuntime.Create();
        var grain = host.Factory.GetGrain<IBlockingGrain>("draining");
        var block = grain.Block();
        await host.Probe.WhenSet("entered:draining");

        var stop = host.Runtime.StopAsync(CancellationToken.None);
        Assert.False(stop.IsCompleted);
        host.Probe.Set("release:draining");

        Assert.Equal("draining", await block.Within());
        await stop.Within();
        Assert.Equal([("draining", DeactivationReasonCode.ShuttingDown)], host.Probe.Deactivations);
        await host.DisposeAsync();
    }

    [Fact]
    public async Task AddGrainRuntime_registers_one_runtime_as_factory_and_hosted_service()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Services
            .AddSingleton(new Probe())
            .AddMemoryGrainStorage()
            .AddGrainRuntime(o => o.IdleTimeout = TimeSpan.FromMinutes(1))
            .AddGrainRuntime()
            .AddGrain<IStatefulGrain, StatefulGrain>()
            .AddGrain<IChatGrain, ChatGrain>();
        using var app = builder.Build();

        var runtime = app.Services.GetRequiredService<GrainRuntime>();
        Assert.Same(runtime, app.Services.GetRequiredService<IGrainFactory>());
        Assert.Single(app.Services.GetServices<IHostedService>(), s => ReferenceEquals(s, runtime));

        await app.StartAsync(TestContext.Current.CancellationToken);
        var grains = app.Services.GetRequiredService<IGrainFactory>();
        Assert.Equal(1, await grains.GetGrain<IStatefulGrain>("hosted").IncrementPersisted());
        await grains.GetGrain<IChatGrain>(Guid.NewGuid()).Post("hello");
        Assert.Equal(2, runtime.ActivationCount);
        await app.StopAsync(TestContext.Current.CancellationToken);

        Assert.Equal(0, runtime.ActivationCount);
        Assert.Equal([("hosted", DeactivationReasonCode.ShuttingDown)], app.Services.GetRequiredService<Probe>().Deactivations);
    }
}
