using System.Threading.Channels;

namespace BetweenSessions.Groups.Grains.Nudges;

/// <summary>A delivered nudge for one person's devices.</summary>
public sealed record PushNudge(string MemberId, Notification Nudge);

/// <summary>
/// Delivered nudges waiting for this host's push sender, so that a grain turn never waits on a push service. Not
/// durable, by choice: a push lost to a restart is a notification that does not buzz, while the nudge itself is in the
/// app's list, and resending after a crash could buzz twice. Bounded, so a push service that hangs cannot fill memory.
/// </summary>
public sealed class NudgePushChannel
{
    private readonly Channel<PushNudge> _queue = Channel.CreateBounded<PushNudge>(new BoundedChannelOptions(1000)
    {
        FullMode = BoundedChannelFullMode.Wait, // TryWrite then says "full" instead of dropping silently
        SingleReader = true,
    });

    /// <summary>The web app turns it on when it runs a sender; a host without one queues nothing.</summary>
    public bool Enabled { get; set; }

    public bool TryEnqueue(PushNudge nudge) => _queue.Writer.TryWrite(nudge);

    public ChannelReader<PushNudge> Reader => _queue.Reader;
}
