using System.Text;

namespace Harness.Providers;

/// <summary>
/// Builds the spec §1.3 event sequence for one assistant message while an upstream stream is translated: blocks are
/// opened, appended to and closed by slot (the upstream block or tool-call index), and every non-terminal event carries
/// the message so far as <c>partial</c>. Not thread-safe: one builder per stream.
/// </summary>
public sealed class AssistantStreamBuilder(string provider, string model, long timestamp)
{
    private readonly List<Block> _blocks = [];
    private readonly Dictionary<int, Block> _bySlot = [];
    private Usage? _usage;
    private string _stopReason = StopReasons.End;

    public bool Started { get; private set; }

    public bool HasFunctionCalls => _blocks.Any(b => b.Type == ContentTypes.FunctionCall);

    /// <summary>The <c>start</c> event; call once before any block event.</summary>
    public AssistantMessageEvent Start()
    {
        Started = true;
        return Event(StreamEventTypes.Start);
    }

    public bool IsOpen(int slot) => _bySlot.TryGetValue(slot, out var b) && !b.Closed;

    public bool Has(int slot) => _bySlot.ContainsKey(slot);

    /// <summary>Opens a text, thinking or function_call block under <paramref name="slot"/>; returns its <c>*_start</c> event.</summary>
    public AssistantMessageEvent Open(int slot, string type, string? id = null, string? functionId = null)
    {
        var block = new Block(type) { Id = id, FunctionId = functionId };
        _blocks.Add(block);
        _bySlot[slot] = block;
        return Event(Prefix(type) + "_start");
    }

    /// <summary>Appends text (or argument JSON) to the block of <paramref name="slot"/>; returns its <c>*_delta</c> event.</summary>
    public AssistantMessageEvent Append(int slot, string delta)
    {
        var block = _bySlot[slot];
        block.Text.Append(delta);
        block.Parsed = null;
        return Event(Prefix(block.Type) + "_delta") with { Delta = delta };
    }

    public void SetSignature(int slot, string signature)
    {
        if (_bySlot.TryGetValue(slot, out var block))
        {
            block.Signature = (block.Signature ?? "") + signature;
        }
    }

    /// <summary>Fills in the id/name of a function call whose first chunk lacked them (some local servers).</summary>
    public void SetFunctionIdentity(int slot, string? id, string? functionId)
    {
        var block = _bySlot[slot];
        block.Id ??= id;
        block.FunctionId ??= functionId;
    }

    /// <summary>Closes the block of <paramref name="slot"/>; null when it is unknown or already closed.</summary>
    public AssistantMessageEvent? Close(int slot)
    {
        if (!_bySlot.TryGetValue(slot, out var block) || block.Closed)
        {
            return null;
        }
        block.Closed = true;
        return Event(Prefix(block.Type) + "_end");
    }

    /// <summary>Closes every open block in the order they were opened.</summary>
    public IEnumerable<AssistantMessageEvent> CloseAll()
    {
        foreach (var slot in _bySlot.Where(kv => !kv.Value.Closed).OrderBy(kv => _blocks.IndexOf(kv.Value)).Select(kv => kv.Key).ToList())
        {
            yield return Close(slot)!;
        }
    }

    /// <summary>Records usage reported by the upstream (later values win per field).</summary>
    public void SetUsage(Usage usage)
    {
        _usage = _usage is null
            ? usage
            : _usage with
            {
                Input = usage.Input ?? _usage.Input,
                Output = usage.Output ?? _usage.Output,
                CacheRead = usage.CacheRead ?? _usage.CacheRead,
                CacheWrite = usage.CacheWrite ?? _usage.CacheWrite,
                CostUsd = usage.CostUsd ?? _usage.CostUsd,
            };
    }

    /// <summary>
    /// Ends a successful stream: closes open blocks, then <c>usage</c> (when reported), <c>stop</c> and the terminal
    /// <c>done{message}</c>.
    /// </summary>
    public IEnumerable<AssistantMessageEvent> Finish(string stopReason)
    {
        foreach (var e in StartIfNeeded())
        {
            yield return e;
        }
        foreach (var e in CloseAll())
        {
            yield return e;
        }
        _stopReason = stopReason;
        if (_usage is not null)
        {
            yield return Event(StreamEventTypes.Usage) with { Usage = _usage };
        }
        yield return Event(StreamEventTypes.Stop) with { StopReason = stopReason };
        yield return new AssistantMessageEvent { Type = StreamEventTypes.Done, Message = Snapshot() };
    }

    /// <summary>
    /// Ends a stream whose model output was refused (content filter): <c>stop</c> with the error, then the terminal
    /// <c>error</c> carrying the content produced so far.
    /// </summary>
    public IEnumerable<AssistantMessageEvent> FinishRefused(ProviderFailure failure)
    {
        foreach (var e in StartIfNeeded())
        {
            yield return e;
        }
        foreach (var e in CloseAll())
        {
            yield return e;
        }
        _stopReason = StopReasons.Error;
        yield return Event(StreamEventTypes.Stop) with { StopReason = StopReasons.Error, ErrorMessage = failure.Message, ErrorKind = failure.Kind };
        yield return Fail(failure);
    }

    /// <summary>The single terminal <c>error</c> event: stop_reason error, its message and kind, content so far.</summary>
    public AssistantMessageEvent Fail(ProviderFailure failure) =>
        new()
        {
            Type = StreamEventTypes.Error,
            Error = Snapshot() with { StopReason = StopReasons.Error, ErrorMessage = failure.Message, ErrorKind = failure.Kind },
        };

    /// <summary>
    /// The terminal event for a cancelled request: <c>error</c> with stop_reason <c>aborted</c>. error_kind stays null
    /// so nobody retries an abort as if it were transient.
    /// </summary>
    public AssistantMessageEvent Abort() =>
        new()
        {
            Type = StreamEventTypes.Error,
            Error = Snapshot() with { StopReason = StopReasons.Aborted, ErrorMessage = "aborted", ErrorKind = null },
        };

    /// <summary>The assistant message so far.</summary>
    public AgentMessage Snapshot() => new()
    {
        Role = Roles.Assistant,
        Content = _blocks.Select(ToContent).ToList(),
        StopReason = _stopReason,
        Usage = _usage,
        Model = model,
        Provider = provider,
        Timestamp = timestamp,
    };

    private IEnumerable<AssistantMessageEvent> StartIfNeeded()
    {
        if (!Started)
        {
            yield return Start();
        }
    }

    private AssistantMessageEvent Event(string type) => new() { Type = type, Partial = Snapshot() };

    private static string Prefix(string type) => type switch
    {
        ContentTypes.Text => "text",
        ContentTypes.Thinking => "thinking",
        ContentTypes.FunctionCall => "functioncall",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "only text, thinking and function_call blocks stream"),
    };

    private static ContentBlock ToContent(Block block) => block.Type switch
    {
        ContentTypes.Text => ContentBlock.OfText(block.Text.ToString()),
        ContentTypes.Thinking => ContentBlock.OfThinking(block.Text.ToString(), block.Signature),
        _ => new ContentBlock
        {
            Type = ContentTypes.FunctionCall,
            Id = block.Id ?? "",
            FunctionId = block.FunctionId ?? "",
            Arguments = Arguments(block),
        },
    };

    private static JsonElement? Arguments(Block block)
    {
        if (block.Parsed is { } cached)
        {
            return cached;
        }
        var raw = block.Text.ToString();
        if (block.Closed)
        {
            // Final form: {} for no arguments; text the model produced that is not JSON is kept as a JSON string so the
            // function layer can report it instead of silently dropping it.
            block.Parsed = string.IsNullOrWhiteSpace(raw) ? WireJson.Empty : TryParse(raw) ?? JsonSerializer.SerializeToElement(raw);
            return block.Parsed;
        }
        // While streaming only complete JSON is shown; partial argument text is still available through the deltas.
        return raw.TrimEnd().EndsWith('}') ? TryParse(raw) : null;
    }

    private static JsonElement? TryParse(string raw)
    {
        try
        {
            return WireJson.Parse(raw);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private sealed class Block(string type)
    {
        public string Type { get; } = type;
        public StringBuilder Text { get; } = new();
        public string? Signature { get; set; }
        public string? Id { get; set; }
        public string? FunctionId { get; set; }
        public bool Closed { get; set; }
        public JsonElement? Parsed { get; set; }
    }
}
