using Harness.Messages;
using Harness.Validation;

namespace Harness.Sessions;

/// <summary>
/// <c>session-tree::append_batch</c>: appends <c>messages</c> as a chain under <c>parent_id</c> (default: the
/// active leaf). With <c>entry_ids</c> the append is idempotent: an id already in the tree is skipped.
/// </summary>
[GenerateSerializer]
public sealed record SessionAppendRequest
{
    [Id(0), JsonPropertyName("session_id")] public string? SessionId { get; init; }
    [Id(1), JsonPropertyName("messages")] public IReadOnlyList<AgentMessage>? Messages { get; init; }
    [Id(2), JsonPropertyName("entry_ids")] public IReadOnlyList<string>? EntryIds { get; init; }
    [Id(3), JsonPropertyName("parent_id")] public string? ParentId { get; init; }

    public void Validate()
    {
        Require.Key(SessionId, "session_id");
        if (Messages is null)
        {
            throw new PayloadValidationException("messages", "is required (an array of AgentMessage)");
        }
        if (EntryIds is not null && EntryIds.Count != Messages.Count)
        {
            throw new PayloadValidationException("entry_ids", $"must have one id per message ({Messages.Count})");
        }
        for (var i = 0; i < Messages.Count; i++)
        {
            if (Messages[i] is null || string.IsNullOrEmpty(Messages[i].Role))
            {
                throw new PayloadValidationException($"messages[{i}].role", "is required");
            }
            if (EntryIds is not null)
            {
                Require.NonEmpty(EntryIds[i], $"entry_ids[{i}]");
            }
        }
    }
}
