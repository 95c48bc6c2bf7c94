using OpenTelemetry;
using OpenTelemetry.Resources;

namespace Harness.Bridge.Telemetry;

/// <summary>The resource attributes sent with every export: the provider's own, with <c>service.name</c> from the options.</summary>
internal static class IiiTelemetryResource
{
    public static IReadOnlyList<KeyValuePair<string, object?>> Attributes(BaseProvider? provider, IiiTelemetryOptions options)
    {
        var attributes = new List<KeyValuePair<string, object?>> { new("service.name", options.ServiceName) };
        if (provider?.GetResource() is { } resource)
        {
            attributes.AddRange(resource.Attributes.Where(a => a.Key != "service.name").Select(a => new KeyValuePair<string, object?>(a.Key, a.Value)));
        }
        return attributes;
    }
}
