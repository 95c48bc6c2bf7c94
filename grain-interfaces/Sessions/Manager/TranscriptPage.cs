using Harness.Messages;

namespace Harness.Sessions;

/// <summary><c>session::messages</c> request: one page of the active path after <c>cursor</c>.</summary>
[GenerateSerializer]
public sealed record TranscriptPageRequest
{
    [Id(0), JsonPropertyName("session_id")] public string? SessionId { get; init; }
    [Id(1), JsonPropertyName("limit")] public int? Limit { get; init; }
    [Id(2), JsonPropertyName("cursor")] public string? Cursor { get; init; }
    [Id(3), JsonPropertyName("include_custom")] public bool? IncludeCustom { get; init; }
    [Id(4), JsonPropertyName("include_image_data")] public bool? IncludeImageData { get; init; }

    /// <summary>Rows when <c>limit</c> is absent, and the most one page holds (session-manager defaults).</summary>
    public const int DefaultLimit = 50;
    public const int MaxLimit = 500;
}

/// <summary>One row of <c>session::messages</c>: exactly one of <c>message</c> or <c>custom</c>.</summary>
[GenerateSerializer]
public sealed record TranscriptItem
{
    [Id(0), JsonPropertyName("entry_id")] public required string EntryId { get; init; }
    [Id(1), JsonPropertyName("message")] public AgentMessage? Message { get; init; }
    [Id(2), JsonPropertyName("custom")] public CustomEntryPayload? Custom { get; init; }
}

/// <summary><c>session::messages</c> answer; <c>next_cursor</c> is absent on the last page.</summary>
[GenerateSerializer]
public sealed record TranscriptPage
{
    [Id(0), JsonPropertyName("messages")] public IReadOnlyList<TranscriptItem> Messages { get; init; } = [];
    [Id(1), JsonPropertyName("next_cursor")] public string? NextCursor { get; init; }
}
