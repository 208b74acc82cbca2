"""The knowledge store: one Postgres + pgvector database, its models, migrations, seed world and search."""
