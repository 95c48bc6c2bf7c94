using Microsoft.Extensions.Options;

namespace Harness.Approvals;

/// <summary>
/// <see cref="IPermissionPolicy"/> over <c>iii-permissions.yaml</c>. The file is loaded on first use and re-read
/// whenever its timestamp or size changes. Unlike the original (which fell back to an empty or the previous
/// policy), a missing, unreadable or malformed file makes every check throw <see cref="PolicyUnavailableException"/>,
/// so the gate denies with <c>gate_unavailable</c> until the file is fixed.
/// </summary>
public sealed partial class YamlPermissionPolicy(
    IOptionsMonitor<PermissionPolicyOptions> options,
    ILogger<YamlPermissionPolicy> logger) : IPermissionPolicy
{
    /// <summary>
    /// A file modified this close to when we read it may be rewritten within the same timestamp tick
    /// (same size, same mtime); such a snapshot is re-validated by content until it is older than this.
    /// </summary>
    private static readonly TimeSpan RacyWindow = TimeSpan.FromSeconds(2);

    private readonly Lock _sync = new();
    private Snapshot? _snapshot;
    private string? _lastProblem;

    public Task<PermissionVerdict> CheckAsync(string functionId, JsonElement args, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(functionId);
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(CurrentRules().Evaluate(functionId, args));
    }

    /// <summary>The rules now in force; throws <see cref="PolicyUnavailableException"/> when there are none.</summary>
    public PermissionRules CurrentRules()
    {
        var configured = options.CurrentValue.Path;
        lock (_sync)
        {
            if (string.IsNullOrWhiteSpace(configured))
            {
                _snapshot = null;
                throw Unavailable("no permissions file configured (Harness:Permissions:Path)", null, "(none)");
            }

            var path = System.IO.Path.GetFullPath(configured);
            var file = new FileInfo(path);
            if (!file.Exists)
            {
                _snapshot = null;
                throw Unavailable($"permissions file not found: {file.Name}", null, path);
            }

            var stamp = new FileStamp(file.LastWriteTimeUtc, file.Length);
            var now = DateTime.UtcNow;
            if (_snapshot is { } cached && cached.Path == path && cached.Stamp == stamp && !cached.IsRacy)
            {
                return cached.Result();
            }

            string text;
            try
            {
                text = File.ReadAllText(path);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                _snapshot = null;
                throw Unavailable($"permissions file unreadable: {file.Name}: {ex.Message}", ex, path);
            }

            if (_snapshot is { } racy && racy.Path == path && racy.Stamp == stamp && racy.Text == text)
            {
                _snapshot = racy with { LoadedAt = now };
                return _snapshot.Result();
            }

            _snapshot = Load(path, file.Name, stamp, text, now);
            return _snapshot.Result();
        }
    }

    private Snapshot Load(string path, string fileName, FileStamp stamp, string text, DateTime now)
    {
        try
        {
            var rules = PermissionRuleParser.Parse(text);
            _lastProblem = null;
            LogLoaded(path, rules.Rules.Count);
            foreach (var duplicate in rules.Rules.GroupBy(r => r.RuleId, StringComparer.Ordinal).Where(g => g.Count() > 1))
            {
                LogDuplicateRuleId(path, duplicate.Key);
            }
            return new Snapshot(path, stamp, text, now, rules, null);
        }
        catch (PolicyFormatException ex)
        {
            var problem = $"invalid permissions file {fileName}: {ex.Message}";
            ReportProblem(path, problem);
            return new Snapshot(path, stamp, text, now, null, problem);
        }
    }

    private PolicyUnavailableException Unavailable(string problem, Exception? inner, string path)
    {
        ReportProblem(path, problem);
        return new PolicyUnavailableException(problem, inner);
    }

    // Log a problem once per change, not once per tool call.
    private void ReportProblem(string path, string problem)
    {
        if (!string.Equals(_lastProblem, problem, StringComparison.Ordinal))
        {
            _lastProblem = problem;
            LogUnavailable(path, problem);
        }
    }

    private readonly record struct FileStamp(DateTime LastWriteUtc, long Length);

    private sealed record Snapshot(string Path, FileStamp Stamp, string Text, DateTime LoadedAt, PermissionRules? Rules, string? Problem)
    {
        public bool IsRacy => LoadedAt - Stamp.LastWriteUtc < RacyWindow;

        public PermissionRules Result() => Rules ?? throw new PolicyUnavailableException(Problem!);
    }
}
