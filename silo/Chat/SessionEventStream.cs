using System.Text.Json;
using Harness.Events;
using Harness.Serialization;

namespace Harness.Silo.Chat;

/// <summary>
/// Follows <c>GET /v1/sessions/{id}/events</c> (Server-Sent Events) and hands each <see cref="AgentEvent"/> to a
/// callback. Reconnects with backoff when the stream breaks; events published while disconnected are not replayed,
/// so <see cref="Resubscribed"/> lets the caller re-read the turn state.
/// </summary>
public sealed class SessionEventStream(HttpClient http, string sessionId, ChatConsole console)
{
    private readonly TaskCompletionSource _subscribed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes once the first subscription is acknowledged by the silo.</summary>
    public Task Subscribed => _subscribed.Task;

    /// <summary>Raised after a reconnect (not after the first connect).</summary>
    public event Func<Task>? Resubscribed;

    public async Task RunAsync(Action<AgentEvent> onEvent, CancellationToken cancellationToken)
    {
        var delay = TimeSpan.FromMilliseconds(250);
        var connectedBefore = false;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                using var response = await http.GetAsync($"v1/sessions/{Uri.EscapeDataString(sessionId)}/events", HttpCompletionOption.ResponseHeadersRead, cancellationToken);
                if (response.StatusCode is System.Net.HttpStatusCode.Unauthorized or System.Net.HttpStatusCode.Forbidden)
                {
                    throw new HttpRequestException($"{(int)response.StatusCode} {response.StatusCode}: set {ChatOptions.ApiKeyVariable} to a key with scope sessions");
                }
                response.EnsureSuccessStatusCode();
                using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancellationToken));
                string? type = null;
                var data = new System.Text.StringBuilder();
                while (await reader.ReadLineAsync(cancellationToken) is { } line)
                {
                    if (line.StartsWith(": subscribed", StringComparison.Ordinal))
                    {
                        delay = TimeSpan.FromMilliseconds(250);
                        if (connectedBefore)
                        {
                            console.Line("[events reconnected]");
                            await (Resubscribed?.Invoke() ?? Task.CompletedTask);
                        }
                        connectedBefore = true;
                        _subscribed.TrySetResult();
                    }
                    else if (line.StartsWith("event:", StringComparison.Ordinal))
                    {
                        type = line["event:".Length..].Trim();
                    }
                    else if (line.StartsWith("data:", StringComparison.Ordinal))
                    {
                        data.Append(line["data:".Length..].TrimStart());
                    }
                    else if (line.Length == 0 && data.Length > 0)
                    {
                        Dispatch(type, data.ToString(), onEvent);
                        type = null;
                        data.Clear();
                    }
                }
                console.Line("[events stream closed by the silo; reconnecting]");
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is HttpRequestException or IOException or OperationCanceledException)
            {
                console.Line($"[events disconnected: {ex.Message}; retrying in {delay.TotalSeconds:0.#} s]");
            }
            try
            {
                await Task.Delay(delay, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(5).Ticks));
        }
    }

    private void Dispatch(string? type, string data, Action<AgentEvent> onEvent)
    {
        AgentEvent? evt;
        try
        {
            evt = JsonSerializer.Deserialize<AgentEvent>(data, WireJson.Options);
        }
        catch (JsonException ex)
        {
            console.Line($"[unreadable {type ?? "event"}: {ex.Message}]");
            return;
        }
        if (evt is null)
        {
            return;
        }
        try
        {
            onEvent(evt);
        }
        catch (Exception ex)
        {
            // One event the chat cannot show must not stop the stream.
            console.Line($"[could not show {evt.Type}: {ex.Message}]");
        }
    }
}
