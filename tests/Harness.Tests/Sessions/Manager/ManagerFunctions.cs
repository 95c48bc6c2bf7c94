using System.Text.Json.Nodes;
using Harness.Bridge.Functions;

namespace Harness.Tests.Sessions.Manager;

/// <summary>
/// The C4 session-manager functions, the session-tree functions and <c>context::compact</c> called directly (no engine
/// in between) against a cluster's grains, with the wire JSON in and out.
/// </summary>
public sealed class ManagerFunctions(IGrainFactory grains)
{
    private readonly Dictionary<string, BridgeFunctionDescriptor> _functions =
        new SessionManagerBridgeFunctions(grains).GetFunctions()
            .Concat(new SessionBridgeFunctions(grains).GetFunctions())
            .Concat(new ContextCompactBridgeFunctions(grains).GetFunctions())
            .ToDictionary(f => f.Id);

    public async Task<JsonNode?> Call(string functionId, string payload)
    {
        var result = await _functions[functionId].Handler(new BridgeInvocation(functionId, WireJson.Parse(payload)), CancellationToken.None);
        return JsonNode.Parse(result.GetRawText());
    }

    public async Task<JsonNode> Ok(string functionId, string payload) => (await Call(functionId, payload))!;

    public async Task<BridgeFunctionException> Fails(string functionId, string payload) =>
        await Assert.ThrowsAsync<BridgeFunctionException>(() => Call(functionId, payload));

    public async Task<string> Ensure(string? title = null)
    {
        var sid = $"console-{Guid.NewGuid():N}";
        var titleJson = title is null ? "" : $$$""","title":"{{{title}}}" """;
        await Ok("session::ensure", $$$"""{"session_id":"{{{sid}}}"{{{titleJson}}}}""");
        return sid;
    }

    /// <summary>Appends user messages "m1".."mN" through session::append; their entry ids in order.</summary>
    public async Task<List<string>> AppendUsers(string sid, int count, string prefix = "m")
    {
        var ids = new List<string>();
        for (var i = 1; i <= count; i++)
        {
            var reply = await Ok("session::append", $$$"""{"session_id":"{{{sid}}}","message":{"role":"user","content":[{"type":"text","text":"{{{prefix}}}{{{i}}}"}],"timestamp":{{{i}}}}}""");
            ids.Add(reply["entry_id"]!.GetValue<string>());
        }
        return ids;
    }

    /// <summary>Every page of session::messages: the entry ids per page.</summary>
    public async Task<List<List<string>>> Pages(string sid, int limit, bool includeCustom)
    {
        var pages = new List<List<string>>();
        string? cursor = null;
        for (var guard = 0; guard < 100; guard++)
        {
            var cursorJson = cursor is null ? "" : $$$""","cursor":"{{{cursor}}}" """;
            var page = await Ok("session::messages", $$$"""{"session_id":"{{{sid}}}","limit":{{{limit}}},"include_custom":{{{(includeCustom ? "true" : "false")}}}{{{cursorJson}}}}""");
            pages.Add([.. page["messages"]!.AsArray().Select(m => m!["entry_id"]!.GetValue<string>())]);
            cursor = page["next_cursor"]?.GetValue<string>();
            if (cursor is null)
            {
                return pages;
            }
        }
        throw new InvalidOperationException("session::messages never ended");
    }
}
