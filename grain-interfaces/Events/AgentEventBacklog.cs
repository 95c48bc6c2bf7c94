namespace Harness.Events;

/// <summary>What a subscriber gets on (re)subscribing: the stored frames it asked for and the last stored number.</summary>
[GenerateSerializer]
public sealed record AgentEventBacklog
{
    [Id(0)] public IReadOnlyList<AgentEventFrame> Frames { get; init; } = [];

    /// <summary>Highest sequence number in storage when the subscription was made or renewed.</summary>
    [Id(1)] public long StoredSeq { get; init; }
}
