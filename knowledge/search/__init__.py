"""Hybrid part search over the catalog."""

from knowledge.search.hybrid import SearchFilters, SearchHit, SearchResponse, search_parts
from knowledge.search.query import MAX_QUERY_CHARS, SearchQueryError

__all__ = ["MAX_QUERY_CHARS", "SearchFilters", "SearchHit", "SearchQueryError", "SearchResponse", "search_parts"]
