namespace Harness.Providers;

/// <summary>A classified upstream failure: the <c>error_kind</c>, a readable message and the HTTP status if any.</summary>
public sealed record ProviderFailure(string Kind, string Message, int? Status = null);
