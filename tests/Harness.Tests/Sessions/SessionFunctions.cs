using System.Text.Json.Nodes;
using Harness.Bridge.Functions;
using Harness.Sessions;
using Microsoft.Extensions.Options;

namespace Harness.Tests.Sessions;

/// <summary>The session worker's bridge functions called directly (no engine in between) against a cluster's grains.</summary>
public sealed class SessionFunctions(IGrainFactory grains, ToolOutputPruneOptions? prune = null)
{
    private readonly Dictionary<string, BridgeFunctionDescriptor> _functions =
        new SessionBridgeFunctions(grains).GetFunctions()
            .Concat(new PruneBridgeFunctions(new ToolOutputPruner(grains, Options.Create(prune ?? new ToolOutputPruneOptions()), TimeProvider.System)).GetFunctions())
            .ToDictionary(f => f.Id);

    public IReadOnlyCollection<string> Ids => _functions.Keys;

    public async Task<JsonNode> Call(string functionId, string payload)
    {
        var result = await _functions[functionId].Handler(new BridgeInvocation(functionId, WireJson.Parse(payload)), CancellationToken.None);
        return JsonNode.Parse(result.GetRawText())!;
    }

    public Task<JsonNode> Call(string functionId, JsonNode payload) => Call(functionId, payload.ToJsonString());

    /// <summary>The error a call fails with (code and detail).</summary>
    public async Task<BridgeFunctionException> Fails(string functionId, string payload) =>
        await Assert.ThrowsAsync<BridgeFunctionException>(() => Call(functionId, payload));

    public static string User(string text) => $$"""{"role":"user","content":[{"type":"text","text":"{{text}}"}],"timestamp":1}""";

    public static string Assistant(string text) =>
        $$"""{"role":"assistant","content":[{"type":"text","text":"{{text}}"}],"stop_reason":"end","model":"m","provider":"p","timestamp":2}""";

    public static string Result(string callId, string functionId, string output) =>
        $$"""{"role":"function_result","function_call_id":"{{callId}}","function_id":"{{functionId}}","content":[{"type":"text","text":"{{output}}"}],"details":{"kept":true},"is_error":false,"timestamp":3}""";

    public async Task<string> NewSession(string? displayName = null, string? cwd = null)
    {
        var payload = new JsonObject();
        if (displayName is not null)
        {
            payload["display_name"] = displayName;
        }
        if (cwd is not null)
        {
            payload["cwd"] = cwd;
        }
        return (await Call("session-tree::create", payload))["session_id"]!.GetValue<string>();
    }

    public async Task<string> Append(string sid, string message, string? parent = null)
    {
        var parentJson = parent is null ? "null" : $"\"{parent}\"";
        return (await Call("session-tree::append", $$"""{"session_id":"{{sid}}","parent_id":{{parentJson}},"message":{{message}}}"""))["entry_id"]!.GetValue<string>();
    }

    public async Task<List<string>> AppendBatch(string sid, params string[] messages) =>
        [.. (await Call("session-tree::append_batch", $$"""{"session_id":"{{sid}}","messages":[{{string.Join(",", messages)}}]}"""))["entry_ids"]!.AsArray().Select(e => e!.GetValue<string>())];

    /// <summary>(entry_id, first text) of every message on the active path.</summary>
    public async Task<List<(string Id, string Text)>> Messages(string sid, string? leaf = null)
    {
        var payload = leaf is null ? $$"""{"session_id":"{{sid}}"}""" : $$"""{"session_id":"{{sid}}","branch_leaf":"{{leaf}}"}""";
        return [.. (await Call("session-tree::messages", payload))["messages"]!.AsArray()
            .Select(m => (m!["entry_id"]!.GetValue<string>(), m["message"]!["content"]!.AsArray().FirstOrDefault()?["text"]?.GetValue<string>() ?? ""))];
    }
}
