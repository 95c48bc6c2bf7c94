using Harness.Messages;

namespace Harness.Sessions;

/// <summary>One row of <c>session-tree::messages</c>: a message entry on the path and its id.</summary>
[GenerateSerializer]
public sealed record SessionMessageRow
{
    [Id(0), JsonPropertyName("entry_id")] public required string EntryId { get; init; }
    [Id(1), JsonPropertyName("message")] public required AgentMessage Message { get; init; }
}
