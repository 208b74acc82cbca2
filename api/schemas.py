"""Response shapes shared by the routers: pages of results and the paging query parameters."""

from typing import Annotated, Generic, TypeVar

from fastapi import Depends, Query
from pydantic import BaseModel, Field

T = TypeVar("T")

MAX_PAGE_SIZE = 100


class PageParams(BaseModel):
    """Seed 000's pagination: 1-based `page`, `page_size` items per page."""

    page: int = 1
    page_size: int = 20

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.page_size

    @property
    def end(self) -> int:
        return self.page * self.page_size


def page_dependency(max_size: int) -> object:
    """A dependency reading `page` and `page_size` (at most `max_size`) from the query. (This module keeps
    eager annotations: FastAPI must resolve `max_size` inside the closure.)"""

    def page_params(
        page: Annotated[int, Query(ge=1, le=10_000, description="1-based page number")] = 1,
        page_size: Annotated[int, Query(ge=1, le=max_size, description="Items per page")] = 20,
    ) -> PageParams:
        return PageParams(page=page, page_size=page_size)

    return Depends(page_params)


PageDep = Annotated[PageParams, page_dependency(MAX_PAGE_SIZE)]


class Page(BaseModel, Generic[T]):
    """One page of results; `total` counts all matches when known, `has_more` says whether a next page exists."""

    items: list[T]
    page: int
    page_size: int
    total: int | None = Field(default=None, description="All matching items, when the source can count them")
    has_more: bool


def paginate(items: list[T], params: PageParams, total: int | None = None) -> Page[T]:
    """Slice a full result list (or take an already-sliced one when `total` is given) into a Page."""
    if total is None:
        window = items[params.offset:params.end]
        return Page[T](items=window, page=params.page, page_size=params.page_size, total=len(items),
                       has_more=len(items) > params.end)
    return Page[T](items=items, page=params.page, page_size=params.page_size, total=total,
                   has_more=total > params.end)
