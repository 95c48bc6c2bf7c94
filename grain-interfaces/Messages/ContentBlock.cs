namespace Harness.Messages;

/// <summary>
/// One content block, tagged by <c>type</c>: <c>text</c> {text}, <c>thinking</c> {text, signature?},
/// <c>function_call</c> {id, function_id, arguments}, <c>image</c> {data, mime_type}.
/// </summary>
[GenerateSerializer]
public sealed record ContentBlock
{
    [Id(0), JsonPropertyName("type")] public required string Type { get; init; }
    [Id(1), JsonPropertyName("text")] public string? Text { get; init; }
    [Id(2), JsonPropertyName("signature")] public string? Signature { get; init; }
    [Id(3), JsonPropertyName("id")] public string? Id { get; init; }
    [Id(4), JsonPropertyName("function_id")] public string? FunctionId { get; init; }
    [Id(5), JsonPropertyName("arguments")] public JsonElement? Arguments { get; init; }
    [Id(6), JsonPropertyName("data")] public string? Data { get; init; }
    [Id(7), JsonPropertyName("mime_type")] public string? MimeType { get; init; }

    // Session-manager (C4 console) blocks: image {mime, data, attachment_id?}, file {attachment_id, name, mime, size}.
    [Id(8), JsonPropertyName("mime")] public string? Mime { get; init; }
    [Id(9), JsonPropertyName("attachment_id")] public string? AttachmentId { get; init; }
    [Id(10), JsonPropertyName("name")] public string? Name { get; init; }
    [Id(11), JsonPropertyName("size")] public long? Size { get; init; }

    public static ContentBlock OfText(string text) => new() { Type = ContentTypes.Text, Text = text };

    public static ContentBlock OfThinking(string text, string? signature = null) =>
        new() { Type = ContentTypes.Thinking, Text = text, Signature = signature };

    public static ContentBlock OfFunctionCall(string id, string functionId, JsonElement arguments) =>
        new() { Type = ContentTypes.FunctionCall, Id = id, FunctionId = functionId, Arguments = arguments };
}

public static class ContentTypes
{
    public const string Text = "text";
    public const string Thinking = "thinking";
    public const string FunctionCall = "function_call";
    public const string Image = "image";

    /// <summary>A reference to a stored session attachment; its bytes are never inline.</summary>
    public const string File = "file";
}
