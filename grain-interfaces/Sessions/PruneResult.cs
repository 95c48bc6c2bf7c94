namespace Harness.Sessions;

/// <summary><c>context-compaction::prune_tool_outputs</c> answer; <c>busy</c> when a prune of the session is running.</summary>
[GenerateSerializer]
public sealed record PruneResult
{
    [Id(0), JsonPropertyName("pruned_tokens")] public long PrunedTokens { get; init; }
    [Id(1), JsonPropertyName("pruned_parts")] public int PrunedParts { get; init; }
    [Id(2), JsonPropertyName("scanned_parts")] public int ScannedParts { get; init; }
    [Id(3), JsonPropertyName("busy")] public bool? Busy { get; init; }
}
