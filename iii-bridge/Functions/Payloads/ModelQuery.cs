namespace Harness.Bridge.Functions.Payloads;

/// <summary><c>models::list {provider?}</c> / <c>models::get {id}</c> / <c>harness::provider::list {}</c>.</summary>
[GenerateSerializer]
public sealed record ModelQuery
{
    [Id(0), JsonPropertyName("provider")] public string? Provider { get; init; }
    [Id(1), JsonPropertyName("id")] public string? Id { get; init; }
}
