using System.Globalization;
using Microsoft.Extensions.AI;

namespace Cadre.Memory.Knowledge;

/// <summary>
/// Reads a text with a model and records what it states in the knowledge graph: entities and concepts with
/// descriptions, and facts — a fact the model marks as replacing the previous one supersedes it (closed, not erased).
/// What the model returns that cannot be recorded is reported, never thrown.
/// </summary>
public sealed class KnowledgeExtractor
{
    private readonly IChatClient _model;
    private readonly KnowledgeGraph _graph;

    /// <summary>Creates an extractor; it keeps no state between texts.</summary>
    /// <param name="model">The model that reads texts.</param>
    /// <param name="graph">The graph the entities and facts are recorded in, with its clock.</param>
    public KnowledgeExtractor(IChatClient model, KnowledgeGraph graph)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(graph);
        _model = model;
        _graph = graph;
    }

    /// <summary>Extracts entities and facts from a text and records them.</summary>
    /// <param name="text">The text to read, not blank; sent to the model whole, in one call.</param>
    /// <param name="scope">Where to record them.</param>
    /// <param name="source">Where the text came from.</param>
    /// <param name="cancellationToken">Cancels the work; the call then throws <see cref="OperationCanceledException"/>.</param>
    public async Task<KnowledgeExtraction> ExtractAsync(string text, MemoryScope scope, MemorySource? source = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(text);
        ArgumentNullException.ThrowIfNull(scope);
        source ??= new MemorySource("extractor") { Kind = MemorySourceKind.Agent };
        var (extracted, problem) = await StructuredReply.AskAsync<ExtractedKnowledge>(_model,
        [
            new(ChatRole.System,
                "You build a knowledge graph. From the text, list the entities (people, organisations, products, places, concepts) with a type " +
                "and, for concepts, a one-sentence description; and the facts the text states, as subject, relation, object. Use the names as " +
                "written. Mark a fact as replacing the previous one when the subject can hold only one such object at a time. State only what the " +
                "text says."),
            new(ChatRole.User, text),
        ], cancellationToken);
        if (extracted is null)
        {
            return new KnowledgeExtraction([], [], [problem!]);
        }

        var problems = new List<string>();
        var entities = new List<Entity>();
        foreach (var entity in extracted.Entities)
        {
            if (string.IsNullOrWhiteSpace(entity.Name))
            {
                problems.Add("an entity without a name was skipped");
                continue;
            }

            entities.Add(await _graph.DefineAsync(entity.Name, scope, entity.Type, entity.Description, cancellationToken));
        }

        var facts = new List<FactWrite>();
        foreach (var fact in extracted.Facts)
        {
            if (string.IsNullOrWhiteSpace(fact.Subject) || string.IsNullOrWhiteSpace(fact.Object) || Fact.RelationOf(fact.Relation).Length == 0)
            {
                problems.Add($"the fact '{fact.Subject} {fact.Relation} {fact.Object}' lacks a subject, relation or object and was skipped");
                continue;
            }

            DateTimeOffset? validFrom = null;
            if (!string.IsNullOrWhiteSpace(fact.ValidFrom))
            {
                if (DateTimeOffset.TryParse(fact.ValidFrom, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
                {
                    validFrom = parsed;
                }
                else
                {
                    problems.Add($"the date '{fact.ValidFrom}' of '{fact.Subject} {fact.Relation} {fact.Object}' is not a date; it was recorded as true from now");
                }
            }

            var written = await _graph.AssertAsync(fact.Subject, fact.Relation, fact.Object, scope, new FactOptions
            {
                ObjectIsValue = fact.ObjectIsValue,
                Exclusive = fact.ReplacesPrevious,
                ValidFrom = validFrom,
                Source = source,
            }, cancellationToken);
            foreach (var kept in written.Contradicted)
            {
                problems.Add($"'{fact.Subject} {fact.Relation} {fact.Object}' contradicts {kept.Id} ('{kept.Subject} {kept.Relation} {kept.Object}'), which the operator wrote; both are kept");
            }

            facts.Add(written);
        }

        return new KnowledgeExtraction(entities, facts, problems);
    }
}
