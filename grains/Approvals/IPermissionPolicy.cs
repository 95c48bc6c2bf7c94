using Harness.Approvals;

namespace Harness.Approvals;

/// <summary>The YAML rule policy (spec §3.2). Throws when the policy cannot be read: callers fail closed.</summary>
public interface IPermissionPolicy
{
    Task<PermissionVerdict> CheckAsync(string functionId, JsonElement args, CancellationToken cancellationToken);
}
