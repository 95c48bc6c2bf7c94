using System.Diagnostics;
using System.Text;

namespace Harness.Bridge.Client;

/// <summary>W3C <c>traceparent</c>/<c>baggage</c> ↔ <see cref="Activity"/>: the strings travel as plain fields of invoke/result frames.</summary>
public static class IiiTraceContext
{
    /// <summary>Source of the <c>execute &lt;function_id&gt;</c> spans around incoming invocations.</summary>
    public static readonly ActivitySource Source = new("Harness.Bridge");

    /// <summary>
    /// Starts the span for an incoming invocation, parented to the caller's context. When nobody listens to
    /// <see cref="Source"/> but the caller sent a context, a bare activity still carries it, so Orleans' activity
    /// propagation hands the same trace id to the grain call.
    /// </summary>
    public static Activity? StartExecute(string functionId, string? traceparent, string? baggage)
    {
        var name = $"execute {functionId}";
        Activity? activity;
        if (traceparent is not null && ActivityContext.TryParse(traceparent, null, isRemote: true, out var parent))
        {
            activity = Source.StartActivity(name, ActivityKind.Internal, parent)
                ?? new Activity(name).SetParentId(parent.TraceId, parent.SpanId, parent.TraceFlags).Start();
        }
        else
        {
            activity = Source.StartActivity(name, ActivityKind.Internal);
        }
        if (activity is null)
        {
            return null;
        }
        activity.SetTag("iii.function.id", functionId);
        foreach (var (key, value) in ParseBaggage(baggage))
        {
            activity.AddBaggage(key, value);
        }
        return activity;
    }

    /// <summary>The current W3C context to inject into an outgoing invoke, or nulls when there is none.</summary>
    public static (string? Traceparent, string? Baggage) Current()
    {
        var activity = Activity.Current;
        if (activity is null || activity.IdFormat != ActivityIdFormat.W3C)
        {
            return (null, null);
        }
        return (activity.Id, FormatBaggage(activity.Baggage));
    }

    /// <summary><c>k=v,k2=v2</c> (values percent-decoded, properties after <c>;</c> dropped); malformed members are skipped.</summary>
    public static IEnumerable<KeyValuePair<string, string>> ParseBaggage(string? baggage)
    {
        if (string.IsNullOrWhiteSpace(baggage))
        {
            yield break;
        }
        foreach (var member in baggage.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var pair = member.Split(';', 2)[0];
            var eq = pair.IndexOf('=');
            if (eq <= 0)
            {
                continue;
            }
            var key = pair[..eq].Trim();
            var value = pair[(eq + 1)..].Trim();
            yield return new(Uri.UnescapeDataString(key), Uri.UnescapeDataString(value));
        }
    }

    public static string? FormatBaggage(IEnumerable<KeyValuePair<string, string?>> items)
    {
        var builder = new StringBuilder();
        // Activity.Baggage lists the most recently added first; W3C order carries no meaning, but keep insertion order.
        foreach (var (key, value) in items.Reverse())
        {
            if (builder.Length > 0)
            {
                builder.Append(',');
            }
            builder.Append(Uri.EscapeDataString(key)).Append('=').Append(Uri.EscapeDataString(value ?? ""));
        }
        return builder.Length == 0 ? null : builder.ToString();
    }
}
