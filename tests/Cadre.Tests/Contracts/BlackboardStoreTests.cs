using Cadre.Memory.Shared;
using Cadre.Testing.Contracts;

namespace Cadre.Tests.Contracts;

/// <summary>The in-memory blackboard store passes the contract.</summary>
public sealed class InMemoryBlackboardStoreTests : BlackboardStoreContract
{
    protected override Task<IBlackboardStore> CreateStoreAsync() => Task.FromResult<IBlackboardStore>(new InMemoryBlackboardStore());
}
