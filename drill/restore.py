"""Backup and restore as an operator runs them (README, "Backup and restore"): `pg_dump -Fc` of the portal's
database, `pg_restore` into a new, empty database, then every table compared: its row count and a checksum
of its rows in primary-key order (the md5 of every row's text, aggregated), the same on both sides; and
every sequence's last value."""

import time
from pathlib import Path

from drill.cluster import Cluster

_TABLES = """
SELECT c.relname,
       coalesce((SELECT string_agg(quote_ident(a.attname), ', ' ORDER BY k.n)
                 FROM pg_index i
                 CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, n)
                 JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
                 WHERE i.indrelid = c.oid AND i.indisprimary), '')
FROM pg_class c JOIN pg_namespace s ON s.oid = c.relnamespace
WHERE s.nspname = 'public' AND c.relkind = 'r'
ORDER BY c.relname
"""


def tables(cluster: Cluster, dbname: str) -> list[tuple[str, str]]:
    """(table, its primary key's columns) of the public schema."""
    with cluster.connect(dbname, autocommit=True) as conn:
        return conn.execute(_TABLES).fetchall()


def fingerprint(cluster: Cluster, dbname: str) -> dict[str, tuple[int, str]]:
    """{table: (rows, checksum)}; rows in primary-key order (whole-row order for a table without one)."""
    found = {}
    with cluster.connect(dbname, autocommit=True) as conn:
        for table, key in tables(cluster, dbname):
            order = key or "t::text"
            rows, checksum = conn.execute(
                f"SELECT count(*), coalesce(md5(string_agg(md5(t::text), '' ORDER BY {order})), '') "
                f'FROM public."{table}" AS t'
            ).fetchone()
            found[table] = (rows, checksum)
        # Sequences too: a restored database must go on numbering where the original stopped.
        for name, last in conn.execute("SELECT sequencename, last_value FROM pg_sequences"):
            found[f"sequence {name}"] = (0, str(last))
    return found


def backup_and_restore(cluster: Cluster, dbname: str, directory: Path) -> dict:
    """Dump `dbname`, restore it into `<dbname>_restored`, compare every table."""
    dump = directory / f"{dbname}.dump"
    started = time.monotonic()
    cluster.tool("pg_dump", "-Fc", "-d", dbname, "-f", str(dump))
    dump_s = time.monotonic() - started
    restored = f"{dbname}_restored"
    cluster.create_database(restored)
    started = time.monotonic()
    cluster.tool("pg_restore", "--no-owner", "--exit-on-error", "-j", "2", "-d", restored, str(dump))
    restore_s = time.monotonic() - started
    source, copy = fingerprint(cluster, dbname), fingerprint(cluster, restored)
    mismatches = sorted(table for table in set(source) | set(copy) if source.get(table) != copy.get(table))
    return {
        "restore_tables": sum(1 for name in source if not name.startswith("sequence ")),
        "restore_sequences": sum(1 for name in source if name.startswith("sequence ")),
        "restore_rows": sum(rows for rows, _ in source.values()),
        "restore_mismatches": len(mismatches),
        "mismatched": mismatches[:10],
        "dump_mb": round(dump.stat().st_size / 2**20, 1),
        "dump_s": round(dump_s, 1),
        "restore_s": round(restore_s, 1),
        "without_key": sum(1 for _, key in tables(cluster, dbname) if not key),
    }
