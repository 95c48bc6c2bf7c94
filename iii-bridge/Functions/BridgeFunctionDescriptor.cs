namespace Harness.Bridge.Functions;

/// <summary>
/// A function the bridge publishes into the iii catalog: id, contract (JSON Schemas, shown by
/// <c>engine::functions::info</c> as <c>request_schema</c>/<c>response_schema</c>) and the handler that serves it.
/// </summary>
public sealed record BridgeFunctionDescriptor(
    string Id,
    string Description,
    JsonNode? RequestFormat,
    JsonNode? ResponseFormat,
    BridgeFunctionHandler Handler)
{
    /// <summary>Free JSON stored with the registration (<c>{"internal":true}</c> hides it from the default list).</summary>
    public JsonElement? Metadata { get; init; }
}
