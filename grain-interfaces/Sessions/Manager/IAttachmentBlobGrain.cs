namespace Harness.Sessions;

/// <summary>
/// The bytes of one attachment (key <c>&lt;session_id&gt;/&lt;attachment_id&gt;</c>), in a storage row of their own so
/// the session row, rewritten on every append, never carries them. Only the session grain calls it.
/// </summary>
public interface IAttachmentBlobGrain : IGrainWithStringKey
{
    Task Write(byte[] data);

    /// <summary>The stored bytes, or null when none are stored.</summary>
    Task<byte[]?> Read();

    Task Clear();

    static string KeyOf(string sessionId, string attachmentId) => $"{sessionId}/{attachmentId}";
}
