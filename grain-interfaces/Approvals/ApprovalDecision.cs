namespace Harness.Approvals;

/// <summary>A stored human decision for one parked call (spec scope <c>approvals</c>).</summary>
[GenerateSerializer]
public sealed record ApprovalDecision
{
    [Id(0), JsonPropertyName("decision")] public required string Decision { get; init; }
    [Id(1), JsonPropertyName("reason")] public string? Reason { get; init; }
}
