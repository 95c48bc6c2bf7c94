namespace Harness.Sessions;

/// <summary>The whole content of a fork or clone target, written in one go.</summary>
[GenerateSerializer]
public sealed record SessionSeed
{
    [Id(0)] public required SessionMeta Meta { get; init; }
    [Id(1)] public IReadOnlyList<SessionEntry> Entries { get; init; } = [];
    [Id(2)] public string? LeafId { get; init; }
}
