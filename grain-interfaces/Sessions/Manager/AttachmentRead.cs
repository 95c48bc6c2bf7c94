namespace Harness.Sessions;

/// <summary><c>session::get-attachment</c> answer: the metadata and, unless <c>include_data:false</c>, the bytes as base64.</summary>
[GenerateSerializer]
public sealed record AttachmentRead
{
    [Id(0), JsonPropertyName("attachment")] public required AttachmentMeta Attachment { get; init; }

    [Id(1), JsonPropertyName("data"), JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public string? Data { get; init; }
}

/// <summary><c>session::put-attachment</c> answer: the metadata and the ready-made <c>file</c> block for the message.</summary>
[GenerateSerializer]
public sealed record AttachmentStored
{
    [Id(0), JsonPropertyName("attachment")] public required AttachmentMeta Attachment { get; init; }
    [Id(1), JsonPropertyName("block")] public required Messages.ContentBlock Block { get; init; }
}
