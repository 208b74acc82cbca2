// A planner's structured reply (the `data-reply` part, agent/reply_draft.py): the headline, an item card per
// thing it shows (facts, fair-price badge), notes, the question, and buttons for its choices. A button sends
// what the choice says as the person's next message. Built with textContent only.
import { el } from "./cards.js";

// Documents the item links to (an invoice's PDF): `linker.open(link)` fetches one with the chat's own key and
// saves it; `linker.href(url)` is where it is (an API path resolved against the chat's server).
function linkRow(links, linker) {
  const anchors = (links || []).filter((link) => link && link.url).map((link) => {
    const anchor = el("a", { class: "pp-link", href: linker.href(link.url), download: link.download || "", text: link.label });
    anchor.addEventListener("click", (event) => { event.preventDefault(); linker.open(link, anchor); });
    return anchor;
  });
  return anchors.length ? el("p", { class: "pp-links" }, ...anchors) : null;
}

function itemCard(item, number, linker) {
  const badge = item.badge
    ? el("span", { class: `pp-badge pp-badge-${String(item.badge.verdict).replace(/[^a-z_]/g, "")}`, text: item.badge.label })
    : null;
  const facts = (item.facts || []).filter(Boolean);
  return el("article", { class: "pp-card pp-item", "aria-label": number ? `${number}. ${item.title}` : item.title },
    el("header", {}, number ? el("span", { class: "pp-rank", text: `${number}.` }) : null,
      el("strong", { class: "pp-title", text: item.title })),
    badge ? el("p", { class: "pp-price" }, badge) : null,
    facts.length ? el("ul", { class: "pp-facts" }, ...facts.map((fact) => el("li", { text: fact }))) : null,
    linkRow(item.links, linker));
}

// `say(text, button)` sends a choice; `live` is false for replies replayed from history (their buttons start
// disabled: a later message has already answered them); `linker` follows an item's links (see linkRow).
export function replyView(draft, say, live = true, linker = { href: (url) => url, open: () => {} }) {
  const buttons = [];
  const button = (label, spoken, ariaLabel) => {
    const node = el("button", { type: "button", class: "pp-choice", text: label, "aria-label": ariaLabel || null,
      disabled: live ? null : "" });
    node.addEventListener("click", () => say(spoken, node));
    buttons.push(node);
    return node;
  };
  const items = draft.items || [];
  const cards = items.map((item, i) => {
    const number = draft.numbered ? i + 1 : null;
    const card = itemCard(item, number, linker);
    if (number) { card.append(el("div", { class: "pp-actions" }, button("Choose", String(number), `Choose ${number}: ${item.title}`))); }
    return card;
  });
  const choices = (draft.choices || []).map((choice) => button(choice.label, choice.say));
  const node = el("div", { class: "pp-reply" },
    draft.headline ? el("p", { class: "pp-text pp-headline", text: draft.headline }) : null,
    cards.length ? el("div", { class: "pp-cards" }, ...cards) : null,
    ...(draft.notes || []).map((note) => el("p", { class: "pp-muted pp-note", text: note })),
    draft.question ? el("p", { class: "pp-text pp-question", text: draft.question }) : null,
    choices.length ? el("div", { class: "pp-choices", role: "group", "aria-label": "Quick answers" }, ...choices) : null);
  return { node, buttons };
}
