namespace Harness.Sessions;

/// <summary>Files a compaction's summary refers to (<c>details</c> of a compaction entry).</summary>
[GenerateSerializer]
public sealed record CompactionDetails
{
    [Id(0), JsonPropertyName("read_files")] public IReadOnlyList<string>? ReadFiles { get; init; }
    [Id(1), JsonPropertyName("modified_files")] public IReadOnlyList<string>? ModifiedFiles { get; init; }
}
