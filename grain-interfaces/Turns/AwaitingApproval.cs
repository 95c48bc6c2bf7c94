namespace Harness.Turns;

/// <summary>A call parked until a human decides (shown by <c>turn::get_state</c> after a reload).</summary>
[GenerateSerializer]
public sealed record AwaitingApproval
{
    [Id(0), JsonPropertyName("function_call_id")] public required string FunctionCallId { get; init; }
    [Id(1), JsonPropertyName("function_id")] public required string FunctionId { get; init; }
    [Id(2), JsonPropertyName("args")] public JsonElement Args { get; init; }
}
