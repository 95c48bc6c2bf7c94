namespace Harness.Sessions;

/// <summary>
/// One stored attachment of a session (<c>session::put-attachment</c>): the bytes live in their own
/// <see cref="IAttachmentBlobGrain"/> row, only this metadata is kept with the session.
/// </summary>
[GenerateSerializer]
public sealed record AttachmentMeta
{
    [Id(0), JsonPropertyName("attachment_id")] public required string AttachmentId { get; init; }
    [Id(1), JsonPropertyName("session_id")] public required string SessionId { get; init; }
    [Id(2), JsonPropertyName("name")] public required string Name { get; init; }
    [Id(3), JsonPropertyName("mime")] public required string Mime { get; init; }
    [Id(4), JsonPropertyName("size")] public long Size { get; init; }
    [Id(5), JsonPropertyName("sha256")] public required string Sha256 { get; init; }
    [Id(6), JsonPropertyName("created_at")] public long CreatedAt { get; init; }
}
