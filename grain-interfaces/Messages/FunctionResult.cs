namespace Harness.Messages;

/// <summary>What a tool call produced (spec §1.2). <c>terminate</c> asks the turn to stop after this batch.</summary>
[GenerateSerializer]
public sealed record FunctionResult
{
    [Id(0), JsonPropertyName("content")] public IReadOnlyList<ContentBlock> Content { get; init; } = [];
    [Id(1), JsonPropertyName("details")] public JsonElement? Details { get; init; }
    [Id(2), JsonPropertyName("terminate")] public bool Terminate { get; init; }

    /// <summary>Spec <c>isErrorResult</c>: details carries a string <c>error</c> or <c>status:"denied"</c>.</summary>
    [JsonIgnore]
    public bool IsErrorResult =>
        Details is { ValueKind: JsonValueKind.Object } d
        && ((d.TryGetProperty("error", out var e) && e.ValueKind == JsonValueKind.String)
            || (d.TryGetProperty("status", out var s) && s.ValueKind == JsonValueKind.String && s.GetString() == "denied"));

    /// <summary>A result whose text is the JSON of its details (used for synthetic errors).</summary>
    public static FunctionResult FromDetails(JsonElement details, bool terminate = false) =>
        new() { Content = [ContentBlock.OfText(details.GetRawText())], Details = details, Terminate = terminate };
}
