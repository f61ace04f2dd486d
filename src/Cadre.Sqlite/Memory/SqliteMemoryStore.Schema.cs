using Cadre.Storage;

namespace Cadre.Sqlite.Memory;

/// <summary>The memory tables in SQLite: rows, the FTS5 index over their search terms and the change log that keeps
/// every process's vector index current, both written by triggers.</summary>
public sealed partial class SqliteMemoryStore
{
    private static readonly string Columns = MemoryRows.Columns("m.metadata");

    // Memory times are Unix milliseconds (INTEGER), unlike the other SQLite stores' text.
    private static readonly IStoreTimes Times = UnixMillisecondTimes.Instance;

    private static readonly MemoryFilterSql Filter = new('$', Times,
        "EXISTS (SELECT 1 FROM json_each(m.metadata) j WHERE j.key = {0} AND j.value = {1})", "json_extract(m.source, '$.{0}')", "1");

    private static readonly string[] Migrations =
    [
        """
        CREATE TABLE memories (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            id TEXT NOT NULL UNIQUE,
            tenant TEXT NOT NULL,
            team TEXT NOT NULL,
            agent TEXT NOT NULL,
            text TEXT NOT NULL,
            terms TEXT NOT NULL,
            fingerprint BLOB NOT NULL,
            metadata TEXT NOT NULL DEFAULT '{}',
            importance REAL NOT NULL,
            created_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL,
            source TEXT,
            embedding BLOB,
            embedding_model TEXT);
        CREATE UNIQUE INDEX memories_fingerprint ON memories(tenant, team, agent, fingerprint);
        CREATE INDEX memories_by_scope ON memories(tenant, team, agent, created_at);
        CREATE TABLE memory_changes (seq INTEGER PRIMARY KEY AUTOINCREMENT, memory_seq INTEGER NOT NULL);
        CREATE VIRTUAL TABLE memories_fts USING fts5(terms, content='memories', content_rowid='seq', tokenize='unicode61 remove_diacritics 0');
        CREATE VIRTUAL TABLE memories_vocab USING fts5vocab(memories_fts, 'row');
        CREATE TRIGGER memories_inserted AFTER INSERT ON memories BEGIN
            INSERT INTO memories_fts(rowid, terms) VALUES (new.seq, new.terms);
            INSERT INTO memory_changes(memory_seq) VALUES (new.seq);
        END;
        CREATE TRIGGER memories_deleted AFTER DELETE ON memories BEGIN
            INSERT INTO memories_fts(memories_fts, rowid, terms) VALUES ('delete', old.seq, old.terms);
            INSERT INTO memory_changes(memory_seq) VALUES (old.seq);
        END;
        CREATE TRIGGER memories_updated AFTER UPDATE ON memories BEGIN
            INSERT INTO memories_fts(memories_fts, rowid, terms) VALUES ('delete', old.seq, old.terms);
            INSERT INTO memories_fts(rowid, terms) VALUES (new.seq, new.terms);
            INSERT INTO memory_changes(memory_seq) VALUES (new.seq);
        END;
        """,
    ];
}
