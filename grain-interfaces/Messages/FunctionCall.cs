namespace Harness.Messages;

/// <summary>A call the model asked for, after unwrapping <c>agent_trigger</c>.</summary>
[GenerateSerializer]
public sealed record FunctionCall
{
    [Id(0), JsonPropertyName("id")] public required string Id { get; init; }
    [Id(1), JsonPropertyName("function_id")] public required string FunctionId { get; init; }
    [Id(2), JsonPropertyName("arguments")] public JsonElement Arguments { get; init; }
}
