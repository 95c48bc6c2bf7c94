using System.Threading.Channels;
using Harness.Events;
using Harness.Serialization;
using Harness.Silo.Auth;

namespace Harness.Silo.Endpoints;

/// <summary>
/// <c>GET /v1/sessions/{session_id}/events</c>: a session's agent events as Server-Sent Events (<c>id</c> = item id,
/// <c>data</c> = the AgentEvent): the events from now on, or, with <c>?after_seq=N</c> (or a reconnecting client's
/// <c>Last-Event-ID</c>), the stored events of the current run after sequence number N first. With
/// <c>?until=agent_end</c> the response ends after the run's <c>agent_end</c>. Each sequence number is sent once, in
/// order.
/// </summary>
public static class EventEndpoints
{
    public static IEndpointRouteBuilder MapEventsApiV1(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v1/sessions/{sessionId}/events", StreamAsync).RequireAuthorization(ApiScopes.Policy(ApiScopes.Sessions));
        return app;
    }

    private static async Task StreamAsync(string sessionId, string? until, long? after_seq, HttpContext http, IGrainFactory grains, CancellationToken cancellationToken)
    {
        var frames = Channel.CreateUnbounded<AgentEventFrame>(new() { SingleReader = true });
        var afterSeq = after_seq ?? SeqOf(http.Request.Headers["Last-Event-ID"], sessionId);
        await using var subscription = await SessionEventSubscription.StartAsync(grains, sessionId, frame => frames.Writer.WriteAsync(frame), afterSeq);
        try
        {
            http.Response.ContentType = "text/event-stream";
            http.Response.Headers.CacheControl = "no-cache";
            await http.Response.WriteAsync(": subscribed\n\n", cancellationToken);
            await http.Response.Body.FlushAsync(cancellationToken);
            await foreach (var frame in frames.Reader.ReadAllAsync(cancellationToken))
            {
                var data = WireJson.Serialize(frame.Event);
                await http.Response.WriteAsync($"id: {frame.ItemId}\nevent: {frame.Event.Type}\ndata: {data}\n\n", cancellationToken);
                await http.Response.Body.FlushAsync(cancellationToken);
                if (until is not null && frame.Event.Type == until)
                {
                    break;
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The client went away.
        }
    }

    /// <summary>An item id of this session (<c>&lt;session_id&gt;-&lt;seq&gt;</c>) → its sequence number; else null.</summary>
    private static long? SeqOf(string? itemId, string sessionId) =>
        itemId is { Length: > 0 } && itemId.StartsWith(sessionId + "-", StringComparison.Ordinal)
            && long.TryParse(itemId.AsSpan(sessionId.Length + 1), out var seq) ? seq : null;
}
