namespace Harness.Sessions;

/// <summary>Session attachments (<c>session::put-attachment</c>), bound from <c>Harness:Sessions:Attachments</c>.</summary>
public sealed class SessionAttachmentOptions
{
    public const string SectionName = "Harness:Sessions:Attachments";

    /// <summary>The largest decoded attachment accepted, in bytes. Default 10 MiB (≈13.4 MB of base64 in one frame).</summary>
    public long MaxBytes { get; set; } = 10 * 1024 * 1024;
}
