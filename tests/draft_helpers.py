"""Hand-built reply drafts for the channel renderer tests: a numbered list of sellers with price badges, and
a question with two quick answers."""

from __future__ import annotations

from agent.reply_draft import DraftChoice, DraftItem, PriceBadge, ReplyDraft

SELLERS = ReplyDraft(
    headline="GAA26800LC1 (Otis door operator board) is for sale in 3 places near you:",
    numbered=True,
    items=[
        DraftItem(kind="listing", title="Keystone Elevator Supply, Denver – refurbished, $4,650.00, ships today",
                  short="Keystone, refurb, $4,650", facts=["12.4 km away", "2 available"],
                  badge=PriceBadge(verdict="fair", label="Fair price (market $4,700)"),
                  ref={"kind": "listing", "id": "5b0c1f8e-0d1b-4c55-9a53-1d2f3e4a5b6c"}),
        DraftItem(kind="listing", title="Apex Elevator Parts, Aurora – new, $5,900.00, 2-day shipping",
                  short="Apex, new, $5,900", facts=["18.0 km away"],
                  badge=PriceBadge(verdict="above_market", label="Above average (market $5,200)")),
        DraftItem(kind="listing", title="Front Range Salvage, Golden – used, $3,100.00, pickup only",
                  short="Front Range, used, $3,100", facts=["25.3 km away", "1 available", "Tested 2024"]),
    ],
    question="Which one should I make an offer on?",
)

NO_MATCH = ReplyDraft(
    headline="I found no part matching “blue door widget”.",
    question="Search the marketplace instead?",
    choices=[DraftChoice(label="Search the marketplace", say="search the marketplace for a blue door widget"),
             DraftChoice(label="Not now", say="no thanks")],
    kind="clarify",
)

PICKED = ReplyDraft(headline="Apex Elevator Parts asks $5,900.00 for a new GAA26800LC1.",
                    question="What should I offer per unit?")
