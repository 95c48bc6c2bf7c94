using Harness.Bridge.Client;
using Harness.Serialization;
using Harness.Validation;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Harness.Bridge.Hooks;

/// <summary>
/// <c>hook-fanout::publish_collect</c> (harness-core §7): publishes <c>{event_id, reply_stream:"agent::hook_reply",
/// payload}</c> to the topic's <c>durable:subscriber</c>s with <c>iii::durable::publish</c>, collects the replies that
/// subscribers write with <c>stream::set</c> into <c>agent::hook_reply</c> / group <c>event_id</c>, and merges them.
/// Replies are read with <c>stream::list</c> (as the earlier hook-fanout did) rather than a stream trigger, so any
/// silo can collect: the engine routes one function id to one worker, and a trigger would reach only one silo.
/// </summary>
public sealed partial class HookFanout(IServiceProvider services, IOptionsMonitor<HookFanoutOptions> options, ILogger<HookFanout> logger, TimeProvider? time = null)
{
    public const string ReplyStream = "agent::hook_reply";

    private readonly TimeProvider _time = time ?? TimeProvider.System;

    public async Task<PublishCollectResult> PublishCollectAsync(PublishCollectRequest request, CancellationToken cancellationToken)
    {
        var topic = Require.NonEmpty(request.Topic, "topic");
        var rule = Require.OneOf(request.MergeRule, "merge_rule", HookMergeRules.All);
        if (request.TimeoutMs is < 0)
        {
            throw new PayloadValidationException("timeout_ms", "must not be negative");
        }
        if (request.ExpectedReplies is < 1)
        {
            throw new PayloadValidationException("expected_replies", "must be at least 1");
        }
        if (request.QuiescenceMs is < 0)
        {
            throw new PayloadValidationException("quiescence_ms", "must not be negative");
        }
        var settings = options.CurrentValue;
        var payload = request.Payload is { ValueKind: not JsonValueKind.Undefined and not JsonValueKind.Null } p ? p : WireJson.Empty;
        var eventId = Guid.NewGuid().ToString();
        var client = services.GetRequiredService<IiiWorkerClient>();
        var started = _time.GetTimestamp();
        var deadline = TimeSpan.FromMilliseconds(Math.Max(request.TimeoutMs ?? settings.DefaultTimeoutMs, settings.MinTimeoutMs));
        var quiescence = TimeSpan.FromMilliseconds(request.QuiescenceMs ?? settings.QuiescenceMs);

        var publish = new PublishOutcome { Ok = true };
        try
        {
            await client.InvokeAsync("iii::durable::publish", WireJson.ToElement(new
            {
                topic,
                data = new { event_id = eventId, reply_stream = ReplyStream, payload },
            }), deadline, null, cancellationToken);
        }
        catch (Exception ex) when (ex is IiiInvocationException or TimeoutException)
        {
            LogPublishFailed(logger, topic, ex.Message);
            publish = new PublishOutcome { Ok = false, Error = ex.Message };
        }

        var replies = new List<JsonElement>();
        TimeSpan? lastReplyAt = null;
        string? exit = null;
        while (exit is null)
        {
            var before = replies.Count;
            try
            {
                var items = await client.InvokeAsync("stream::list", WireJson.ToElement(new { stream_name = ReplyStream, group_id = eventId }), deadline, null, cancellationToken);
                Collect(items, replies);
            }
            catch (IiiInvocationException ex)
            {
                LogPollFailed(logger, eventId, ex.Message);
            }
            var now = _time.GetElapsedTime(started);
            if (replies.Count > before)
            {
                lastReplyAt = now;
            }
            exit = request.ExpectedReplies is { } expected && replies.Count >= expected ? "expected_replies"
                : quiescence > TimeSpan.Zero && lastReplyAt is { } last && now - last >= quiescence ? "quiescence"
                : now >= deadline ? (replies.Count == 0 ? "deadline_no_replies" : "deadline")
                : null;
            if (exit is null)
            {
                await Task.Delay(settings.PollInterval, _time, cancellationToken);
            }
        }
        return new PublishCollectResult
        {
            EventId = eventId,
            Replies = replies,
            Merged = HookMergeRules.Merge(rule, payload, replies),
            Publish = publish,
            PublishFailed = publish.Ok ? null : true,
            ExitReason = exit,
        };
    }

    /// <summary>New items of the group, in stream order (an array of values, or <c>{items:[…]}</c>); earlier ones are skipped.</summary>
    private static void Collect(JsonElement items, List<JsonElement> replies)
    {
        var list = items.ValueKind == JsonValueKind.Array ? items
            : items.ValueKind == JsonValueKind.Object && items.TryGetProperty("items", out var inner) && inner.ValueKind == JsonValueKind.Array ? inner
            : default;
        if (list.ValueKind != JsonValueKind.Array)
        {
            return;
        }
        var index = 0;
        foreach (var item in list.EnumerateArray())
        {
            if (index++ >= replies.Count)
            {
                replies.Add(item.Clone());
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "hook-fanout: publishing to {Topic} failed: {Error}")]
    private static partial void LogPublishFailed(ILogger logger, string topic, string error);

    [LoggerMessage(Level = LogLevel.Debug, Message = "hook-fanout: reading the replies of {EventId} failed: {Error}")]
    private static partial void LogPollFailed(ILogger logger, string eventId, string error);
}
