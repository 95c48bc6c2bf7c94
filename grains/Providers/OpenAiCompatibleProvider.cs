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
        ProviderConnection? connection = null;
        try
        {
            connection = await resolver.ResolveAsync(profile, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Aborted before the request was sent.
        }
        if (connection is null)
        {
            yield return builder.Abort();
            yield break;
        }
        if (MissingKey(connection) is { } missing)
        {
            yield return builder.Fail(missing);
            yield break;
        }

        var names = new ToolNameMap(request.Tools.Select(t => t.Name));
        var translator = new OpenAiStreamTranslator(builder, names);
        var client = new ChatClient(request.Model, Credential(connection), ClientOptions(connection));
        var messages = OpenAiChatRequestBuilder.Messages(request, names, profile);
        var options = OpenAiChatRequestBuilder.Options(request, names, profile, connection);
        LogStreamStarting(logger, Name, request.Model, messages.Count, options.Tools.Count);

        ProviderFailure? failure = null;
        var aborted = false;
        var updates = client.CompleteChatStreamingAsync(messages, options, cancellationToken).GetAsyncEnumerator(cancellationToken);
        try
        {
            while (true)
            {
                List<AssistantMessageEvent> events;
                try
                {
                    if (!await updates.MoveNextAsync())
                    {
                        break;
                    }
                    events = translator.Apply(updates.Current);
                }
                catch (Exception ex)
                {
                    aborted = cancellationToken.IsCancellationRequested;
                    failure = aborted ? null : Classify(ex, connection.ApiKey);
                    break;
                }
                foreach (var e in events)
                {
                    yield return e;
                }
            }
        }
        finally
        {
            await DisposeQuietly(updates);
        }

        if (aborted)
        {
            LogStreamAborted(logger, Name, request.Model);
            yield return builder.Abort();
        }
        else if (failure is not null)
        {
            LogStreamFailed(logger, Name, request.Model, failure.Kind, failure.Status);
            yield return builder.Fail(failure);
        }
        else
        {
            foreach (var e in translator.Finish())
            {
                yield return e;
            }
        }
    }

    public async Task<IReadOnlyList<ModelInfo>> ListModelsAsync(CancellationToken cancellationToken)
    {
        var connection = await resolver.ResolveAsync(profile, cancellationToken);
        if (MissingKey(connection) is { } missing)
        {
            throw new InvalidOperationException(missing.Message);
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
        return WithConfiguredModels(models, resolver.Options(Name).Models, Name);
    }

    internal static IReadOnlyList<ModelInfo> WithConfiguredModels(List<ModelInfo> models, IEnumerable<string> configured, string provider)
    {
        foreach (var id in configured.Where(id => !string.IsNullOrWhiteSpace(id)))
        {
            if (!models.Any(m => m.Id == id))
            {
                models.Add(new ModelInfo { Id = id, Provider = provider, DisplayName = id, ContextWindow = KnownModelLimits.ContextWindow(id) });
            }
        }
        return models;
    }

    private ProviderFailure? MissingKey(ProviderConnection connection) =>
        profile.RequiresApiKey && !connection.HasKey
            ? new ProviderFailure(
                Messages.ErrorKinds.AuthExpired,
                $"no API key configured for provider '{Name}' (set {profile.ApiKeyEnvironmentVariable}, {ProviderOptions.SectionName}:{Name}:ApiKey or configure the provider)")
            : null;

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

    private static async ValueTask DisposeQuietly(IAsyncDisposable disposable)
    {
        try
        {
            await disposable.DisposeAsync();
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException or OperationCanceledException or ObjectDisposedException)
        {
            // The stream is being torn down after an error or abort; nothing left to report.
        }
    }
}
