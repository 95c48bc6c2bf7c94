using Harness.Models;

namespace Harness.Providers;

/// <summary>
/// One model provider behind the registry. <see cref="StreamAsync"/> yields spec §1.3 events and ends with exactly
/// one terminal <c>done</c> or <c>error</c>; upstream failures are reported as an <c>error</c> event with an
/// <c>error_kind</c>, not thrown. Cancelling the token aborts the upstream request.
/// </summary>
public interface IModelProvider
{
    /// <summary>Registry name: anthropic, openai, kimi, lmstudio, llamacpp, scripted.</summary>
    string Name { get; }

    IAsyncEnumerable<AssistantMessageEvent> StreamAsync(ProviderRequest request, CancellationToken cancellationToken);

    /// <summary>Model discovery for the catalog; empty when the provider cannot list.</summary>
    Task<IReadOnlyList<ModelInfo>> ListModelsAsync(CancellationToken cancellationToken);
}

/// <summary>What a provider is asked to answer. <paramref name="Purpose"/> is <c>turn</c> or <c>summary</c> (compaction).</summary>
public sealed record ProviderRequest(
    string Model,
    string? SystemPrompt,
    IReadOnlyList<AgentMessage> Messages,
    IReadOnlyList<AgentFunction> Tools,
    string? ThinkingLevel = null,
    string Purpose = ProviderRequest.TurnPurpose)
{
    public const string TurnPurpose = "turn";
    public const string SummaryPurpose = "summary";
}
