using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using Harness.Bridge.Hosting;
using Harness.Bridge.Telemetry;
using Harness.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;

namespace Harness.Tests.Telemetry;

/// <summary>The OTLP/JSON the bridge writes for the engine, and when the export is wired.</summary>
public sealed class OtlpJsonTests
{
    [Fact]
    public void A_span_is_written_with_hex_ids_otlp_kind_string_times_typed_attributes_and_status()
    {
        using var source = new ActivitySource("otlp-json-test", "1.2.3");
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == source.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(listener);
        var parent = new ActivityContext(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded);
        var activity = source.StartActivity("execute demo::fn", ActivityKind.Client, parent)!;
        activity.SetTag("iii.function.id", "demo::fn").SetTag("attempt", 2).SetTag("ok", true).SetTag("ratio", 0.5);
        activity.AddEvent(new ActivityEvent("retry"));
        activity.SetStatus(ActivityStatusCode.Error, "boom");
        activity.Stop();

        var frame = OtlpJson.Frame("OTLP", OtlpJson.Traces(new Batch<Activity>([activity], 1), [new("service.name", "harness")]));

        Assert.Equal("OTLP", Encoding.ASCII.GetString(frame, 0, 4));
        var body = JsonNode.Parse(frame.AsSpan(4))!;
        var resource = body["resourceSpans"]![0]!;
        Assert.Equal("harness", resource["resource"]!["attributes"]![0]!["value"]!["stringValue"]!.GetValue<string>());
        var scope = resource["scopeSpans"]![0]!;
        Assert.Equal(("otlp-json-test", "1.2.3"), (scope["scope"]!["name"]!.GetValue<string>(), scope["scope"]!["version"]!.GetValue<string>()));
        var span = scope["spans"]![0]!;
        Assert.Equal(activity.TraceId.ToHexString(), span["traceId"]!.GetValue<string>());
        Assert.Equal(32, span["traceId"]!.GetValue<string>().Length);
        Assert.Equal(activity.SpanId.ToHexString(), span["spanId"]!.GetValue<string>());
        Assert.Equal(parent.SpanId.ToHexString(), span["parentSpanId"]!.GetValue<string>());
        Assert.Equal("execute demo::fn", span["name"]!.GetValue<string>());
        Assert.Equal(3, span["kind"]!.GetValue<int>());  // SPAN_KIND_CLIENT
        var start = ulong.Parse(span["startTimeUnixNano"]!.GetValue<string>());
        var end = ulong.Parse(span["endTimeUnixNano"]!.GetValue<string>());
        Assert.Equal((ulong)(activity.StartTimeUtc - DateTime.UnixEpoch).Ticks * 100, start);
        Assert.Equal(start + (ulong)activity.Duration.Ticks * 100, end);
        var attributes = span["attributes"]!.AsArray().ToDictionary(a => a!["key"]!.GetValue<string>(), a => a!["value"]!.AsObject());
        Assert.Equal("demo::fn", attributes["iii.function.id"]["stringValue"]!.GetValue<string>());
        Assert.Equal(2, attributes["attempt"]["intValue"]!.GetValue<long>());
        Assert.True(attributes["ok"]["boolValue"]!.GetValue<bool>());
        Assert.Equal(0.5, attributes["ratio"]["doubleValue"]!.GetValue<double>());
        Assert.Equal("retry", span["events"]![0]!["name"]!.GetValue<string>());
        Assert.Equal((2, "boom"), (span["status"]!["code"]!.GetValue<int>(), span["status"]!["message"]!.GetValue<string>()));
        Assert.Equal(1, span["flags"]!.GetValue<int>());
    }

    [Fact]
    public void The_otel_endpoint_is_the_engine_url_with_path_otel()
    {
        Assert.Equal(new Uri("ws://127.0.0.1:49134/otel"), IiiOtelSocket.EndpointFor(IiiBridgeOptions.DefaultEngineUrl));
        Assert.Equal(new Uri("wss://engine.example:443/otel"), IiiOtelSocket.EndpointFor("wss://engine.example/ws?x=1"));
    }

    [Theory]
    [InlineData(null, null, false)]
    [InlineData(IiiBridgeOptions.DefaultEngineUrl, null, true)]
    [InlineData(IiiBridgeOptions.DefaultEngineUrl, "false", false)]
    public void The_export_is_wired_when_the_bridge_is_on_unless_turned_off(string? engineUrl, string? enabled, bool wired)
    {
        var settings = new Dictionary<string, string?>();
        if (engineUrl is not null)
        {
            settings["Harness:Bridge:EngineUrl"] = engineUrl;
        }
        if (enabled is not null)
        {
            settings["Harness:Bridge:Telemetry:Enabled"] = enabled;
        }
        var config = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddHarnessCore(config);
        services.AddIiiBridge(config);

        Assert.Equal(wired, services.Any(d => d.ServiceType == typeof(IiiOtelSocket)));
    }
}
