using Harness.Messages;

namespace Harness.Bridge.Channels;

/// <summary>Input of <c>provider::&lt;name&gt;::stream</c> (harness-core §1.4).</summary>
public sealed record ProviderStreamPayload
{
    [JsonPropertyName("writer_ref")] public required IiiChannelRef WriterRef { get; init; }
    [JsonPropertyName("system_prompt")] public string? SystemPrompt { get; init; }
    [JsonPropertyName("model")] public required string Model { get; init; }
    [JsonPropertyName("messages")] public IReadOnlyList<AgentMessage> Messages { get; init; } = [];
    [JsonPropertyName("tools")] public IReadOnlyList<AgentFunction> Tools { get; init; } = [];
    [JsonPropertyName("thinking_level")] public string? ThinkingLevel { get; init; }
}
