using Harness.Serialization;
using System.Text.Json.Nodes;
using Harness.Approvals;
using Harness.Bridge.Functions.Payloads;
using Harness.Validation;
using Microsoft.Extensions.Options;

namespace Harness.Bridge.Functions;

/// <summary>
/// <c>configuration::get</c> / <c>configuration::set</c> for the one entry the C4 console edits here,
/// <c>{id:"approval-gate"}</c> = <c>{default_mode, rules}</c> (console-and-data §1.6 "Gate rules"), over
/// <see cref="IApprovalGateConfigGrain"/>. The cluster is not a general configuration store: any other id answers
/// <c>NOT_FOUND</c>, as the configuration worker does for an unknown entry.
/// </summary>
public sealed class ConfigurationBridgeFunctions(IGrainFactory grains, IOptionsMonitor<ApprovalGateOptions> gateOptions) : IBridgeFunctionSource
{
    public const string NotFound = "NOT_FOUND";

    public IEnumerable<BridgeFunctionDescriptor> GetFunctions()
    {
        yield return BridgeFunction.Create<ConfigurationRequest, ConfigurationGetResult>(
            "configuration::get",
            "Read a configuration entry: {id:\"approval-gate\"} answers {id, value:{default_mode, rules}} (the permission mode of sessions that never set one, and rules every session's calls meet first). Other ids: NOT_FOUND.",
            async (request, _, _) =>
            {
                var id = Entry(request);
                return new ConfigurationGetResult { Id = id, Value = View(await Config.Get()) };
            },
            requestFormat: BridgeSchemas.For<ConfigurationRequest>().Require("id"),
            responseFormat: BridgeSchemas.For<ConfigurationGetResult>().Require("id", "value"));

        yield return BridgeFunction.Create<ConfigurationRequest, ConfigurationSetResult>(
            "configuration::set",
            "Replace a configuration entry: {id:\"approval-gate\", value:{default_mode?: manual|auto|full, rules?: [\"fn\" | \"!fn\" | {rule_id?, function, action: allow|deny, modes?, args?}]}}. Answers {new_value, old_value}. A malformed rule is invalid_payload naming it (value.rules[i].field) and nothing is stored.",
            async (request, _, _) =>
            {
                Entry(request);
                var (mode, rules) = ReadValue(request.Value);
                var previous = await Config.Set(mode, rules);
                return new ConfigurationSetResult { NewValue = View(await Config.Get()), OldValue = previous.Version == 0 ? null : View(previous) };
            },
            requestFormat: BridgeSchemas.For<ConfigurationRequest>().Require("id", "value"),
            responseFormat: BridgeSchemas.For<ConfigurationSetResult>().Require("new_value"));
    }

    private IApprovalGateConfigGrain Config => grains.GetGrain<IApprovalGateConfigGrain>(IApprovalGateConfigGrain.Key);

    private static string Entry(ConfigurationRequest request)
    {
        var id = Require.NonEmpty(request.Id, "id");
        return id == IApprovalGateConfigGrain.Key
            ? id
            : throw new BridgeFunctionException(NotFound, $"configuration `{id}` not found (this cluster serves only `{IApprovalGateConfigGrain.Key}`)");
    }

    private static (string? Mode, string RulesJson) ReadValue(JsonElement? value)
    {
        if (value is not { ValueKind: JsonValueKind.Object } obj)
        {
            throw new PayloadValidationException("value", "must be an object {default_mode?, rules?}");
        }
        string? mode = null;
        var rules = "[]";
        foreach (var property in obj.EnumerateObject())
        {
            switch (property.Name)
            {
                case "default_mode" when property.Value.ValueKind == JsonValueKind.Null:
                    break;
                case "default_mode":
                    mode = property.Value.ValueKind == JsonValueKind.String
                        ? property.Value.GetString()
                        : throw new PayloadValidationException("value.default_mode", "must be manual|auto|full");
                    Require.OneOf(mode, "value.default_mode", ApprovalModes.All);
                    break;
                case "rules" when property.Value.ValueKind == JsonValueKind.Null:
                    break;
                case "rules":
                    rules = property.Value.ValueKind == JsonValueKind.Array
                        ? property.Value.GetRawText()
                        : throw new PayloadValidationException("value.rules", "must be an array");
                    break;
                default:
                    throw new PayloadValidationException($"value.{property.Name}", "unknown field (expected default_mode|rules)");
            }
        }
        return (mode, rules);
    }

    private JsonElement View(ApprovalGateConfig config) => WireJson.ToElement(new JsonObject
    {
        ["default_mode"] = config.DefaultMode ?? (ApprovalModes.All.Contains(gateOptions.CurrentValue.DefaultMode) ? gateOptions.CurrentValue.DefaultMode : ApprovalModes.Manual),
        ["rules"] = JsonNode.Parse(config.RulesJson),
    });
}
