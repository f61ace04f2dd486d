using Cadre.Storage;

namespace Cadre.Postgres.Memory;

/// <summary>The memory tables in PostgreSQL: rows with a generated, GIN-indexed <c>tsvector</c> over their search
/// terms, and the change log (with a <c>NOTIFY</c> on <see cref="Channel"/>) that a trigger writes on every change.</summary>
public sealed partial class PostgresMemoryStore
{
    private static readonly string Columns = MemoryRows.Columns("m.metadata::text");

    // The source column is JSON text (MemorySource); ->> reads a field as text, so trust compares with '1'.
    private static readonly MemoryFilterSql Filter = new('@', PostgresTimes.Instance,
        "m.metadata ->> {0} = {1}", "(m.source::jsonb ->> '{0}')", "'1'");

    private static readonly string[] Migrations =
    [
        """
        CREATE TABLE memories (
            seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            id text NOT NULL UNIQUE,
            tenant text NOT NULL,
            team text NOT NULL,
            agent text NOT NULL,
            text text NOT NULL,
            terms text NOT NULL,
            search tsvector GENERATED ALWAYS AS (setweight(to_tsvector('simple', terms), 'A')) STORED,
            fingerprint bytea NOT NULL,
            metadata jsonb NOT NULL DEFAULT '{}',
            importance double precision NOT NULL,
            created_at timestamptz NOT NULL,
            updated_at timestamptz NOT NULL,
            source text,
            embedding real[],
            embedding_model text);
        CREATE UNIQUE INDEX memories_fingerprint ON memories(tenant, team, agent, fingerprint);
        CREATE INDEX memories_by_scope ON memories(tenant, team, agent, created_at);
        CREATE INDEX memories_search ON memories USING gin (search);
        CREATE TABLE memory_changes (seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, memory_seq bigint NOT NULL);
        CREATE FUNCTION cadre_memory_changed() RETURNS trigger LANGUAGE plpgsql AS
        'BEGIN
            INSERT INTO memory_changes(memory_seq) VALUES (CASE WHEN TG_OP = ''DELETE'' THEN OLD.seq ELSE NEW.seq END);
            PERFORM pg_notify(''cadre_memory'', '''');
            RETURN NULL;
        END';
        CREATE TRIGGER memories_changed AFTER INSERT OR UPDATE OR DELETE ON memories FOR EACH ROW EXECUTE FUNCTION cadre_memory_changed();
        """,
    ];
}
