using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Harness.Serialization;

namespace Harness.Silo.Chat;

/// <summary>Calls harness functions over the silo's HTTP API: <c>POST /v1/functions/{function_id}</c> with the iii payload.</summary>
public sealed class HarnessApiClient(HttpClient http)
{
    private static readonly MediaTypeHeaderValue Json = new("application/json");

    /// <summary>
    /// Calls <paramref name="functionId"/>. With <paramref name="retry"/> (idempotent calls only) a connection failure or
    /// a 5xx answer is retried a few times, which rides out a silo failover behind a load balancer.
    /// </summary>
    public async Task<JsonElement> CallAsync(string functionId, object payload, CancellationToken cancellationToken, bool retry = true)
    {
        var body = WireJson.Serialize(payload);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await CallOnceAsync(functionId, body, cancellationToken);
            }
            catch (Exception ex) when (retry && attempt < 4 && IsRetryable(ex) && !cancellationToken.IsCancellationRequested)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(500 * attempt), cancellationToken);
            }
        }
    }

    public async Task<T> CallAsync<T>(string functionId, object payload, CancellationToken cancellationToken, bool retry = true) =>
        WireJson.Deserialize<T>(await CallAsync(functionId, payload, cancellationToken, retry))
        ?? throw new HarnessApiException(200, "invalid_response", $"{functionId} answered null");

    private async Task<JsonElement> CallOnceAsync(string functionId, string body, CancellationToken cancellationToken)
    {
        using var content = new StringContent(body, Encoding.UTF8);
        content.Headers.ContentType = Json;
        using var response = await http.PostAsync($"v1/functions/{functionId}", content, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        JsonElement json;
        try
        {
            json = WireJson.Parse(text.Length == 0 ? "null" : text);
        }
        catch (JsonException)
        {
            throw new HarnessApiException((int)response.StatusCode, "invalid_response", $"{functionId}: {(int)response.StatusCode} {text}");
        }
        if (response.IsSuccessStatusCode)
        {
            return json;
        }
        var error = json.ValueKind == JsonValueKind.Object && json.TryGetProperty("error", out var e) && e.ValueKind == JsonValueKind.Object ? e : default;
        throw new HarnessApiException((int)response.StatusCode, Text(error, "code") ?? "http_error", Text(error, "message") ?? text);
    }

    private static bool IsRetryable(Exception ex) =>
        ex is HttpRequestException || (ex is TaskCanceledException { InnerException: TimeoutException }) || ex is HarnessApiException { Status: >= 500 };

    private static string? Text(JsonElement obj, string name) =>
        obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
