using System.Net.Sockets;

namespace Harness.Providers;

/// <summary>
/// Maps upstream failures to <c>error_kind</c>: 401/403 auth_expired, 429 rate_limited, 400/413 mentioning the context
/// length context_overflow, 408/5xx/network/timeouts transient, other 4xx permanent. Messages are clipped and have the
/// API key masked, because upstream bodies sometimes echo it.
/// </summary>
public static class ProviderErrorClassifier
{
    /// <summary>Longest error message kept.</summary>
    public const int MaxMessageLength = 2000;

    private static readonly string[] ContextOverflowMarkers =
    [
        "context_length_exceeded", "context length", "context_length", "maximum context", "context window",
        "prompt is too long", "too many tokens", "input is too long", "exceeds the context", "model_context_window_exceeded",
        "reduce the length",
    ];

    public static string KindForStatus(int status, string? text) => status switch
    {
        401 or 403 => Messages.ErrorKinds.AuthExpired,
        429 => Messages.ErrorKinds.RateLimited,
        400 or 413 when MentionsContextOverflow(text) => Messages.ErrorKinds.ContextOverflow,
        408 or 409 or >= 500 => Messages.ErrorKinds.Transient,
        >= 400 => Messages.ErrorKinds.Permanent,
        _ => Messages.ErrorKinds.Transient,
    };

    public static bool MentionsContextOverflow(string? text) =>
        text is not null && ContextOverflowMarkers.Any(m => text.Contains(m, StringComparison.OrdinalIgnoreCase));

    /// <summary>A failure without an HTTP status: network and timeouts are transient, anything else permanent.</summary>
    public static ProviderFailure FromException(Exception ex, string? apiKey)
    {
        var kind = IsNetwork(ex) ? Messages.ErrorKinds.Transient : Messages.ErrorKinds.Permanent;
        return new ProviderFailure(kind, Clean($"{ex.GetType().Name}: {ex.Message}", apiKey));
    }

    public static ProviderFailure FromStatus(int status, string? upstreamMessage, string? apiKey)
    {
        var message = string.IsNullOrWhiteSpace(upstreamMessage) ? $"HTTP {status}" : $"HTTP {status}: {upstreamMessage}";
        return new ProviderFailure(KindForStatus(status, upstreamMessage), Clean(message, apiKey), status);
    }

    /// <summary>The <c>error.message</c> (or <c>message</c>) of an upstream JSON error body, else the body itself.</summary>
    public static string? ExtractMessage(string? body)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return null;
        }
        try
        {
            using var doc = JsonDocument.Parse(body);
            var root = doc.RootElement;
            if (root.ValueKind == JsonValueKind.Object)
            {
                if (root.TryGetProperty("error", out var error))
                {
                    if (error.ValueKind == JsonValueKind.String)
                    {
                        return error.GetString();
                    }
                    if (error.ValueKind == JsonValueKind.Object && error.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String)
                    {
                        var code = error.TryGetProperty("code", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString()
                            : error.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
                        return code is null ? m.GetString() : $"{code}: {m.GetString()}";
                    }
                }
                if (root.TryGetProperty("message", out var message) && message.ValueKind == JsonValueKind.String)
                {
                    return message.GetString();
                }
            }
        }
        catch (JsonException)
        {
            // Not JSON (proxy error page, plain text): use the text.
        }
        return body.Trim();
    }

    public static string Clean(string message, string? apiKey)
    {
        if (apiKey is { Length: >= 8 })
        {
            message = message.Replace(apiKey, "***", StringComparison.Ordinal);
        }
        return message.Length <= MaxMessageLength ? message : message[..MaxMessageLength] + "…";
    }

    private static bool IsNetwork(Exception ex) =>
        ex is HttpRequestException or IOException or SocketException or TimeoutException or TaskCanceledException
        || (ex.InnerException is { } inner && IsNetwork(inner));
}
