namespace Harness.Approvals;

/// <summary>Per-session approval settings (key = session id). Mutations are human-only functions.</summary>
public interface IApprovalSettingsGrain : IGrainWithStringKey
{
    /// <summary><c>approval::get_settings</c>: defaults when nothing is stored.</summary>
    Task<ApprovalSettings> GetSettings();

    /// <summary><c>approval::set_mode</c>.</summary>
    Task<ApprovalSettings> SetMode(string mode);

    /// <summary><c>approval::add_always_allow</c> (idempotent).</summary>
    Task<ApprovalSettings> AddAlwaysAllow(string functionId);

    /// <summary><c>approval::remove_always_allow</c>.</summary>
    Task<ApprovalSettings> RemoveAlwaysAllow(string functionId);

    /// <summary><c>approval::approve_always</c> (idempotent).</summary>
    Task<ApprovalSettings> ApproveAlways(string functionId);

    /// <summary><c>approval::clear_settings</c>.</summary>
    Task Clear();
}
