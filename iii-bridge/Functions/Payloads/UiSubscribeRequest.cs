using Harness.Validation;

namespace Harness.Bridge.Functions.Payloads;

/// <summary>
/// <c>ui::subscribe</c> / <c>ui::unsubscribe</c> <c>{browser_id, session_id: null|string}</c> and
/// <c>ui::models::(un)subscribe {browser_id}</c>; a <c>{body:{…}}</c> wrapper is accepted (as the original).
/// </summary>
public sealed record UiSubscribeRequest
{
    [JsonPropertyName("browser_id")] public string? BrowserId { get; init; }

    /// <summary>null or absent = all sessions (the traces page).</summary>
    [JsonPropertyName("session_id")] public string? SessionId { get; init; }

    [JsonPropertyName("body")] public UiSubscribeBody? Body { get; init; }

    public (string BrowserId, string? SessionId) Validate() => BrowserId is null && Body is not null
        ? (Require.NonEmpty(Body.BrowserId, "browser_id"), Body.SessionId)
        : (Require.NonEmpty(BrowserId, "browser_id"), SessionId);
}

/// <summary>The wrapped form of <see cref="UiSubscribeRequest"/>.</summary>
public sealed record UiSubscribeBody
{
    [JsonPropertyName("browser_id")] public string? BrowserId { get; init; }
    [JsonPropertyName("session_id")] public string? SessionId { get; init; }
}

/// <summary>Reply of <c>ui::subscribe</c> / <c>ui::unsubscribe</c>: <c>{ok:true, total_browsers}</c>.</summary>
public sealed record UiSubscribeResult
{
    [JsonPropertyName("ok")] public bool Ok { get; init; } = true;
    [JsonPropertyName("total_browsers")] public int TotalBrowsers { get; init; }
}
