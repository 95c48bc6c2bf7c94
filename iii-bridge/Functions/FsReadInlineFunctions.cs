using System.Text;
using Harness.Bridge.Channels;
using Harness.Bridge.Client;
using Harness.Bridge.Functions.Payloads;
using Harness.Bridge.Hosting;
using Harness.Serialization;
using Harness.Validation;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Harness.Bridge.Functions;

/// <summary>
/// <c>harness::fs::read_inline</c> (harness-core §3.1): reads a file through the shell worker's <c>shell::fs::read
/// {path}</c>, which answers <c>{content:{channel_id, access_key}, size}</c> and streams the bytes into that channel,
/// and returns at most <c>max_bytes</c> of it as one text block of a function result (<c>&lt;binary N bytes&gt;</c> when
/// it is not UTF-8). The worker client is resolved per call: it depends on the function catalog this source feeds.
/// </summary>
public sealed class FsReadInlineFunctions(IServiceProvider services, IOptions<IiiBridgeOptions> options) : IBridgeFunctionSource
{
    /// <summary>How long <c>shell::fs::read</c> may take to answer, as in the original.</summary>
    public static readonly TimeSpan ReadTimeout = TimeSpan.FromSeconds(30);

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public IEnumerable<BridgeFunctionDescriptor> GetFunctions()
    {
        var flat = BridgeSchemas.For<FsReadInlineRequest>().Require("path");
        flat["properties"]!["max_bytes"]!["exclusiveMinimum"] = 0;
        yield return BridgeFunction.Create<FsReadInlineRequest, FsReadInlineResult>(
            "harness::fs::read_inline",
            "Read a file through shell::fs::read and its channel; at most max_bytes (default 262144) come back as one text block.",
            (request, invocation, ct) => ReadAsync(Unwrap(request, invocation.Data), ct),
            requestFormat: BridgeSchemas.OneOf(flat, new JsonObject
            {
                ["type"] = "object",
                ["properties"] = new JsonObject { ["body"] = flat.DeepClone() },
                ["required"] = new JsonArray("body"),
            }));
    }

    private static FsReadInlineRequest Unwrap(FsReadInlineRequest request, JsonElement data) =>
        request.Path is null && data.TryGetProperty("body", out var body) && body.ValueKind == JsonValueKind.Object
            ? BridgePayload.Read<FsReadInlineRequest>(body)
            : request;

    private async Task<FsReadInlineResult> ReadAsync(FsReadInlineRequest request, CancellationToken cancellationToken)
    {
        var path = Require.NonEmpty(request.Path, "path");
        var maxBytes = request.MaxBytes ?? FsReadInlineRequest.DefaultMaxBytes;
        if (maxBytes <= 0)
        {
            throw new PayloadValidationException("max_bytes", "must be a positive number");
        }
        var client = services.GetRequiredService<IiiWorkerClient>();
        var answer = await client.InvokeAsync("shell::fs::read", WireJson.ToElement(new { path }), ReadTimeout, null, cancellationToken);
        var (reference, size) = ReadAnswer(answer);

        var settings = options.Value;
        var kept = new MemoryStream();
        var truncated = false;
        await using (var reader = await IiiChannelEndpoint.OpenAsync(settings.EngineUrl!, reference, settings.ConnectTimeout, settings.MaxMessageBytes, cancellationToken))
        {
            await foreach (var chunk in reader.ReadBytesAsync(cancellationToken))
            {
                var take = (int)Math.Min(maxBytes - kept.Length, chunk.Length);
                kept.Write(chunk.Span[..take]);
                if (take < chunk.Length)
                {
                    truncated = true;
                }
                if (kept.Length >= maxBytes)
                {
                    // Full: stop reading; the size (when given) tells whether anything was left.
                    break;
                }
            }
            await reader.CloseAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
        truncated |= size is { } total && total > kept.Length;
        var bytes = kept.ToArray();
        return new FsReadInlineResult
        {
            Content = [new FsReadInlineText { Text = Decode(bytes, truncated) ?? $"<binary {size ?? bytes.Length} bytes>" }],
            Details = new FsReadInlineDetails { Size = size, Truncated = truncated, BytesRead = bytes.Length },
        };
    }

    /// <summary>The channel and size from <c>shell::fs::read</c>'s answer; anything else is a clear failure.</summary>
    private static (IiiChannelRef Reference, long? Size) ReadAnswer(JsonElement answer)
    {
        if (answer.ValueKind != JsonValueKind.Object
            || !answer.TryGetProperty("content", out var content) || content.ValueKind != JsonValueKind.Object
            || !content.TryGetProperty("channel_id", out var id) || id.ValueKind != JsonValueKind.String
            || !content.TryGetProperty("access_key", out var key) || key.ValueKind != JsonValueKind.String)
        {
            throw new InvalidDataException("shell::fs::read did not answer {content:{channel_id, access_key}, size}");
        }
        long? size = answer.TryGetProperty("size", out var s) && s.ValueKind == JsonValueKind.Number && s.TryGetInt64(out var n) ? n : null;
        return (new IiiChannelRef { ChannelId = id.GetString()!, AccessKey = key.GetString()!, Direction = IiiChannelRef.Read }, size);
    }

    /// <summary>Strict UTF-8, or null. A cut at <c>max_bytes</c> may split the last character: up to 3 bytes are dropped then.</summary>
    private static string? Decode(byte[] bytes, bool truncated)
    {
        for (var drop = 0; drop <= (truncated ? Math.Min(3, bytes.Length) : 0); drop++)
        {
            try
            {
                return StrictUtf8.GetString(bytes, 0, bytes.Length - drop);
            }
            catch (DecoderFallbackException)
            {
                // Try a shorter prefix (truncated reads only), then give up: not text.
            }
        }
        return null;
    }
}
