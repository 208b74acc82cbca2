"""The MCP resources (a part, a listing: read through their tools, as the caller) and the prompts for the jobs
people bring to Partpilot most often."""

from __future__ import annotations

from typing import Any

from mcp.server.mcpserver import Context, MCPServer
from mcp.server.mcpserver.exceptions import ResourceError, ResourceNotFoundError

from api.mcp.bridge import Backend
from tools.registry import invoke
from tools.results import ToolFailure

PART_URI = "partpilot://parts/{part_id}"
LISTING_URI = "partpilot://listings/{listing_id}"


async def _read(backend: Backend, ctx: Context[Any, Any], tool: str, args: dict[str, Any]) -> str:
    caller = await backend.caller_of(ctx)
    output = await backend.run(invoke, caller, tool, args)
    if isinstance(output, ToolFailure):
        raise (ResourceNotFoundError if output.error in ("not_found", "invalid") else ResourceError)(output.message)
    text: str = output.model_dump_json(indent=2)
    return text


def add_resources(server: MCPServer[Any], backend: Backend) -> None:
    @server.resource(PART_URI, name="part", title="Catalog part", mime_type="application/json",
                     description="A catalog part by id (as get_part returns it): numbers, supersession, "
                                 "compatibility, specifications.")
    async def part(part_id: str, ctx: Context[Any, Any]) -> str:
        return await _read(backend, ctx, "get_part", {"part_id": part_id})

    @server.resource(LISTING_URI, name="listing", title="Marketplace listing", mime_type="application/json",
                     description="A marketplace listing by id, as get_listing returns it (only listings you may see).")
    async def listing(listing_id: str, ctx: Context[Any, Any]) -> str:
        return await _read(backend, ctx, "get_listing", {"listing_id": listing_id})


def add_prompts(server: MCPServer[Any]) -> None:
    @server.prompt(title="Find a part by number")
    def find_part_by_number(part_number: str, equipment_model: str = "") -> str:
        """Look up a part number (typos and superseded numbers are fine) and check it fits the equipment."""
        fits = f" Then check that it fits {equipment_model} with check_compatibility." if equipment_model else ""
        return (f"Find part number {part_number} with lookup_part; if it was superseded, follow the chain to the "
                f"current number and say so.{fits} Answer with the part, its manufacturer and whether it fits.")

    @server.prompt(title="Source the fastest for a job")
    def source_fastest(part_number: str, quantity: int = 1, site: str = "") -> str:
        """Find where a part can be had fastest (own stock, partners, suppliers, marketplace) and whether the price
        is fair."""
        where = f" for the job at {site}" if site else ""
        return (f"I need {quantity} × {part_number}{where} as fast as possible. Use find_inventory (emergency if it "
                "is urgent), list_suppliers and search_listings; rank the options by time to site, then price, and "
                "check the best price with assess_price. Do not order anything until I confirm.")

    @server.prompt(title="Draft a listing")
    def draft_listing(part_number: str, condition: str = "used_good", quantity: int = 1) -> str:
        """Draft a marketplace listing for a spare part, with a suggested price."""
        return (f"Draft a sale listing for {quantity} × {part_number} in condition {condition}. Get a price with "
                "suggest_price and explain it; then create it with create_listing as a draft (not published) and "
                "show me the summary before anything is saved.")

    @server.prompt(title="Answer offers")
    def answer_offers(listing_id: str = "") -> str:
        """Go through the offers received (on one listing or all) and propose an answer to each."""
        scope = f" on listing {listing_id}" if listing_id else ""
        return (f"List the pending offers I received{scope} with list_offers (direction received). For each, compare "
                "the price with assess_price and propose accept, counter (with a price) or reject, in one line each. "
                "Answer with respond_to_offer only for the ones I confirm.")
