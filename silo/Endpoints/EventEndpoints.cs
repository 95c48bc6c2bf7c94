using System.Threading.Channels;
using Harness.Events;
using Harness.Serialization;
using Harness.Silo.Auth;
using Orleans.Runtime;
using Orleans.Streams;

namespace Harness.Silo.Endpoints;

/// <summary>
/// <c>GET /v1/sessions/{session_id}/events</c>: a session's agent events as Server-Sent Events (<c>id</c> = item id,
/// <c>data</c> = the AgentEvent). With <c>?until=agent_end</c> the response ends after the run's <c>agent_end</c>.
/// Events arrive at least once and in order (a failover can deliver the last ones again); one response sends each
/// sequence number once.
/// </summary>
public static class EventEndpoints
{
    public static IEndpointRouteBuilder MapEventsApiV1(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v1/sessions/{sessionId}/events", StreamAsync).RequireAuthorization(ApiScopes.Policy(ApiScopes.Sessions));
        return app;
    }

    private static async Task StreamAsync(string sessionId, string? until, HttpContext http, IClusterClient client, CancellationToken cancellationToken)
    {
        var frames = Channel.CreateUnbounded<AgentEventFrame>();
        var stream = client.GetStreamProvider(AgentEventStreams.Provider)
            .GetStream<AgentEventFrame>(StreamId.Create(AgentEventStreams.Namespace, sessionId));
        var handle = await stream.SubscribeAsync((frame, _) => frames.Writer.WriteAsync(frame).AsTask());
        try
        {
            http.Response.ContentType = "text/event-stream";
            http.Response.Headers.CacheControl = "no-cache";
            await http.Response.WriteAsync(": subscribed\n\n", cancellationToken);
            await http.Response.Body.FlushAsync(cancellationToken);
            var lastSeq = 0L;
            await foreach (var frame in frames.Reader.ReadAllAsync(cancellationToken))
            {
                if (frame.Seq <= lastSeq)
                {
                    continue;  // already sent (same item_id)
                }
                lastSeq = frame.Seq;
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
        finally
        {
            await handle.UnsubscribeAsync();
        }
    }
}
