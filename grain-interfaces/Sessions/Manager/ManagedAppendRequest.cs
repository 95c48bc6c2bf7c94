using Harness.Messages;
using Harness.Validation;

namespace Harness.Sessions;

/// <summary>
/// <c>session::append</c>: exactly one of <c>message</c> or <c>custom</c> ({custom_type, data}), under <c>parent_id</c>
/// (default: the active leaf); idempotent on <c>entry_id</c>. A <c>compaction</c> custom entry with a <c>summary</c>
/// also anchors later turns' windows, as a session-tree compaction does.
/// </summary>
[GenerateSerializer]
public sealed record ManagedAppendRequest
{
    [Id(0), JsonPropertyName("session_id")] public string? SessionId { get; init; }
    [Id(1), JsonPropertyName("message")] public AgentMessage? Message { get; init; }
    [Id(2), JsonPropertyName("custom")] public CustomEntryPayload? Custom { get; init; }
    [Id(3), JsonPropertyName("parent_id")] public string? ParentId { get; init; }
    [Id(4), JsonPropertyName("entry_id")] public string? EntryId { get; init; }

    public string Validate()
    {
        var id = Require.Key(SessionId, "session_id");
        if ((Message is null) == (Custom is null))
        {
            throw new PayloadValidationException("message", "exactly one of message or custom is required");
        }
        if (Message is not null && string.IsNullOrEmpty(Message.Role))
        {
            throw new PayloadValidationException("message.role", "is required");
        }
        if (Custom is not null)
        {
            Require.NonEmpty(Custom.CustomType, "custom.custom_type");
        }
        if (EntryId is not null)
        {
            Require.NonEmpty(EntryId, "entry_id");
        }
        return id;
    }
}

/// <summary>A bookkeeping entry's body: <c>{custom_type, data}</c>.</summary>
[GenerateSerializer]
public sealed record CustomEntryPayload
{
    [Id(0), JsonPropertyName("custom_type")] public string? CustomType { get; init; }
    [Id(1), JsonPropertyName("data")] public JsonElement? Data { get; init; }
}

/// <summary><c>session::append</c> answer.</summary>
[GenerateSerializer]
public sealed record ManagedAppendResult
{
    [Id(0), JsonPropertyName("entry_id")] public required string EntryId { get; init; }

    [Id(1), JsonPropertyName("parent_id"), JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public string? ParentId { get; init; }

    [Id(2), JsonPropertyName("timestamp")] public long Timestamp { get; init; }
}
