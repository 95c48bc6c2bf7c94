namespace Harness.Bridge.Channels;

/// <summary>
/// One end of an engine channel (iii-protocol §4), as <c>engine::channels::create</c> returns it and as it travels
/// inside payloads (e.g. <c>writer_ref</c> of <c>provider::&lt;name&gt;::stream</c>).
/// </summary>
public sealed record IiiChannelRef
{
    [JsonPropertyName("channel_id")] public required string ChannelId { get; init; }
    [JsonPropertyName("access_key")] public required string AccessKey { get; init; }
    [JsonPropertyName("direction")] public required string Direction { get; init; }

    public const string Read = "read";
    public const string Write = "write";
}
