using System.Diagnostics;
using OpenTelemetry.Logs;

namespace Harness.Bridge.Telemetry;

/// <summary>
/// What a log export needs from a <see cref="LogRecord"/>, copied while the batch is enumerated: the SDK hands pooled
/// records back for reuse as the enumeration moves on, so they cannot be read afterwards.
/// </summary>
public sealed record LogSnapshot(
    DateTime Timestamp,
    LogLevel Level,
    string Category,
    string Message,
    IReadOnlyList<KeyValuePair<string, object?>> Attributes,
    ActivityTraceId TraceId,
    ActivitySpanId SpanId,
    ActivityTraceFlags TraceFlags)
{
    public static LogSnapshot Of(LogRecord record)
    {
        var attributes = (record.Attributes ?? []).Where(a => a.Key != "{OriginalFormat}").ToList();
        if (record.EventId.Id != 0)
        {
            attributes.Add(new("event.id", record.EventId.Id));
        }
        if (record.EventId.Name is { } eventName)
        {
            attributes.Add(new("event.name", eventName));
        }
        if (record.Exception is { } ex)
        {
            attributes.Add(new("exception.type", ex.GetType().FullName));
            attributes.Add(new("exception.message", ex.Message));
            attributes.Add(new("exception.stacktrace", ex.ToString()));
        }
        return new LogSnapshot(
            record.Timestamp, record.LogLevel, record.CategoryName ?? "", record.FormattedMessage ?? record.Body ?? "",
            attributes, record.TraceId, record.SpanId, record.TraceFlags);
    }
}
