using Harness.Messages;

namespace Harness.Turns;

/// <summary>One planned call of a batch: <c>dispatch</c>, <c>pre_approved</c> (approved after parking) or <c>synthetic</c> (result known up front).</summary>
[GenerateSerializer]
public sealed record PreparedCall
{
    [Id(0), JsonPropertyName("route")] public required string Route { get; init; }
    [Id(1), JsonPropertyName("call")] public required FunctionCall Call { get; init; }
    [Id(2), JsonPropertyName("result")] public FunctionResult? Result { get; init; }
}

public static class CallRoutes
{
    public const string Dispatch = "dispatch";
    public const string PreApproved = "pre_approved";
    public const string Synthetic = "synthetic";
}
