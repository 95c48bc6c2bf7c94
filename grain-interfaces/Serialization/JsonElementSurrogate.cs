using Orleans;

namespace Harness.Serialization;

/// <summary>Orleans wire form of a <see cref="JsonElement"/>: free-form JSON (tool arguments, details) travels as its raw text.</summary>
[GenerateSerializer, Immutable]
public readonly record struct JsonElementSurrogate([property: Id(0)] string? Json);

[RegisterConverter]
public sealed class JsonElementSurrogateConverter : IConverter<JsonElement, JsonElementSurrogate>
{
    public JsonElement ConvertFromSurrogate(in JsonElementSurrogate surrogate) =>
        surrogate.Json is null ? default : JsonDocument.Parse(surrogate.Json).RootElement.Clone();

    public JsonElementSurrogate ConvertToSurrogate(in JsonElement value) =>
        new(value.ValueKind == JsonValueKind.Undefined ? null : value.GetRawText());
}
