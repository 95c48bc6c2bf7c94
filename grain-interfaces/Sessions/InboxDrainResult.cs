using Harness.Messages;

namespace Harness.Sessions;

[GenerateSerializer]
public sealed record InboxDrainResult
{
    [Id(0), JsonPropertyName("items")] public IReadOnlyList<AgentMessage> Items { get; init; } = [];
}
