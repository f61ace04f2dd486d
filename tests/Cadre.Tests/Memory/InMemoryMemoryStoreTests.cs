using Cadre.Memory;
using Cadre.Testing.Contracts;

namespace Cadre.Tests.Memory;

/// <summary>The in-memory store passes the long-term memory contract.</summary>
public sealed class InMemoryMemoryStoreTests : MemoryStoreContract
{
    protected override Task<IMemoryStore> CreateStoreAsync() => Task.FromResult<IMemoryStore>(new InMemoryMemoryStore());
}
