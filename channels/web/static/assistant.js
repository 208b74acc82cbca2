// One message bubble, live from the stream (`chunk`) or replayed from history (`replay`): text as it streams,
// the planner's structured reply in place of the text it renders, confirmation cards, price badges.
// Cards of raw tool outputs are only the fallback for planners that write no structured reply (prose): their
// places are kept as the outputs arrive and filled when the message ends without a `data-reply`, so nothing
// that was shown is ever taken away again.
import { applyBadge, el, toolCards, TOOL_LABELS } from "./cards.js";
import { sentPhotos } from "./photos.js";
import { replyView } from "./reply.js";

export class AssistantView {
  constructor(widget, role = "assistant") {
    this.w = widget;
    this.role = role;
    this.node = widget.bubble(role);
    this.texts = {};
    this.lastText = null;
    this.toolNames = {};
    this.toolSlots = [];
    this.badges = [];
    this.drafted = false;
    this.choices = [];
    this.finished = false;
    this.confirmPending = false;
    this.confirmButton = null;
  }

  text(id, initial = "") {
    const node = this.node.appendChild(el("p", { class: "pp-text", text: initial }));
    if (id) { this.texts[id] = node; }
    this.lastText = node;
    return node;
  }

  chunk(c) {
    const w = this.w;
    if (c.type === "text-start") { this.text(c.id); }
    else if (c.type === "text-delta") { (this.texts[c.id] || this.text(c.id)).textContent += c.delta; }
    else if (c.type === "tool-input-available") { this.toolNames[c.toolCallId] = c.toolName; w.status.textContent = `${TOOL_LABELS[c.toolName] || "Working"}…`; }
    else if (c.type === "tool-output-available") { this.toolOutput(this.toolNames[c.toolCallId], c.output); }
    else if (c.type === "data-reply") { this.reply(c.data, true); }
    else if (c.type === "data-confirm") { this.confirm(c.data); }
    else if (c.type === "data-price") { this.badges.push(c.data); }
    else if (c.type === "error") { this.node.append(el("p", { class: "pp-error", text: c.errorText })); }
    else if (c.type === "finish") { this.finished = true; this.settle(); }
    w.scroll();
  }

  toolOutput(toolName, output) {
    const slot = el("div", { class: "pp-cards", hidden: "" });
    this.node.append(slot);
    this.toolSlots.push({ slot, toolName, output });
  }

  // The structured reply replaces the text that streamed its plain form (the text part just before it).
  reply(draft, live) {
    const { node, buttons } = replyView(draft, (say, button) => this.w.choose(say, button), live,
      this.w.linker);
    if (this.lastText) { this.lastText.replaceWith(node); } else { this.node.append(node); }
    this.lastText = null;
    this.drafted = true;
    this.choices.push(...buttons);
  }

  enableChoices() {
    for (const button of this.choices) { button.disabled = false; }
  }

  settle() {
    for (const { slot, toolName, output } of this.toolSlots) {
      const cards = this.drafted ? [] : toolCards(toolName, output);
      if (cards.length) { slot.append(...cards); slot.removeAttribute("hidden"); } else { slot.remove(); }
    }
    this.toolSlots = [];
    for (const badge of this.badges) { applyBadge(this.node, badge); }
  }

  confirm(data) {
    const { card, confirm } = this.w.confirmCard(data);
    this.node.append(card);
    this.confirmPending = Boolean(confirm);
    this.confirmButton = confirm;
  }

  abandon() {
    this.settle();
    if (!this.node.childNodes.length) { this.node.remove(); }
  }

  replay(message) {
    for (const part of message.parts) {
      if (part.type === "text") { this.text(null, part.text); }
      else if (part.type === "data-reply") { this.reply(part.data, false); }
      else if (part.type === "data-photos") { this.node.append(...sentPhotos(part.data.photoIds)); }
      else if (part.type === "data-confirm") { this.confirm(part.data); }
      else if (part.type === "data-price") { this.badges.push(part.data); }
      else if (part.type.startsWith("tool-") && part.state === "output-available") { this.toolOutput(part.type.slice(5), part.output); }
    }
    this.settle();
  }
}
