using Cadre.Testing.Contracts;
using Cadre.Tools;

namespace Cadre.Tests.Security;

public sealed class InMemoryToolLimitStoreTests : ToolLimitStoreContract
{
    protected override Task<IToolLimitStore> OpenAsync() => Task.FromResult<IToolLimitStore>(new InMemoryToolLimitStore());
}
