using System.Collections.Concurrent;
using BetweenSessions.Groups.Grains.Runtime;
using Microsoft.Extensions.Logging;

namespace BetweenSessions.Groups.Grains.Tests.Runtime;

public sealed class ObserverTests
{
    private sealed class Recorder(string name, ConcurrentQueue<string> log) : IChatObserver
    {
        public void OnMessage(string text) => log.Enqueue($"{name}:{text}");
    }

    private sealed class Thrower : IChatObserver
    {
        public int Calls;

        public void OnMessage(string text)
        {
            Calls++;
            throw new InvalidOperationException("could not deliver " + text);
        }
    }

    /// <summary>Fails whenever the message starts with "!".</summary>
    private sealed class Picky(ConcurrentQueue<string> log) : IChatObserver
    {
        public void OnMessage(string text)
        {
            if (text.StartsWith('!')) throw new InvalidOperationException(text);
            log.Enqueue("picky:" + text);
        }
    }

    [Fact]
    public async Task Observers_get_every_notification_in_subscription_order_until_they_unsubscribe()
    {
        await using var host = TestRuntime.Create();
        var chat = host.Factory.GetGrain<IChatGrain>(Guid.NewGuid());
        var log = new ConcurrentQueue<string>();
        var first = new Recorder("first", log);
        var second = new Recorder("second", log);

        await chat.Subscribe(first);
        await chat.Subscribe(second);
        await chat.Subscribe(first);
        Assert.Equal(2, await chat.ObserverCount());
        await chat.Post("a");
        await chat.Post("b");
        await chat.Unsubscribe(first);
        await chat.Post("c");

        Assert.Equal(["first:a", "second:a", "first:b", "second:b", "second:c"], log);
        Assert.Equal(1, await chat.ObserverCount());
    }

    [Fact]
    public async Task A_throwing_observer_breaks_neither_the_call_nor_the_others_and_is_dropped_after_three_failures()
    {
        var logs = new CapturingLoggerProvider();
        await using var host = TestRuntime.Create(logs: logs);
        var chat = host.Factory.GetGrain<IChatGrain>(Guid.NewGuid());
        var log = new ConcurrentQueue<string>();
        var thrower = new Thrower();
        await chat.Subscribe(new Recorder("before", log));
        await chat.Subscribe(thrower);
        await chat.Subscribe(new Recorder("after", log));

        await chat.Post("secret-1");
        await chat.Post("secret-2");
        Assert.Equal(3, await chat.ObserverCount());
        await chat.Post("secret-3");
        Assert.Equal(2, await chat.ObserverCount());
        await chat.Post("secret-4");

        Assert.Equal(3, thrower.Calls);
        Assert.Equal(
            ["before:secret-1", "after:secret-1", "before:secret-2", "after:secret-2",
             "before:secret-3", "after:secret-3", "before:secret-4", "after:secret-4"],
            log);
        var warnings = logs.Entries.Where(e => e.Level == LogLevel.Warning && e.Message.Contains("Thrower")).ToList();
        Assert.Equal(3, warnings.Count);
        Assert.Contains("unsubscribed", warnings[^1].Message);
        Assert.DoesNotContain(logs.Entries, e => e.Message.Contains("secret") || (e.Exception?.Message.Contains("secret") ?? false));
    }

    [Fact]
    public void Only_consecutive_failures_count_and_resubscribing_forgives_them()
    {
        var log = new ConcurrentQueue<string>();
        var observers = new ObserverManager<IChatObserver>(new CapturingLoggerProvider());
        var picky = new Picky(log);
        observers.Subscribe(picky);

        foreach (var text in new[] { "!1", "!2", "ok", "!3", "!4" }) observers.Notify(o => o.OnMessage(text));
        Assert.Equal(1, observers.Count);
        observers.Subscribe(picky);
        observers.Notify(o => o.OnMessage("!5"));
        observers.Notify(o => o.OnMessage("!6"));
        Assert.Equal(1, observers.Count);
        observers.Notify(o => o.OnMessage("!7"));

        Assert.Equal(0, observers.Count);
        Assert.Equal(["picky:ok"], log);
    }

    [Fact]
    public void A_predicate_chooses_who_is_notified()
    {
        var log = new ConcurrentQueue<string>();
        var observers = new ObserverManager<IChatObserver>(new CapturingLoggerProvider());
        var facilitator = new Recorder("facilitator", log);
        observers.Subscribe(new Recorder("member", log));
        observers.Subscribe(facilitator);

        observers.Notify(o => o.OnMessage("facilitators only"), o => ReferenceEquals(o, facilitator));
        observers.Notify(o => o.OnMessage("everyone"));

        Assert.Equal(["facilitator:facilitators only", "member:everyone", "facilitator:everyone"], log);
    }

    [Fact]
    public void An_observer_may_unsubscribe_itself_while_being_notified()
    {
        var observers = new ObserverManager<IChatObserver>(new CapturingLoggerProvider());
        var log = new ConcurrentQueue<string>();
        var leaving = new SelfRemoving(observers, log);
        observers.Subscribe(leaving);
        observers.Subscribe(new Recorder("stays", log));

        observers.Notify(o => o.OnMessage("bye"));
        observers.Notify(o => o.OnMessage("again"));

        Assert.Equal(["leaving:bye", "stays:bye", "stays:again"], log);
    }

    private sealed class SelfRemoving(ObserverManager<IChatObserver> observers, ConcurrentQueue<string> log) : IChatObserver
    {
        public void OnMessage(string text)
        {
            log.Enqueue("leaving:" + text);
            observers.Unsubscribe(this);
        }
    }
}
