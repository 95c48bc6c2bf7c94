using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;

namespace Harness.Sessions;

/// <summary>
/// The C4 console's session trigger types, fired after a change is stored (console-and-data §1.6; payloads as the
/// session-manager's). Every path that changes the session fires them, the v0.5 one included, so a C4 console sees a
/// session driven by <c>harness::trigger</c> live too. The publisher queues and never blocks the grain.
/// </summary>
public sealed partial class SessionGrain
{
    private IConsoleTriggerPublisher? _triggers;

    private IConsoleTriggerPublisher Triggers => _triggers ??= ServiceProvider.GetService<IConsoleTriggerPublisher>() ?? new NullConsoleTriggerPublisher();

    private void PublishCreated()
    {
        var meta = S.Meta!;
        Publish(ConsoleTriggerTypes.SessionCreated, new JsonObject
        {
            ["session_id"] = SessionId, ["title"] = meta.DisplayName ?? "", ["description"] = meta.Description ?? "",
            ["status"] = meta.Status ?? SessionStatuses.Idle, ["created_at"] = meta.CreatedAt,
        });
    }

    private void PublishMetaUpdated()
    {
        var meta = S.Meta!;
        var payload = new JsonObject { ["session_id"] = SessionId, ["title"] = meta.DisplayName ?? "", ["description"] = meta.Description ?? "", ["timestamp"] = Now };
        if (meta.Metadata is { } metadata)
        {
            payload["metadata"] = JsonNode.Parse(metadata.GetRawText());
        }
        Publish(ConsoleTriggerTypes.SessionMetaUpdated, payload);
    }

    private void PublishStatusChanged(string previous)
    {
        var meta = S.Meta!;
        var payload = new JsonObject { ["session_id"] = SessionId, ["status"] = meta.Status, ["previous_status"] = previous, ["timestamp"] = Now };
        if (meta.StatusReason is { } reason)
        {
            payload["status_reason"] = reason;
        }
        Publish(ConsoleTriggerTypes.SessionStatusChanged, payload);
    }

    private void PublishDeleted() => Publish(ConsoleTriggerTypes.SessionDeleted, new JsonObject { ["session_id"] = SessionId, ["timestamp"] = Now });

    /// <summary><c>{session_id, entry_id, parent_id, message? | custom?, timestamp}</c>, each entry as <c>session::messages</c> shows it.</summary>
    private void PublishAdded(IEnumerable<SessionEntry> entries)
    {
        foreach (var entry in entries)
        {
            var payload = EntryPayload(entry);
            payload["parent_id"] = entry.ParentId;
            Publish(ConsoleTriggerTypes.SessionMessageAdded, payload);
        }
    }

    /// <summary><c>{session_id, entry_id, message, revision, timestamp}</c>; the revision is the update's time (ms), increasing per entry.</summary>
    private void PublishUpdated(IEnumerable<SessionEntry> entries)
    {
        var now = Now;
        foreach (var entry in entries)
        {
            var payload = EntryPayload(entry);
            payload["revision"] = now;
            payload["timestamp"] = now;
            Publish(ConsoleTriggerTypes.SessionMessageUpdated, payload);
        }
    }

    private JsonObject EntryPayload(SessionEntry entry)
    {
        var payload = JsonNode.Parse(WireJson.Serialize(TranscriptRow(entry, stripImages: false)))!.AsObject();
        payload["session_id"] = SessionId;
        payload["timestamp"] = entry.Timestamp;
        return payload;
    }

    private void Publish(string type, JsonObject payload)
    {
        try
        {
            Triggers.Publish(type, SessionId, payload);
        }
        catch (Exception ex)
        {
            // Best effort: the change is stored; a console recovers by reading back.
            logger.LogWarning(ex, "session {SessionId}: {TriggerType} was not published", SessionId, type);
        }
    }
}
