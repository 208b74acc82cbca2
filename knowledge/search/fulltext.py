"""The full-text signal: the query's discriminating words, matched all together first, then any of them.

A technician's description mixes telling words ("intellivue", "spo2") with words a tenth of the catalog
carries ("sensor", "3"). ORing everything makes Postgres rank tens of thousands of rows at 100k parts,
more than the whole search budget. Document frequencies (the `part_term_stats` view) say which words
discriminate: parts carrying every word rank first; then parts found by any of the few rarest words,
ranked by all the words. A query of one common word gets no full-text signal; vectors carry it.
"""

from __future__ import annotations

# The rarest words ORed; each may match at most this share of the catalog (within these bounds).
RARE_SHARE = 0.02
RARE_MIN_DOCS = 50
RARE_MAX_DOCS = 500
RARE_WORDS = 4
# Rows carrying every word rank above rows carrying some: ts_rank stays well below this.
ALL_WORDS_BONUS = 10.0

# A typed word is found by its English stem or by itself ("otis" is 'oti' in descriptions and 'otis' as a
# manufacturer): each word's forms are alternatives, and the word is as common as its commonest form.
_TERMS = (
    "SELECT g.word, g.forms, g.ndoc, row_number() OVER (ORDER BY g.ndoc, g.word) AS rarity FROM ("
    "SELECT w.word, array_to_string(array_agg(s.word), ' | ') AS forms, max(s.ndoc) AS ndoc "
    "FROM regexp_split_to_table(:ftext, ' ') AS w(word) JOIN part_term_stats s "
    "ON s.word = ANY(tsvector_to_array(to_tsvector('english', w.word) || to_tsvector('simple', w.word))) "
    "GROUP BY w.word) g"
)
_CUTOFF = (
    f"SELECT least(greatest({RARE_MIN_DOCS}, {RARE_SHARE} * reltuples), {RARE_MAX_DOCS}) AS docs "
    "FROM pg_class WHERE oid = 'parts_catalog'::regclass"
)
_QUERIES = (
    "SELECT CASE WHEN count(*) > 1 THEN to_tsquery('simple', string_agg('(' || t.forms || ')', ' & ')) END "
    "AS every, to_tsquery('simple', string_agg(t.forms, ' | ') FILTER (WHERE t.ndoc <= c.docs AND t.rarity <= "
    f"{RARE_WORDS})) AS rare, to_tsquery('simple', string_agg(t.forms, ' | ')) AS any_word "
    f"FROM ({_TERMS}) t, ({_CUTOFF}) c"
)
# Rows found by the rare words, ranked cheaply by them; the best few are then ranked by every word.
SHORTLIST = 200


def fulltext_sql(where: str) -> str:
    """Two ranked selects (every word; any rare word), for the legs' UNION ALL. Needs :ftext and :k."""
    every = "ts_rank(p.search_vector, q.every)"
    return (
        f"(SELECT p.id, 'fulltext' AS leg, (-{every} - {ALL_WORDS_BONUS})::float8 AS sort_key, "
        f"{every}::float8 AS strength, p.part_number_norm FROM parts_catalog p, ({_QUERIES}) q "
        f"WHERE q.every IS NOT NULL AND p.search_vector @@ q.every AND {where} ORDER BY {every} DESC LIMIT :k)"
        " UNION ALL "
        f"(WITH q AS ({_QUERIES}), shortlist AS (SELECT p.id, p.search_vector, p.part_number_norm "
        f"FROM parts_catalog p, q WHERE q.rare IS NOT NULL AND p.search_vector @@ q.rare AND {where} "
        f"ORDER BY ts_rank(p.search_vector, q.rare) DESC LIMIT {SHORTLIST}) "
        "SELECT s.id, 'fulltext' AS leg, (-ts_rank(s.search_vector, q.any_word))::float8 AS sort_key, "
        "ts_rank(s.search_vector, q.any_word)::float8 AS strength, s.part_number_norm FROM shortlist s, q "
        "ORDER BY ts_rank(s.search_vector, q.any_word) DESC LIMIT :k)"
    )
