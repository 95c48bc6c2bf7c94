namespace Harness.Events;

/// <summary>
/// The worker-provided trigger types the C4 console binds (console-and-data §1.6, §6(b)). Each is registered on the
/// worker its prefix maps to (<c>harness</c>, <c>approval-gate</c>, <c>session</c>, …).
/// </summary>
public static class ConsoleTriggerTypes
{
    public const string TurnCompleted = "harness::turn-completed";
    public const string TurnStarted = "harness::turn-started";
    public const string MessageQueued = "harness::message-queued";
    public const string TriggersChanged = "harness::triggers-changed";
    public const string PendingCreated = "approval::pending-created";
    public const string PendingResolved = "approval::pending-resolved";
    public const string SessionCreated = "session::created";
    public const string SessionMetaUpdated = "session::meta-updated";
    public const string SessionStatusChanged = "session::status-changed";
    public const string SessionDeleted = "session::deleted";
    public const string SessionMessageAdded = "session::message-added";
    public const string SessionMessageUpdated = "session::message-updated";
    public const string ModelsChanged = "router::models::changed";
    public const string ProviderChanged = "router::provider::changed";

    /// <summary>Type → description shown by the engine.</summary>
    public static readonly IReadOnlyDictionary<string, string> All = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [TurnCompleted] = "A turn reached a terminal status: {session_id, turn_id, status, result?, result_error?, reason?, timestamp}. Config {session_id}.",
        [TurnStarted] = "A turn began executing: {session_id, turn_id, timestamp}. Config {session_id}.",
        [MessageQueued] = "A message parked in the session queue while a turn was busy: {session_id, turn_id, entry_id, queued_at}. Config {session_id}.",
        [TriggersChanged] = "The session's trigger subscriptions changed: {session_id}. Config {session_id}.",
        [PendingCreated] = "A function call awaits approval (PendingApprovalRecord). Config {session_id} or {}.",
        [PendingResolved] = "A pending approval was resolved: {function_call_id, function_id, session_id, turn_id, outcome, reason?, resolved_at}. Config {session_id} or {}.",
        [SessionCreated] = "A session was created. Config {}.",
        [SessionMetaUpdated] = "A session's metadata changed. Config {}.",
        [SessionStatusChanged] = "A session's status changed. Config {}.",
        [SessionDeleted] = "A session was deleted. Config {}.",
        [SessionMessageAdded] = "A message was added to a session. Config {session_id}.",
        [SessionMessageUpdated] = "A session message was updated. Config {session_id}.",
        [ModelsChanged] = "The model catalog changed: {provider, op}. Config {}.",
        [ProviderChanged] = "A provider was added, removed or reconfigured: {provider, op}. Config {}.",
    };
}
