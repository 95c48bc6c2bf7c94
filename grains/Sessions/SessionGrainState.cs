using Harness.Sessions;

namespace Harness.Sessions;

/// <summary>
/// Stored form of one session: every tree entry in append order, the active leaf, the inboxes and the metadata
/// (<c>meta</c>, absent in rows written before it existed: it is then rebuilt on activation).
/// </summary>
public sealed class SessionGrainState
{
    [System.Text.Json.Serialization.JsonPropertyName("created")] public bool Created { get; set; }
    [System.Text.Json.Serialization.JsonPropertyName("leaf_id")] public string? LeafId { get; set; }
    [System.Text.Json.Serialization.JsonPropertyName("entries")] public List<SessionEntry> Entries { get; set; } = [];
    [System.Text.Json.Serialization.JsonPropertyName("inbox")] public Dictionary<string, List<AgentMessage>> Inbox { get; set; } = [];
    [System.Text.Json.Serialization.JsonPropertyName("meta")] public SessionMeta? Meta { get; set; }

    /// <summary>Metadata of the session's stored attachments (the bytes are in their own rows).</summary>
    [System.Text.Json.Serialization.JsonPropertyName("attachments")] public List<AttachmentMeta> Attachments { get; set; } = [];

    /// <summary>Per inbox, the id and time of each queued message, position for position (rows from before it: ids are made up on read).</summary>
    [System.Text.Json.Serialization.JsonPropertyName("inbox_entries")] public Dictionary<string, List<InboxEntryMeta>> InboxEntries { get; set; } = [];
}
