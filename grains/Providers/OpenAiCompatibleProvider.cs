using System.ClientModel;
using System.ClientModel.Primitives;
using System.Runtime.CompilerServices;
using Harness.Models;
using OpenAI;
using OpenAI.Chat;
using OpenAI.Models;

namespace Harness.Providers;

/// <summary>
/// A provider speaking the OpenAI chat-completions protocol through the official OpenAI SDK: openai, kimi (Moonshot),
/// lmstudio and llamacpp are instances with different endpoints and keys. Endpoint and key are resolved per request, so
/// a key configured at runtime applies to the next call. Failures end the stream with one <c>error</c> event; a
/// cancelled token aborts the HTTP request and ends the stream with <c>error</c> whose stop_reason is <c>aborted</c>.
/// </summary>
public sealed partial class OpenAiCompatibleProvider(
    ProviderProfile profile,
    ProviderConnectionResolver resolver,
    TimeProvider time,
    ILogger<OpenAiCompatibleProvider> logger) : IDescribedModelProvider
{
    // Keyless local servers still need a non-empty bearer value for the SDK.
    private const string PlaceholderKey = "not-needed";

    public string Name => profile.Name;

    public ProviderDescriptor Descriptor => new()
    {
        Id = profile.Name,
        DisplayName = resolver.Options(profile.Name).DisplayName ?? profile.DisplayName,
        SupportsModelListing = true,
    };

    public Task<ProviderConfigureResult> DescribeConfigurationAsync(CancellationToken cancellationToken) =>
        resolver.DescribeAsync(profile, cancellationToken);

    public async IAsyncEnumerable<AssistantMessageEvent> StreamAsync(
        ProviderRequest request,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var builder = new AssistantStreamBuilder(Name, request.Model, time.GetUtcNow().ToUnixTimeMilliseconds());
        var (connection, failure) = await ProviderStreamPump.ConnectAsync(resolver, profile, cancellationToken);
        if (connection is null)
        {
            yield return failure is null ? builder.Abort() : builder.Fail(failure);
            yield break;
        }

        var names = new ToolNameMap(request.Tools.Select(t => t.Name));
        var translator = new OpenAiStreamTranslator(builder, names);
        var events = ProviderStreamPump.RunAsync(
            builder,
            () =>
            {
                var messages = OpenAiChatRequestBuilder.Messages(request, names, profile);
                var options = OpenAiChatRequestBuilder.Options(request, names, profile, connection);
                LogStreamStarting(logger, Name, request.Model, messages.Count, options.Tools.Count);
                var client = new ChatClient(request.Model, Credential(connection), ClientOptions(connection));
                return client.CompleteChatStreamingAsync(messages, options, cancellationToken).GetAsyncEnumerator(cancellationToken);
            },
            translator.Apply,
            translator.Finish,
            ex => Classify(ex, connection.ApiKey),
            (failed, aborted) => LogOutcome(request.Model, failed, aborted),
            cancellationToken);
        await foreach (var e in events)
        {
            yield return e;
        }
    }

    public async Task<IReadOnlyList<ModelInfo>> ListModelsAsync(CancellationToken cancellationToken)
    {
        var connection = await resolver.ResolveAsync(profile, cancellationToken);
        if (profile.RequiresApiKey && !connection.HasKey)
        {
            throw new InvalidOperationException(ProviderStreamPump.MissingKey(profile).Message);
        }
        OpenAIModelCollection listed;
        try
        {
            listed = (await new OpenAIModelClient(Credential(connection), ClientOptions(connection)).GetModelsAsync(cancellationToken)).Value;
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new InvalidOperationException($"listing models of {Name} failed: {Classify(ex, connection.ApiKey).Message}", ex);
        }
        var models = listed
            .Select(m => new ModelInfo { Id = m.Id, Provider = Name, DisplayName = m.Id, ContextWindow = KnownModelLimits.ContextWindow(m.Id) })
            .ToList();
        return DiscoveredModels.Enrich(ConfiguredModels.AddTo(models, resolver.Options(Name).Models, Name), DiscoveredModels.OpenAiCompletions);
    }

    private void LogOutcome(string model, ProviderFailure? failure, bool aborted)
    {
        if (aborted)
        {
            LogStreamAborted(logger, Name, model);
        }
        else if (failure is not null)
        {
            LogStreamFailed(logger, Name, model, failure.Kind, failure.Status);
        }
    }

    private static ApiKeyCredential Credential(ProviderConnection connection) => new(connection.HasKey ? connection.ApiKey! : PlaceholderKey);

    private OpenAIClientOptions ClientOptions(ProviderConnection connection)
    {
        var configured = resolver.Options(Name);
        return new OpenAIClientOptions
        {
            Endpoint = connection.BaseUrl,
            RetryPolicy = new ClientRetryPolicy(configured.MaxRetries),
            NetworkTimeout = configured.NetworkTimeout,
        };
    }

    internal static ProviderFailure Classify(Exception ex, string? apiKey)
    {
        if (ex is ClientResultException { Status: > 0 } http)
        {
            string? body = null;
            try
            {
                body = http.GetRawResponse()?.Content?.ToString();
            }
            catch (Exception readError) when (readError is InvalidOperationException or ObjectDisposedException)
            {
                // The body of a streamed response may be gone; the exception message still has the summary.
            }
            return ProviderErrorClassifier.FromStatus(http.Status, ProviderErrorClassifier.ExtractMessage(body) ?? http.Message, apiKey);
        }
        return ProviderErrorClassifier.FromException(ex, apiKey);
    }
}
