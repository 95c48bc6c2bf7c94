namespace Harness.Compaction;

/// <summary>The model a compaction summarises with and sizes its tail for: <c>{id, providerID, limit?}</c> (spec §3.2).</summary>
[GenerateSerializer, Immutable]
public sealed record CompactionModel
{
    [Id(0), JsonPropertyName("id")] public string? Id { get; init; }

    /// <summary>camelCase on the wire, as the console and the original orchestrator send it.</summary>
    [Id(1), JsonPropertyName("providerID")] public string? ProviderId { get; init; }

    [Id(2), JsonPropertyName("limit")] public ModelLimit? Limit { get; init; }
}
