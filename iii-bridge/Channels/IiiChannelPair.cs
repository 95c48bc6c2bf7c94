namespace Harness.Bridge.Channels;

/// <summary>The two ends of a new channel: hand <see cref="Writer"/> to the producer, keep <see cref="Reader"/>.</summary>
public sealed record IiiChannelPair
{
    [JsonPropertyName("writer")] public required IiiChannelRef Writer { get; init; }
    [JsonPropertyName("reader")] public required IiiChannelRef Reader { get; init; }
}
