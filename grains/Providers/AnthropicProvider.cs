using System.Runtime.CompilerServices;
using Anthropic;
using Anthropic.Core;
using Anthropic.Exceptions;
using Anthropic.Models.Messages;
using Anthropic.Models.Models;
using Harness.Models;

namespace Harness.Providers;

/// <summary>
/// The <c>anthropic</c> provider, through the official Anthropic SDK (Messages streaming API). Endpoint and key are
/// resolved per request. Failures end the stream with one <c>error</c> event; a cancelled token aborts the HTTP request
/// and ends the stream with <c>error</c> whose stop_reason is <c>aborted</c>.
/// </summary>
public sealed partial class AnthropicProvider(
    ProviderProfile profile,
    ProviderConnectionResolver resolver,
    TimeProvider time,
    ILogger<AnthropicProvider> logger) : IDescribedModelProvider, IDisposable
{
    // One pooled HttpClient per provider; the per-request SDK clients share it (they are cheap, the sockets are not).
    private readonly HttpClient _http = new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
    {
        Timeout = Timeout.InfiniteTimeSpan,
    };

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
        var translator = new AnthropicStreamTranslator(builder, names);
        var events = ProviderStreamPump.RunAsync(
            builder,
            () =>
            {
                var parameters = AnthropicRequestBuilder.Build(request, names, connection);
                LogStreamStarting(logger, Name, request.Model, parameters.Messages.Count, request.Tools.Count);
                return Client(connection).Messages.CreateStreaming(parameters, cancellationToken).GetAsyncEnumerator(cancellationToken);
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

    public async Task<IReadOnlyList<Models.ModelInfo>> ListModelsAsync(CancellationToken cancellationToken)
    {
        var connection = await resolver.ResolveAsync(profile, cancellationToken);
        if (profile.RequiresApiKey && !connection.HasKey)
        {
            throw new InvalidOperationException(ProviderStreamPump.MissingKey(profile).Message);
        }
        var models = new List<Models.ModelInfo>();
        try
        {
            var page = await Client(connection).Models.List(new ModelListParams { Limit = 1000 }, cancellationToken);
            await foreach (var model in page.Paginate(cancellationToken))
            {
                models.Add(new Models.ModelInfo
                {
                    Id = model.ID,
                    Provider = Name,
                    DisplayName = model.DisplayName,
                    ContextWindow = model.MaxInputTokens ?? KnownModelLimits.ContextWindow(model.ID),
                    MaxOutputTokens = model.MaxTokens,
                });
            }
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new InvalidOperationException($"listing models of {Name} failed: {Classify(ex, connection.ApiKey).Message}", ex);
        }
        return DiscoveredModels.Enrich(ConfiguredModels.AddTo(models, resolver.Options(Name).Models, Name), DiscoveredModels.AnthropicMessages);
    }

    public void Dispose() => _http.Dispose();

    private IAnthropicClient Client(ProviderConnection connection)
    {
        var configured = resolver.Options(Name);
        // Not disposed: it only borrows the shared HttpClient (an API-key client owns no other resources).
        return new AnthropicClient(new ClientOptions
        {
            HttpClient = _http,
            ApiKey = connection.ApiKey,
            BaseUrl = connection.BaseUrl.ToString().TrimEnd('/'),
            MaxRetries = configured.MaxRetries,
            Timeout = configured.NetworkTimeout,
        });
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

    internal static ProviderFailure Classify(Exception ex, string? apiKey)
    {
        switch (ex)
        {
            case AnthropicApiException http:
                var message = SafeApiMessage(http) ?? ProviderErrorClassifier.ExtractMessage(http.ResponseBody);
                return ProviderErrorClassifier.FromStatus((int)http.StatusCode, message, apiKey);
            case AnthropicSseException sse:
                // An `event: error` inside an accepted stream: classify by the error type in its body.
                var body = sse.Body.ValueKind == JsonValueKind.Undefined ? null : sse.Body.GetRawText();
                var type = ErrorType(sse.Body);
                var text = SafeApiMessage(sse) ?? ProviderErrorClassifier.ExtractMessage(body) ?? sse.Message;
                return new ProviderFailure(KindForErrorType(type, text), ProviderErrorClassifier.Clean($"{type ?? "error"}: {text}", apiKey));
            case AnthropicIOException:
                return new ProviderFailure(Messages.ErrorKinds.Transient, ProviderErrorClassifier.Clean(ex.Message, apiKey));
            default:
                return ProviderErrorClassifier.FromException(ex, apiKey);
        }
    }

    private static string KindForErrorType(string? type, string? message) => type switch
    {
        "authentication_error" or "permission_error" => Messages.ErrorKinds.AuthExpired,
        "rate_limit_error" => Messages.ErrorKinds.RateLimited,
        "overloaded_error" or "api_error" or "timeout_error" => Messages.ErrorKinds.Transient,
        "invalid_request_error" or "request_too_large" when ProviderErrorClassifier.MentionsContextOverflow(message) => Messages.ErrorKinds.ContextOverflow,
        _ => Messages.ErrorKinds.Permanent,
    };

    private static string? ErrorType(JsonElement body) =>
        body.ValueKind == JsonValueKind.Object
        && body.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object
        && error.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String
            ? type.GetString()
            : null;

    private static string? SafeApiMessage(AnthropicServiceException ex)
    {
        try
        {
            return string.IsNullOrWhiteSpace(ex.ApiMessage) ? null : ex.ApiMessage;
        }
        catch (Exception readError) when (readError is InvalidOperationException or KeyNotFoundException or JsonException or AnthropicException)
        {
            return null; // the body did not have the documented shape
        }
    }
}
