namespace Harness.Providers;

/// <summary>How a <c>function_result</c> message is shown to a model as text.</summary>
public static class FunctionResultText
{
    /// <summary>Prefix for results the permission gate or the user denied (spec §4.5).</summary>
    public const string DeniedPrefix = "[PERMISSION_DENIED] ";

    /// <summary>The text blocks joined; the details JSON when there is no text; prefixed when denied.</summary>
    public static string Render(AgentMessage result)
    {
        var text = string.Join("\n", result.Content.Where(c => c.Type == ContentTypes.Text && !string.IsNullOrEmpty(c.Text)).Select(c => c.Text));
        if (text.Length == 0 && result.Details is { ValueKind: not JsonValueKind.Undefined and not JsonValueKind.Null } details)
        {
            text = WireJson.ToText(details);
        }
        return IsDenied(result) ? DeniedPrefix + text : text;
    }

    public static bool IsDenied(AgentMessage result) =>
        result.Details is { ValueKind: JsonValueKind.Object } d
        && d.TryGetProperty("status", out var s) && s.ValueKind == JsonValueKind.String && s.GetString() == "denied";
}
