namespace Harness.Turns;

/// <summary>
/// Deterministic session-tree entry ids: a step that is re-run after a crash appends under the same ids, and the
/// session grain skips ids it already holds, so no message is lost or duplicated.
/// </summary>
public static class EntryIds
{
    public static string User(string runKey, int index) => $"{runKey}-user-{index}";

    public static string Assistant(string runKey, int turn) => $"{runKey}-t{turn}-assistant";

    public static string FunctionResult(string functionCallId) => $"fr-{functionCallId}";

    public static string InboxPrefix(string runKey, int turn) => $"{runKey}-t{turn}-inbox";

    public static string MaxTurnsNotice(string runKey, int turn) => $"{runKey}-t{turn}-max-turns";
}
