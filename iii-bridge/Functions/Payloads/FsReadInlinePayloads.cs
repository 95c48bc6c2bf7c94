namespace Harness.Bridge.Functions.Payloads;

/// <summary><c>harness::fs::read_inline {path, max_bytes?}</c>; also accepted as <c>{body:{path, max_bytes?}}</c>.</summary>
public sealed record FsReadInlineRequest
{
    /// <summary>Default and meaning of <c>max_bytes</c>: at most this many bytes are read from the file's channel.</summary>
    public const long DefaultMaxBytes = 262_144;

    [JsonPropertyName("path")] public string? Path { get; init; }
    [JsonPropertyName("max_bytes")] public long? MaxBytes { get; init; }
}

/// <summary>A function result: <c>{content:[{type:"text", text}], details:{size, truncated, bytes_read}, terminate:false}</c>.</summary>
public sealed record FsReadInlineResult
{
    [JsonPropertyName("content")] public required IReadOnlyList<FsReadInlineText> Content { get; init; }
    [JsonPropertyName("details")] public required FsReadInlineDetails Details { get; init; }
    [JsonPropertyName("terminate"), JsonIgnore(Condition = JsonIgnoreCondition.Never)] public bool Terminate { get; init; }
}

public sealed record FsReadInlineText
{
    [JsonPropertyName("type")] public string Type { get; init; } = "text";
    [JsonPropertyName("text")] public required string Text { get; init; }
}

public sealed record FsReadInlineDetails
{
    [JsonPropertyName("size"), JsonIgnore(Condition = JsonIgnoreCondition.Never)] public long? Size { get; init; }
    [JsonPropertyName("truncated"), JsonIgnore(Condition = JsonIgnoreCondition.Never)] public bool Truncated { get; init; }
    [JsonPropertyName("bytes_read"), JsonIgnore(Condition = JsonIgnoreCondition.Never)] public long BytesRead { get; init; }
}
