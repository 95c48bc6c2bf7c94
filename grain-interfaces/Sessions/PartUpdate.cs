using Harness.Validation;

namespace Harness.Sessions;

/// <summary>
/// One item of <c>session-tree::update_part(s)</c>: the function_result entry's content becomes <c>output</c>
/// (<c>"[output pruned]"</c> when absent or null) and <c>compacted_at</c> is merged into its details.
/// </summary>
[GenerateSerializer]
public sealed record PartUpdate
{
    public const string PrunedText = "[output pruned]";

    [Id(0), JsonPropertyName("entry_id")] public string? EntryId { get; init; }
    [Id(1), JsonPropertyName("output")] public string? Output { get; init; }
    [Id(2), JsonPropertyName("compacted_at")] public JsonElement? CompactedAt { get; init; }

    public void Validate(string path) => Require.NonEmpty(EntryId, $"{path}entry_id");
}
