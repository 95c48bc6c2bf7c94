using Harness.Providers;
using Microsoft.Extensions.Options;

namespace Harness.Compaction;

/// <summary>
/// Writes the summary through the session's own provider (spec §3.2 step 8): no tools, bounded by
/// <see cref="CompactionOptions.SummaryTimeout"/>, one retry after 250 ms unless the failure is permanent or auth.
/// </summary>
public sealed class SessionSummariser(IProviderRegistry providers, IOptions<CompactionOptions> options, TimeProvider time)
{
    /// <summary>The summary text (null when the model answered nothing), or throws <see cref="SummaryFailedException"/>.</summary>
    public async Task<string?> SummariseAsync(string provider, string model, IReadOnlyList<AgentMessage> head, string? previousSummary, CancellationToken cancellationToken)
    {
        var target = providers.Find(ProviderRouter.Decide(provider, model))
            ?? throw new SummaryFailedException($"no provider '{ProviderRouter.Decide(provider, model)}' for model '{model}'", retryable: false);
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var request = new ProviderRequest(
            model,
            SummaryPrompt.System(previousSummary),
            [AgentMessage.User(SummaryPrompt.User(head, options.Value.ToolOutputMaxChars), now)],
            [],
            Purpose: ProviderRequest.SummaryPurpose);
        try
        {
            return await OnceAsync(target, request, cancellationToken);
        }
        catch (SummaryFailedException e) when (e.Retryable)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(250), time, cancellationToken);
            return await OnceAsync(target, request, cancellationToken);
        }
    }

    private async Task<string?> OnceAsync(IModelProvider provider, ProviderRequest request, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Value.SummaryTimeout + TimeSpan.FromSeconds(1));
        try
        {
            await foreach (var evt in provider.StreamAsync(request, timeout.Token))
            {
                if (evt.Type == StreamEventTypes.Done)
                {
                    var text = evt.Message?.Text;
                    return string.IsNullOrWhiteSpace(text) ? null : text.Trim();
                }
                if (evt.Type == StreamEventTypes.Error)
                {
                    var kind = evt.Error?.ErrorKind;
                    throw new SummaryFailedException(evt.Error?.ErrorMessage ?? "summariser failed",
                        retryable: kind is not (ErrorKinds.Permanent or ErrorKinds.AuthExpired or ErrorKinds.ContextOverflow));
                }
            }
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new SummaryFailedException($"summariser timed out after {options.Value.SummaryTimeout.TotalSeconds:0.#} s", retryable: true);
        }
        catch (Exception ex) when (ex is not SummaryFailedException and not OperationCanceledException)
        {
            throw new SummaryFailedException(ex.Message, retryable: true);
        }
        throw new SummaryFailedException("provider stream ended without a final message", retryable: true);
    }
}

/// <summary>The summariser could not produce a summary; the compaction answers <c>overflow</c> with this message.</summary>
public sealed class SummaryFailedException(string message, bool retryable) : Exception(message)
{
    public bool Retryable { get; } = retryable;
}
