// Cards for tool outputs (parts, where to get them, listings, price checks, photo matches), shown only for
// replies that come without a planner's draft (reply.js renders those); `data-price` badges fill their slots.
// Built with textContent only: tool outputs carry seller- and label-written text, never markup.

export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) { continue; }
    if (key === "class") { node.className = value; } else if (key === "text") { node.textContent = value; } else { node.setAttribute(key, value); }
  }
  for (const child of children) { if (child) { node.append(child); } }
  return node;
}

const usd = new Intl.NumberFormat("en-US", { style: "currency", currency: "USD", maximumFractionDigits: 2 });
export const money = (v) => (v === null || v === undefined || v === "" ? null : usd.format(Number(v)));
const km = (d) => (d === null || d === undefined ? null : `${Number(d).toFixed(1)} km away`);
const words = (s) => (s ? String(s).replace(/_/g, " ") : "");
const MAX_CARDS = 3;
// Streamed outputs are previews (agent/events.py compact_output): lists end with "… N more", deep values are
// summaries such as "[4 items]". Use only the objects and real arrays.
const items = (v) => (Array.isArray(v) ? v.filter((x) => x && typeof x === "object") : []);
const list = (v) => (Array.isArray(v) ? v.filter((x) => typeof x === "string" && !x.startsWith("… ")) : []);

export const quoteKey = (partNumber, condition, price) => `quote:${partNumber}:${condition}:${Number(price).toFixed(2)}`;

function badgeSlot(key) {
  return el("span", { class: "pp-badge pp-badge-pending", "data-price-key": key, hidden: "" });
}

export function applyBadge(root, assessment) {
  const keys = [];
  if (assessment.listingId) { keys.push(`listing:${assessment.listingId}`); }
  if (assessment.partNumber && assessment.price) { keys.push(quoteKey(assessment.partNumber, assessment.condition, assessment.price)); }
  for (const key of keys) {
    for (const slot of root.querySelectorAll(`[data-price-key="${CSS.escape(key)}"]`)) {
      slot.textContent = assessment.label;
      slot.className = `pp-badge pp-badge-${assessment.verdict}`;
      slot.title = assessment.evidence || "";
      slot.removeAttribute("hidden");
    }
  }
}

function card({ rank, partNumber, manufacturer, name, price, priceNote, badgeKey, where, distance, stock, note }) {
  const priceLine = price ? el("p", { class: "pp-price" }, el("span", { text: price }), priceNote ? el("span", { class: "pp-muted", text: ` ${priceNote}` }) : null, badgeKey ? badgeSlot(badgeKey) : null) : null;
  return el("article", { class: "pp-card", "aria-label": `${partNumber} ${manufacturer || ""}`.trim() },
    el("header", {}, rank ? el("span", { class: "pp-rank", text: `${rank}.` }) : null, el("strong", { class: "pp-pn", text: partNumber }), manufacturer ? el("span", { class: "pp-mfr", text: manufacturer }) : null),
    name ? el("p", { class: "pp-name", text: name }) : null,
    priceLine,
    where || distance ? el("p", { class: "pp-where", text: [where, distance].filter(Boolean).join(" · ") }) : null,
    stock ? el("p", { class: "pp-stock", text: stock }) : null,
    note ? el("p", { class: "pp-note", text: note }) : null);
}

function searchParts(out) {
  return items(out.results).slice(0, MAX_CARDS).map((r, i) => card({
    rank: i + 1, partNumber: r.part_number, manufacturer: r.manufacturer, name: r.name,
    price: money(r.msrp), priceNote: r.msrp ? "MSRP" : null,
    note: r.superseded_by ? `Superseded by ${r.superseded_by}` : list(r.compatible_equipment).length ? `Fits ${list(r.compatible_equipment).join(", ")}` : null,
  }));
}

function lookupPart(out) {
  return items(out.matches).slice(0, 1).map((m) => card({
    partNumber: m.part_number, manufacturer: m.manufacturer, name: m.name, price: money(m.msrp), priceNote: m.msrp ? "MSRP" : null,
    note: m.is_superseded ? `Order ${m.current_part_number} today` : m.is_discontinued ? "Discontinued" : null,
  }));
}

function findInventory(out) {
  return items(out.options).slice(0, MAX_CARDS).map((o, i) => card({
    rank: o.rank || i + 1, partNumber: o.part_number, manufacturer: out.manufacturer, name: out.name,
    price: o.price ? money(o.price) : "Your stock", priceNote: o.price ? words(o.condition) : words(o.condition),
    badgeKey: o.price && o.condition ? quoteKey(o.part_number, o.condition, o.price) : null,
    where: `${o.organization_name} – ${o.location_name}${o.city ? `, ${o.city}` : ""}`, distance: km(o.distance_km),
    stock: `${o.quantity_available} in stock${o.same_day ? " · same day" : ""}${o.eta_hours ? ` · ~${o.eta_hours} h` : ""}`,
    note: o.replacement_note,
  }));
}

function listings(out) {
  return items(out.results).slice(0, MAX_CARDS).map((l, i) => card({
    rank: i + 1, partNumber: l.part_number, manufacturer: l.manufacturer, name: l.name,
    price: money(l.current_bid || l.starting_bid || l.price), badgeKey: `listing:${l.id}`,
    priceNote: [l.current_bid ? "current bid," : l.starting_bid ? "starting bid," : null, words(l.condition)].filter(Boolean).join(" "),
    where: [l.seller_organization, l.city].filter(Boolean).join(", "), distance: km(l.distance_km),
    stock: `${l.quantity_available} available · ${words(l.listing_type)}`,
  }));
}

function getListing(out) {
  const l = out.listing || out;
  return l && l.part_number ? listings({ results: [l] }) : [];
}

function assessPrice(out) {
  if (!out.part_number) { return []; }
  const c = card({ partNumber: out.part_number, manufacturer: out.manufacturer, name: null, price: money(out.price),
    priceNote: words(out.condition), note: out.market_price ? `Market price ${money(out.market_price)} (${out.sample_size} data points)` : null });
  const price = c.querySelector(".pp-price");
  if (price && out.label) { price.append(el("span", { class: `pp-badge pp-badge-${out.verdict}`, text: out.label })); }
  return [c];
}

function identify(out) {
  const found = items(out.candidates).slice(0, MAX_CARDS).map((c) => card({
    partNumber: c.part_number, manufacturer: c.manufacturer, name: c.name,
    note: `Read from the photo: “${c.read_as}” · ${Math.round(c.confidence * 100)}% sure${c.superseded_by ? ` · superseded by ${c.superseded_by}` : ""}`,
  }));
  found.forEach((c) => c.classList.add("pp-card-photo"));
  return found;
}

const RENDERERS = {
  search_parts: searchParts, lookup_part: lookupPart, find_inventory: findInventory, search_listings: listings,
  get_listing: getListing, assess_price: assessPrice, identify_part_from_photo: identify,
};

export function toolCards(toolName, output) {
  const render = RENDERERS[toolName];
  if (!render || !output || output.ok === false) { return []; }
  try { return render(output); } catch (err) { console.warn("card", toolName, err); return []; }
}

export const TOOL_LABELS = {
  search_parts: "Searching the catalog", lookup_part: "Looking up the part number", find_inventory: "Finding stock nearby",
  search_listings: "Searching the marketplace", assess_price: "Checking the price", identify_part_from_photo: "Reading the photo",
  check_compatibility: "Checking compatibility",
};
