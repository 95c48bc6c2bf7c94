namespace Harness.Sessions;

/// <summary>
/// A session-tree call named something that does not exist: <c>kind</c> is <c>not_found</c> (the session) or
/// <c>entry_not_found</c> (an entry, or a tree without entries), as the TypeScript <c>SessionError</c>.
/// </summary>
[GenerateSerializer]
public sealed class SessionException(string kind, string detail) : Exception($"{kind}: {detail}")
{
    [Id(0)] public string Kind { get; } = kind;
    [Id(1)] public string Detail { get; } = detail;

    public static SessionException SessionNotFound(string sessionId) => new(SessionErrorKinds.NotFound, $"session not found: {sessionId}");

    public static SessionException EntryNotFound(string detail) => new(SessionErrorKinds.EntryNotFound, detail);
}

public static class SessionErrorKinds
{
    public const string NotFound = "not_found";
    public const string EntryNotFound = "entry_not_found";
}
