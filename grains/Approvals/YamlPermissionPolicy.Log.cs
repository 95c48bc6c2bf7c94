namespace Harness.Approvals;

public sealed partial class YamlPermissionPolicy
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Loaded permission policy {Path} with {RuleCount} rules")]
    private partial void LogLoaded(string path, int ruleCount);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Permission policy {Path} repeats rule_id {RuleId}; only the first match of a call counts")]
    private partial void LogDuplicateRuleId(string path, string ruleId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Permission policy {Path} unavailable, every gated call is denied until fixed: {Problem}")]
    private partial void LogUnavailable(string path, string problem);
}
