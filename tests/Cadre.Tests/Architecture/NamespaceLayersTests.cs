using System.Collections.Immutable;
using System.Reflection.Emit;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;

namespace Cadre.Tests.Architecture;

/// <summary>The namespaces of Cadre and Cadre.Abstractions depend only downwards, in the order docs/architecture.md
/// gives: a type may use types of its own layer and of the layers below it, never of one above. The dependencies are
/// read from the built assemblies, so they are what the code really uses: every type in a type's signatures (base
/// type, interfaces, fields, methods, properties, events, attributes, generic constraints) and in its method bodies
/// (the types, methods and fields the IL names, and the types of its locals), compiler-generated types (lambdas,
/// async state machines) counted as their enclosing type's.</summary>
public sealed class NamespaceLayersTests
{
    /// <summary>Lowest first; the same list as docs/architecture.md.</summary>
    private static readonly string[] Layers =
    [
        "Cadre.Security",
        "Cadre.Observability",
        "Cadre.Resilience",
        "Cadre.Conversations",
        "Cadre.Memory",
        "Cadre.Memory.Knowledge",
        "Cadre.Memory.Shared",
        "Cadre.Memory.Episodes",
        "Cadre.Tools",
        "Cadre.Tools.Mcp",
        "Cadre.Tools.Chains",
        "Cadre.Runs",
        "Cadre.Workspaces",
        "Cadre.Agents",
        "Cadre.Workflows",
        "Cadre.Models",
        "Cadre.Specs",
    ];

    /// <summary>Upward dependencies that are still there (docs/architecture.md says why). A new one fails the test;
    /// so does one of these once it is gone, so that the list only shrinks.</summary>
    private static readonly HashSet<string> KnownUpward = [];

    private static readonly Lazy<AssemblyGraph> Graph = new(() => AssemblyGraph.Read(
        typeof(Cadre.Agents.Agent).Assembly.Location, typeof(Cadre.Tools.ToolAttribute).Assembly.Location));

    [Fact]
    public void Every_namespace_has_a_layer()
    {
        var unplaced = Graph.Value.Namespaces.Except(Layers).Order().ToList();

        Assert.True(unplaced.Count == 0,
            $"Give these namespaces a layer in docs/architecture.md and in {nameof(NamespaceLayersTests)}.{nameof(Layers)}: {string.Join(", ", unplaced)}");
    }

    [Fact]
    public void No_namespace_depends_on_one_above_it_beyond_the_known_ones()
    {
        var added = Upward(Graph.Value).Where(e => !KnownUpward.Contains(e.Key)).Select(Describe).ToList();

        Assert.True(added.Count == 0,
            "These namespaces now depend on one above them (move the type down, or pass the value in):\n" + string.Join("\n", added));
    }

    [Fact]
    public void Every_known_upward_dependency_is_still_there()
    {
        var gone = KnownUpward.Except(Upward(Graph.Value).Keys).Order().ToList();

        Assert.True(gone.Count == 0,
            $"These are fixed; remove them from {nameof(KnownUpward)} and docs/architecture.md: {string.Join(", ", gone)}");
    }

    [Fact]
    public void The_reading_sees_real_dependencies_and_where_they_come_from()
    {
        var edges = Graph.Value.Edges;

        // Workflows run agents: the plainest downward dependency is seen, with the type that makes it and the one it uses.
        Assert.Contains(("Workflow", "Agent"), edges[("Cadre.Workflows", "Cadre.Agents")]);
        // A type reached only through a member is seen: an agent's context reads its workspace's summary store
        // (Workspace?.Memory.Summaries) and names WorkspaceMemory nowhere in its source.
        Assert.Contains(("AgentContext", "WorkspaceMemory"), edges[("Cadre.Agents", "Cadre.Workspaces")]);
        // So is a type used only in a method body, through a lambda the compiler moved to a class of its own: the
        // summarising reducer reads the ambient caller.
        Assert.Contains(("SummarizingReducer", "CallerContext"), edges[("Cadre.Conversations", "Cadre.Observability")]);
        // Both assemblies are read: the governed path (Cadre) uses the tool ledger's entries (Cadre.Abstractions), and
        // a namespace shared by the two is one namespace.
        Assert.DoesNotContain(("Cadre.Tools", "Cadre.Tools"), edges.Keys);
        Assert.Contains("Cadre.Tools", Graph.Value.Namespaces);
    }

    /// <summary>"From -> To" for each dependency on a higher layer, with the types that make it.</summary>
    private static Dictionary<string, SortedSet<(string Type, string Uses)>> Upward(AssemblyGraph graph)
    {
        var rank = Layers.Select((name, index) => (name, index)).ToDictionary(x => x.name, x => x.index);
        return graph.Edges
            .Where(e => rank.TryGetValue(e.Key.From, out var from) && rank.TryGetValue(e.Key.To, out var to) && to > from)
            .ToDictionary(e => $"{e.Key.From} -> {e.Key.To}", e => e.Value);
    }

    private static string Describe(KeyValuePair<string, SortedSet<(string Type, string Uses)>> edge) =>
        $"  {edge.Key}: " + string.Join("; ", edge.Value.Select(x => $"{x.Type} uses {x.Uses}"));

    /// <summary>The dependencies between the Cadre namespaces of some assemblies, as their metadata and IL say.</summary>
    private sealed class AssemblyGraph
    {
        private static readonly Dictionary<short, OperandType> Operands = typeof(OpCodes).GetFields()
            .Select(f => (OpCode)f.GetValue(null)!)
            .ToDictionary(o => o.Value, o => o.OperandType);

        public required IReadOnlySet<string> Namespaces { get; init; }

        /// <summary>Each dependency between two namespaces, with the types that make it and the types they use.</summary>
        public required Dictionary<(string From, string To), SortedSet<(string Type, string Uses)>> Edges { get; init; }

        public static AssemblyGraph Read(params string[] assemblies)
        {
            var namespaces = new HashSet<string>(StringComparer.Ordinal);
            var edges = new Dictionary<(string From, string To), SortedSet<(string Type, string Uses)>>();
            foreach (var path in assemblies)
            {
                using var pe = new PEReader(File.OpenRead(path));
                var reader = pe.GetMetadataReader();
                var provider = new TypeNames(reader);
                foreach (var handle in reader.TypeDefinitions)
                {
                    var (ns, name) = provider.Name(handle);
                    if (!IsCadre(ns))
                    {
                        continue;
                    }

                    namespaces.Add(ns);
                    foreach (var (usedNs, used) in Uses(pe, reader, provider, handle))
                    {
                        if (usedNs != ns && IsCadre(usedNs))
                        {
                            if (!edges.TryGetValue((ns, usedNs), out var evidence))
                            {
                                edges[(ns, usedNs)] = evidence = [];
                            }

                            evidence.Add((name, used));
                        }
                    }
                }
            }

            return new AssemblyGraph { Namespaces = namespaces, Edges = edges };
        }

        private static bool IsCadre(string ns) => ns == "Cadre" || ns.StartsWith("Cadre.", StringComparison.Ordinal);

        /// <summary>Every type a type definition uses in its signatures and its method bodies.</summary>
        private static IEnumerable<(string Namespace, string Name)> Uses(PEReader pe, MetadataReader reader, TypeNames provider, TypeDefinitionHandle handle)
        {
            var type = reader.GetTypeDefinition(handle);
            var found = new List<(string, string)>();
            found.AddRange(provider.Of(type.BaseType));
            foreach (var i in type.GetInterfaceImplementations())
            {
                found.AddRange(provider.Of(reader.GetInterfaceImplementation(i).Interface));
            }

            found.AddRange(Attributes(reader, provider, type.GetCustomAttributes()));
            found.AddRange(Constraints(reader, provider, type.GetGenericParameters()));
            foreach (var f in type.GetFields())
            {
                var field = reader.GetFieldDefinition(f);
                found.AddRange(field.DecodeSignature(provider, null));
                found.AddRange(Attributes(reader, provider, field.GetCustomAttributes()));
            }

            foreach (var p in type.GetProperties())
            {
                var property = reader.GetPropertyDefinition(p);
                found.AddRange(Flatten(property.DecodeSignature(provider, null)));
                found.AddRange(Attributes(reader, provider, property.GetCustomAttributes()));
            }

            foreach (var e in type.GetEvents())
            {
                found.AddRange(provider.Of(reader.GetEventDefinition(e).Type));
            }

            foreach (var m in type.GetMethods())
            {
                var method = reader.GetMethodDefinition(m);
                found.AddRange(Flatten(method.DecodeSignature(provider, null)));
                found.AddRange(Attributes(reader, provider, method.GetCustomAttributes()));
                found.AddRange(Constraints(reader, provider, method.GetGenericParameters()));
                if (method.RelativeVirtualAddress != 0)
                {
                    found.AddRange(Body(pe.GetMethodBody(method.RelativeVirtualAddress), reader, provider));
                }
            }

            return found;
        }

        private static IEnumerable<(string, string)> Attributes(MetadataReader reader, TypeNames provider, CustomAttributeHandleCollection attributes) =>
            attributes.SelectMany(a => provider.Of(reader.GetCustomAttribute(a).Constructor));

        private static IEnumerable<(string, string)> Constraints(MetadataReader reader, TypeNames provider, GenericParameterHandleCollection parameters) =>
            parameters.SelectMany(p => reader.GetGenericParameter(p).GetConstraints())
                .SelectMany(c => provider.Of(reader.GetGenericParameterConstraint(c).Type));

        private static IEnumerable<(string, string)> Flatten(MethodSignature<IReadOnlyList<(string, string)>> signature) =>
            signature.ReturnType.Concat(signature.ParameterTypes.SelectMany(p => p));

        /// <summary>The types, methods and fields a method body's IL names, and the types of its locals.</summary>
        private static List<(string, string)> Body(MethodBodyBlock body, MetadataReader reader, TypeNames provider)
        {
            var found = new List<(string, string)>();
            if (!body.LocalSignature.IsNil)
            {
                foreach (var local in reader.GetStandaloneSignature(body.LocalSignature).DecodeLocalSignature(provider, null))
                {
                    found.AddRange(local);
                }
            }

            var il = body.GetILReader();
            while (il.RemainingBytes > 0)
            {
                short code = il.ReadByte();
                if (code == 0xFE)
                {
                    code = unchecked((short)(0xFE00 | il.ReadByte()));
                }

                switch (Operands[code])
                {
                    case OperandType.InlineNone:
                        break;
                    case OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar:
                        il.Offset += 1;
                        break;
                    case OperandType.InlineVar:
                        il.Offset += 2;
                        break;
                    case OperandType.InlineI8 or OperandType.InlineR:
                        il.Offset += 8;
                        break;
                    case OperandType.InlineSwitch:
                        il.Offset += 4 * il.ReadInt32();
                        break;
                    case OperandType.InlineField or OperandType.InlineMethod or OperandType.InlineTok or OperandType.InlineType:
                        found.AddRange(provider.Of(MetadataTokens.EntityHandle(il.ReadInt32())));
                        break;
                    default:
                        // InlineBrTarget, InlineI, InlineSig, InlineString, ShortInlineR: four bytes that name no type.
                        il.Offset += 4;
                        break;
                }
            }

            return found;
        }
    }

    /// <summary>Names the types a handle or a signature mentions, by namespace and top-level name (a nested type,
    /// compiler-generated or not, counts as its outermost type).</summary>
    private sealed class TypeNames(MetadataReader reader) : ISignatureTypeProvider<IReadOnlyList<(string Namespace, string Name)>, object?>
    {
        private static readonly IReadOnlyList<(string, string)> None = [];

        public (string Namespace, string Name) Name(TypeDefinitionHandle handle)
        {
            var type = reader.GetTypeDefinition(handle);
            var outer = type.GetDeclaringType();
            return outer.IsNil ? (reader.GetString(type.Namespace), reader.GetString(type.Name)) : Name(outer);
        }

        public (string Namespace, string Name) Name(TypeReferenceHandle handle)
        {
            var type = reader.GetTypeReference(handle);
            return type.ResolutionScope.Kind == HandleKind.TypeReference
                ? Name((TypeReferenceHandle)type.ResolutionScope)
                : (reader.GetString(type.Namespace), reader.GetString(type.Name));
        }

        /// <summary>The types a type, member or signature handle names.</summary>
        public IReadOnlyList<(string Namespace, string Name)> Of(EntityHandle handle)
        {
            if (handle.IsNil)
            {
                // An interface's or <Module>'s base type.
                return None;
            }

            switch (handle.Kind)
            {
                case HandleKind.TypeDefinition:
                    return [Name((TypeDefinitionHandle)handle)];
                case HandleKind.TypeReference:
                    return [Name((TypeReferenceHandle)handle)];
                case HandleKind.TypeSpecification:
                    return reader.GetTypeSpecification((TypeSpecificationHandle)handle).DecodeSignature(this, null);
                case HandleKind.MethodDefinition:
                    return [Name(reader.GetMethodDefinition((MethodDefinitionHandle)handle).GetDeclaringType())];
                case HandleKind.FieldDefinition:
                    return [Name(reader.GetFieldDefinition((FieldDefinitionHandle)handle).GetDeclaringType())];
                case HandleKind.MethodSpecification:
                    var spec = reader.GetMethodSpecification((MethodSpecificationHandle)handle);
                    return [.. Of(spec.Method), .. spec.DecodeSignature(this, null).SelectMany(t => t)];
                case HandleKind.MemberReference:
                    var member = reader.GetMemberReference((MemberReferenceHandle)handle);
                    var parent = member.Parent.Kind is HandleKind.ModuleReference ? None : Of(member.Parent);
                    return member.GetKind() == MemberReferenceKind.Method
                        ? [.. parent, .. member.DecodeMethodSignature(this, null) is var m ? m.ReturnType.Concat(m.ParameterTypes.SelectMany(p => p)) : []]
                        : [.. parent, .. member.DecodeFieldSignature(this, null)];
                default:
                    return None;
            }
        }

        public IReadOnlyList<(string, string)> GetArrayType(IReadOnlyList<(string, string)> elementType, ArrayShape shape) => elementType;

        public IReadOnlyList<(string, string)> GetByReferenceType(IReadOnlyList<(string, string)> elementType) => elementType;

        public IReadOnlyList<(string, string)> GetFunctionPointerType(MethodSignature<IReadOnlyList<(string, string)>> signature) =>
            [.. signature.ReturnType, .. signature.ParameterTypes.SelectMany(p => p)];

        public IReadOnlyList<(string, string)> GetGenericInstantiation(IReadOnlyList<(string, string)> genericType, ImmutableArray<IReadOnlyList<(string, string)>> typeArguments) =>
            [.. genericType, .. typeArguments.SelectMany(a => a)];

        public IReadOnlyList<(string, string)> GetGenericMethodParameter(object? genericContext, int index) => None;

        public IReadOnlyList<(string, string)> GetGenericTypeParameter(object? genericContext, int index) => None;

        public IReadOnlyList<(string, string)> GetModifiedType(IReadOnlyList<(string, string)> modifier, IReadOnlyList<(string, string)> unmodifiedType, bool isRequired) => unmodifiedType;

        public IReadOnlyList<(string, string)> GetPinnedType(IReadOnlyList<(string, string)> elementType) => elementType;

        public IReadOnlyList<(string, string)> GetPointerType(IReadOnlyList<(string, string)> elementType) => elementType;

        public IReadOnlyList<(string, string)> GetPrimitiveType(PrimitiveTypeCode typeCode) => None;

        public IReadOnlyList<(string, string)> GetSZArrayType(IReadOnlyList<(string, string)> elementType) => elementType;

        public IReadOnlyList<(string, string)> GetTypeFromDefinition(MetadataReader metadata, TypeDefinitionHandle handle, byte rawTypeKind) => [Name(handle)];

        public IReadOnlyList<(string, string)> GetTypeFromReference(MetadataReader metadata, TypeReferenceHandle handle, byte rawTypeKind) => [Name(handle)];

        public IReadOnlyList<(string, string)> GetTypeFromSpecification(MetadataReader metadata, object? genericContext, TypeSpecificationHandle handle, byte rawTypeKind) =>
            metadata.GetTypeSpecification(handle).DecodeSignature(this, genericContext);
    }
}
