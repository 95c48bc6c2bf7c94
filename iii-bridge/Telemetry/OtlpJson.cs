using System.Buffers;
using System.Diagnostics;
using System.Text;
using OpenTelemetry;

namespace Harness.Bridge.Telemetry;

/// <summary>
/// OTLP/JSON (the proto3 JSON mapping: camelCase members, hex trace/span ids, 64-bit times as strings) of
/// <c>ExportTraceServiceRequest</c> and <c>ExportLogsServiceRequest</c>, written straight from activities and log records.
/// </summary>
public static class OtlpJson
{
    /// <summary>One resource, one scope per activity source.</summary>
    public static byte[] Traces(in Batch<Activity> batch, IReadOnlyList<KeyValuePair<string, object?>> resource)
    {
        var bySource = new Dictionary<(string Name, string? Version), List<Activity>>();
        foreach (var activity in batch)
        {
            var key = (activity.Source.Name, activity.Source.Version);
            if (!bySource.TryGetValue(key, out var list))
            {
                bySource[key] = list = [];
            }
            list.Add(activity);
        }
        return Write(w =>
        {
            w.WriteStartArray("resourceSpans");
            w.WriteStartObject();
            WriteResource(w, resource);
            w.WriteStartArray("scopeSpans");
            foreach (var ((name, version), activities) in bySource)
            {
                w.WriteStartObject();
                WriteScope(w, name, version);
                w.WriteStartArray("spans");
                foreach (var activity in activities)
                {
                    WriteSpan(w, activity);
                }
                w.WriteEndArray();
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
            w.WriteEndArray();
        });
    }

    /// <summary>One resource, one scope per logger category.</summary>
    public static byte[] Logs(IReadOnlyList<LogSnapshot> records, IReadOnlyList<KeyValuePair<string, object?>> resource) =>
        Write(w =>
        {
            w.WriteStartArray("resourceLogs");
            w.WriteStartObject();
            WriteResource(w, resource);
            w.WriteStartArray("scopeLogs");
            foreach (var category in records.GroupBy(r => r.Category, StringComparer.Ordinal))
            {
                w.WriteStartObject();
                WriteScope(w, category.Key, null);
                w.WriteStartArray("logRecords");
                foreach (var record in category)
                {
                    WriteLog(w, record);
                }
                w.WriteEndArray();
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
            w.WriteEndArray();
        });

    private static byte[] Write(Action<Utf8JsonWriter> body)
    {
        var buffer = new ArrayBufferWriter<byte>(4096);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            body(w);
            w.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteResource(Utf8JsonWriter w, IReadOnlyList<KeyValuePair<string, object?>> resource)
    {
        w.WriteStartObject("resource");
        WriteAttributes(w, resource);
        w.WriteEndObject();
    }

    private static void WriteScope(Utf8JsonWriter w, string name, string? version)
    {
        w.WriteStartObject("scope");
        w.WriteString("name", name);
        if (!string.IsNullOrEmpty(version))
        {
            w.WriteString("version", version);
        }
        w.WriteEndObject();
    }

    private static void WriteSpan(Utf8JsonWriter w, Activity activity)
    {
        w.WriteStartObject();
        w.WriteString("traceId", activity.TraceId.ToHexString());
        w.WriteString("spanId", activity.SpanId.ToHexString());
        if (activity.ParentSpanId != default)
        {
            w.WriteString("parentSpanId", activity.ParentSpanId.ToHexString());
        }
        if (!string.IsNullOrEmpty(activity.TraceStateString))
        {
            w.WriteString("traceState", activity.TraceStateString);
        }
        w.WriteString("name", activity.DisplayName);
        // ActivityKind Internal..Consumer = 0..4; OTLP SPAN_KIND_INTERNAL..CONSUMER = 1..5.
        w.WriteNumber("kind", (int)activity.Kind + 1);
        var start = Nanos(activity.StartTimeUtc);
        w.WriteString("startTimeUnixNano", start.ToString(System.Globalization.CultureInfo.InvariantCulture));
        w.WriteString("endTimeUnixNano", (start + (ulong)activity.Duration.Ticks * 100).ToString(System.Globalization.CultureInfo.InvariantCulture));
        WriteAttributes(w, activity.TagObjects.ToList());
        w.WriteStartArray("events");
        foreach (var e in activity.Events)
        {
            w.WriteStartObject();
            w.WriteString("timeUnixNano", Nanos(e.Timestamp.UtcDateTime).ToString(System.Globalization.CultureInfo.InvariantCulture));
            w.WriteString("name", e.Name);
            WriteAttributes(w, e.Tags.ToList());
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteStartArray("links");
        foreach (var link in activity.Links)
        {
            w.WriteStartObject();
            w.WriteString("traceId", link.Context.TraceId.ToHexString());
            w.WriteString("spanId", link.Context.SpanId.ToHexString());
            WriteAttributes(w, link.Tags?.ToList() ?? []);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteStartObject("status");
        // ActivityStatusCode Unset/Ok/Error = 0/1/2, as OTLP's STATUS_CODE_*.
        w.WriteNumber("code", (int)activity.Status);
        if (!string.IsNullOrEmpty(activity.StatusDescription))
        {
            w.WriteString("message", activity.StatusDescription);
        }
        w.WriteEndObject();
        w.WriteNumber("flags", (int)activity.ActivityTraceFlags);
        w.WriteEndObject();
    }

    private static void WriteLog(Utf8JsonWriter w, LogSnapshot record)
    {
        w.WriteStartObject();
        var time = Nanos(record.Timestamp).ToString(System.Globalization.CultureInfo.InvariantCulture);
        w.WriteString("timeUnixNano", time);
        w.WriteString("observedTimeUnixNano", time);
        w.WriteNumber("severityNumber", Severity(record.Level));
        w.WriteString("severityText", record.Level.ToString());
        w.WriteStartObject("body");
        w.WriteString("stringValue", record.Message);
        w.WriteEndObject();
        WriteAttributes(w, record.Attributes);
        if (record.TraceId != default)
        {
            w.WriteString("traceId", record.TraceId.ToHexString());
            w.WriteString("spanId", record.SpanId.ToHexString());
            w.WriteNumber("flags", (int)record.TraceFlags);
        }
        w.WriteEndObject();
    }

    private static void WriteAttributes(Utf8JsonWriter w, IReadOnlyList<KeyValuePair<string, object?>> attributes)
    {
        w.WriteStartArray("attributes");
        foreach (var (key, value) in attributes)
        {
            if (value is null)
            {
                continue;
            }
            w.WriteStartObject();
            w.WriteString("key", key);
            w.WritePropertyName("value");
            WriteValue(w, value);
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }

    /// <summary>An OTLP <c>AnyValue</c>.</summary>
    private static void WriteValue(Utf8JsonWriter w, object value)
    {
        w.WriteStartObject();
        switch (value)
        {
            case string s:
                w.WriteString("stringValue", s);
                break;
            case bool b:
                w.WriteBoolean("boolValue", b);
                break;
            case byte or sbyte or short or ushort or int or uint or long:
                w.WriteNumber("intValue", Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture));
                break;
            case float or double or decimal:
                w.WriteNumber("doubleValue", Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture));
                break;
            case System.Collections.IEnumerable list and not IDictionary<string, object?>:
                w.WriteStartObject("arrayValue");
                w.WriteStartArray("values");
                foreach (var item in list)
                {
                    if (item is not null)
                    {
                        WriteValue(w, item);
                    }
                }
                w.WriteEndArray();
                w.WriteEndObject();
                break;
            default:
                w.WriteString("stringValue", Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture));
                break;
        }
        w.WriteEndObject();
    }

    private static ulong Nanos(DateTime utc) => (ulong)(utc.ToUniversalTime() - DateTime.UnixEpoch).Ticks * 100;

    /// <summary>OTLP SeverityNumber: TRACE 1, DEBUG 5, INFO 9, WARN 13, ERROR 17, FATAL 21.</summary>
    private static int Severity(LogLevel level) => level switch
    {
        LogLevel.Trace => 1,
        LogLevel.Debug => 5,
        LogLevel.Information => 9,
        LogLevel.Warning => 13,
        LogLevel.Error => 17,
        LogLevel.Critical => 21,
        _ => 0,
    };

    /// <summary>A binary frame: the 4-byte ASCII prefix (<c>OTLP</c>, <c>LOGS</c>) then the JSON.</summary>
    public static byte[] Frame(string prefix, byte[] json)
    {
        var frame = new byte[4 + json.Length];
        Encoding.ASCII.GetBytes(prefix, frame.AsSpan(0, 4));
        json.CopyTo(frame, 4);
        return frame;
    }
}
