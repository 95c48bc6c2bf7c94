using System.Security.Cryptography;
using Harness.Validation;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Harness.Sessions;

/// <summary>
/// Session attachments: the bytes in an <see cref="IAttachmentBlobGrain"/> row each, their metadata in the session's row
/// (small, so the row rewritten on every append stays small). Uploads are event-silent and leave updated_at alone.
/// </summary>
public sealed partial class SessionGrain
{
    public const string DefaultMime = "application/octet-stream";

    public async Task<AttachmentStored> PutAttachment(string name, string mime, byte[] data)
    {
        Require.NonEmpty(name, "name");
        RequireManaged();
        var max = ServiceProvider.GetService<IOptions<SessionAttachmentOptions>>()?.Value.MaxBytes ?? new SessionAttachmentOptions().MaxBytes;
        if (data.LongLength > max)
        {
            throw new SessionException(ManagedErrorKinds.AttachmentTooLarge, $"{data.LongLength} bytes exceed the {max}-byte limit (Harness:Sessions:Attachments:MaxBytes)");
        }
        var meta = new AttachmentMeta
        {
            AttachmentId = $"a_{Guid.NewGuid():N}", SessionId = SessionId, Name = name,
            Mime = string.IsNullOrWhiteSpace(mime) ? DefaultMime : mime, Size = data.LongLength,
            Sha256 = Convert.ToHexStringLower(SHA256.HashData(data)), CreatedAt = Now,
        };
        // Bytes first: metadata never names bytes that were not stored.
        await Blob(meta.AttachmentId).Write(data);
        S.Attachments.Add(meta);
        await PersistAsync();
        return new AttachmentStored
        {
            Attachment = meta,
            Block = new ContentBlock { Type = ContentTypes.File, AttachmentId = meta.AttachmentId, Name = meta.Name, Mime = meta.Mime, Size = meta.Size },
        };
    }

    public async Task<AttachmentRead?> GetAttachment(string attachmentId, bool includeData)
    {
        if (!S.Created || FindAttachment(attachmentId) is not { } meta)
        {
            return null;
        }
        if (!includeData)
        {
            return new AttachmentRead { Attachment = meta };
        }
        var bytes = await Blob(attachmentId).Read();
        return bytes is null ? null : new AttachmentRead { Attachment = meta, Data = Convert.ToBase64String(bytes) };
    }

    public async Task<bool> DeleteAttachment(string attachmentId)
    {
        var meta = RequireManaged();
        if (FindAttachment(attachmentId) is not { } attachment)
        {
            return false;
        }
        if (S.Entries.Any(e => e.Message?.Content.Any(c => c.AttachmentId == attachmentId) == true))
        {
            throw new SessionException(ManagedErrorKinds.AttachmentInUse, $"attachment {attachmentId} is referenced by a stored message");
        }
        S.Attachments.Remove(attachment);
        if (meta.DraftAttachmentIds?.Contains(attachmentId) == true)
        {
            var left = meta.DraftAttachmentIds.Where(id => id != attachmentId).ToList();
            S.Meta = meta with { DraftAttachmentIds = left.Count == 0 ? null : left };
        }
        await PersistAsync();
        await Blob(attachmentId).Clear();
        return true;
    }

    private AttachmentMeta? FindAttachment(string id) => S.Attachments.Find(a => a.AttachmentId == id);

    private IAttachmentBlobGrain Blob(string attachmentId) => GrainFactory.GetGrain<IAttachmentBlobGrain>(IAttachmentBlobGrain.KeyOf(SessionId, attachmentId));
}
