using Harness.Validation;

namespace Harness.Compaction;

/// <summary>
/// <c>context-compaction::compact_now {session_id, projected_tokens?, last_user_message_id?, model}</c> (the sync path):
/// when <c>last_user_message_id</c> names a user entry it is kept out of the summary (the replay) and a continue prompt
/// is appended after the compaction. Missing numbers count as 0.
/// </summary>
[GenerateSerializer]
public sealed record CompactNowRequest
{
    [Id(0), JsonPropertyName("session_id")] public string? SessionId { get; init; }
    [Id(1), JsonPropertyName("projected_tokens")] public long? ProjectedTokens { get; init; }
    [Id(2), JsonPropertyName("last_user_message_id")] public string? LastUserMessageId { get; init; }
    [Id(3), JsonPropertyName("model")] public CompactionModel? Model { get; init; }

    public string Validate() => Require.Key(SessionId, "session_id");
}
