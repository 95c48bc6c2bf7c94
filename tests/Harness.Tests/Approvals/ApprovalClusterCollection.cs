using Xunit;

namespace Harness.Tests.Approvals;

/// <summary>Cluster-backed approval tests share one silo and run one at a time (some change the default mode).</summary>
[CollectionDefinition(Name)]
public sealed class ApprovalClusterCollection : ICollectionFixture<ApprovalClusterFixture>
{
    public const string Name = "approvals-cluster";
}
