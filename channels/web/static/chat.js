// The Partpilot chat widget: a shadow-root UI over the chat API (streaming replies, cards, confirmations,
// photo attach, history across reloads). Loaded by widget.js; see there for the embed tag.
import { AssistantView } from "./assistant.js";
import { el } from "./cards.js";
import { Inbox } from "./inbox.js";
import { remember, sentPhotos, thumbnail } from "./photos.js";
import { checked, HttpError, readUIMessageStream } from "./sse.js";
import { store } from "./storage.js";

const newId = () => (crypto.randomUUID ? crypto.randomUUID()
  : Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, "0")).join(""));

function cameraIcon() {
  const ns = "http://www.w3.org/2000/svg";
  const svg = document.createElementNS(ns, "svg");
  svg.setAttribute("viewBox", "0 0 24 24");
  svg.setAttribute("width", "22");
  svg.setAttribute("height", "22");
  svg.setAttribute("aria-hidden", "true");
  const path = document.createElementNS(ns, "path");
  path.setAttribute("fill", "currentColor");
  path.setAttribute("d", "M9 3 7.2 5H4a2 2 0 0 0-2 2v11a2 2 0 0 0 2 2h16a2 2 0 0 0 2-2V7a2 2 0 0 0-2-2h-3.2L15 3H9Zm3 "
    + "5a5 5 0 1 1 0 10 5 5 0 0 1 0-10Zm0 2a3 3 0 1 0 0 6 3 3 0 0 0 0-6Z");
  svg.append(path);
  return svg;
}

function explain(err) {
  if (err instanceof HttpError) {
    if (err.status === 401) { return "Your Partpilot key was not accepted. Ask your administrator for a new one."; }
    if (err.status === 404) { return "That conversation is not available. Start a new chat."; }
    if (err.status === 413 || err.status === 422 || err.status === 409) { return err.message; }
    if (err.status >= 500) { return `Partpilot had a problem on its side (${err.status}). Please try again in a moment.`; }
    return `Request failed (${err.status}): ${err.message}`;
  }
  return "Can't reach Partpilot. Check your connection and try again.";
}

class ChatWidget {
  constructor(options, shadow) {
    this.o = options;
    this.storeKey = `partpilot:thread:${options.apiBase}`;
    this.thread = store.get(this.storeKey) || this.newThread();
    this.photos = [];
    this.busy = false;
    this.build(shadow);
  }

  newThread() {
    const id = newId();
    store.set(this.storeKey, id);
    return id;
  }

  api(path, init = {}) {
    // The publishable widget key with the host site's signed user token; or, the older way, a user's API key.
    const auth = this.o.widgetKey ? { "X-Widget-Key": this.o.widgetKey, Authorization: `Widget ${this.o.userToken}` }
      : { Authorization: `Bearer ${this.o.apiKey}` };
    const headers = { ...auth, ...(init.headers || {}) };
    return fetch(`${this.o.apiBase}${path}`, { ...init, headers });
  }

  build(shadow) {
    const uid = newId().slice(0, 8);
    this.log = el("div", { class: "pp-log", role: "log", "aria-live": "polite", "aria-label": "Conversation" });
    this.status = el("div", { class: "pp-status", role: "status", "aria-live": "polite" });
    this.alert = el("div", { class: "pp-alert", role: "alert", hidden: "" });
    this.input = el("textarea", { id: `pp-input-${uid}`, rows: "2", placeholder: "Part number, description, or attach a photo…", autocomplete: "off" });
    this.file = el("input", { id: `pp-file-${uid}`, type: "file", accept: "image/*", capture: "environment", class: "pp-visually-hidden" });
    this.chips = el("div", { class: "pp-chips", "aria-live": "polite" });
    this.sendButton = el("button", { type: "submit", class: "pp-send", text: "Send" });
    const form = el("form", { class: "pp-form", "aria-label": "Send a message" },
      this.chips,
      el("div", { class: "pp-row" },
        el("label", { class: "pp-attach", title: "Attach a photo" },
          cameraIcon(), el("span", { class: "pp-visually-hidden", text: "Attach a photo" }), this.file),
        el("label", { for: this.input.id, class: "pp-visually-hidden", text: "Message" }),
        this.input, this.sendButton));
    const restart = el("button", { type: "button", class: "pp-new", text: "New chat" });
    this.closeButton = this.o.mode === "inline" ? null
      : el("button", { type: "button", class: "pp-close", "aria-label": "Close chat", title: "Close", text: "×" });
    this.inbox = new Inbox(this);
    this.panel = el("section", { class: `pp-panel pp-${this.o.mode}`, "aria-label": `${this.o.title} chat` },
      el("header", { class: "pp-head" }, el("h2", { text: this.o.title }),
        el("div", { class: "pp-head-actions" }, this.inbox.button, restart, this.closeButton)),
      this.inbox.panel, this.log, this.alert, this.status, form);
    shadow.append(this.panel);
    form.addEventListener("submit", (e) => { e.preventDefault(); this.send(); });
    this.input.addEventListener("keydown", (e) => {
      if (e.key === "Enter" && !e.shiftKey && !e.isComposing) { e.preventDefault(); this.send(); }
    });
    this.file.addEventListener("change", () => this.attach());
    restart.addEventListener("click", () => {
      this.thread = this.newThread();
      this.log.replaceChildren();
      this.setError(null);
      this.input.focus();
    });
  }

  setError(message) {
    this.alert.textContent = message || "";
    this.alert.toggleAttribute("hidden", !message);
  }

  setBusy(busy, note = "") {
    this.busy = busy;
    this.sendButton.disabled = busy;
    this.log.setAttribute("aria-busy", String(busy));  // screen readers read the reply once it is complete
    this.status.textContent = note;
  }

  bubble(role) {
    const node = el("div", { class: `pp-msg pp-${role}` });
    this.log.append(node);
    return node;
  }

  scroll() { this.log.scrollTop = this.log.scrollHeight; }

  // A link of the reply (an invoice's PDF) is an API path: fetched with the chat's key (a plain link would carry
  // none), then saved under its name. Links elsewhere open as links.
  get linker() {
    const absolute = (url) => /^https?:/i.test(url);
    return { href: (url) => (absolute(url) ? url : `${this.o.apiBase}${url}`), open: (link, anchor) => this.download(link, anchor) };
  }

  async download(link, anchor) {
    if (/^https?:/i.test(link.url)) { window.open(link.url, "_blank", "noopener"); return; }
    anchor.setAttribute("aria-busy", "true");
    try {
      const response = await checked(await this.api(link.url));
      const named = /filename="?([^";]+)"?/i.exec(response.headers.get("content-disposition") || "");
      const file = URL.createObjectURL(await response.blob());
      const save = el("a", { href: file, download: link.download || (named && named[1]) || "download" });
      this.panel.append(save);
      save.click();
      save.remove();
      setTimeout(() => URL.revokeObjectURL(file), 60_000);
      this.setError(null);
    } catch (err) {
      this.setError(err instanceof HttpError && (err.status === 404 || err.status === 409) ? err.message : explain(err));
    } finally {
      anchor.removeAttribute("aria-busy");
    }
  }

  async attach() {
    const files = Array.from(this.file.files || []);
    this.file.value = "";
    for (const file of files) {
      this.setBusy(true, "Uploading photo…");
      try {
        const form = new FormData();
        form.append("file", file, file.name);
        const response = await checked(await this.api("/api/v1/uploads", { method: "POST", body: form }));
        const photo = await response.json();
        this.photos.push(photo.id);
        const thumb = await thumbnail(file);
        remember(photo.id, thumb);
        const remove = el("button", { type: "button", class: "pp-chip-x", "aria-label": `Remove ${file.name}`, text: "×" });
        const chip = el("span", { class: "pp-chip", "data-photo-id": photo.id }, thumb && el("img", { src: thumb, alt: "" }),
          el("span", { text: `Photo: ${file.name}` }), remove);
        remove.addEventListener("click", () => { this.photos = this.photos.filter((p) => p !== photo.id); chip.remove(); this.input.focus(); });
        this.chips.append(chip);
        this.setError(null);
      } catch (err) {
        this.setError(explain(err));
      } finally {
        this.setBusy(false);
      }
    }
    this.input.focus();
  }

  async send() {
    const text = this.input.value.trim();
    if (this.busy || (!text && !this.photos.length)) { return; }
    const photoIds = this.photos;
    this.input.value = "";
    this.photos = [];
    this.chips.replaceChildren();
    await this.post(text || "What part is this?", photoIds, () => { this.input.value = text; });
  }

  // A choice button: what it says is sent as the next message; what is typed in the box stays there.
  async choose(say, button) {
    if (this.busy) { return; }
    button.classList.add("pp-chosen");
    button.setAttribute("aria-pressed", "true");
    await this.post(say, []);
  }

  async post(message, photoIds, onFailure = () => {}, extra = {}) {
    for (const card of this.log.querySelectorAll(".pp-confirm")) {  // a message instead of a button answers it
      const open = card.querySelectorAll("button:not(:disabled)");
      if (!open.length) { continue; }
      open.forEach((button) => { button.disabled = true; });
      card.querySelector(".pp-confirm-state").textContent = "Answered in your message";
      card.classList.add("pp-confirm-changed");
    }
    for (const button of this.log.querySelectorAll(".pp-choice")) { button.disabled = true; }  // answered now
    const user = this.bubble("user");
    user.append(el("p", { text: message }));
    user.append(...sentPhotos(photoIds));
    await this.stream(`/api/v1/chat/${this.thread}`, { message, photo_ids: photoIds, ...extra }, onFailure);
  }

  async stream(path, body, onFailure = () => {}) {
    this.setBusy(true, "Partpilot is thinking…");
    this.setError(null);
    const view = new AssistantView(this);
    try {
      const response = await this.api(path, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
      const done = await readUIMessageStream(response, (chunk) => view.chunk(chunk));
      if (!done && !view.finished) { throw new TypeError("stream ended early"); }
      this.setBusy(false, view.confirmPending ? "Waiting for your confirmation." : "Reply finished.");
    } catch (err) {
      view.abandon();
      this.setError(explain(err));
      this.setBusy(false);
      onFailure();
    }
    this.input.focus();
    if (view.confirmButton) { view.confirmButton.focus(); }
  }

  async answer(card, decision) {
    for (const button of card.querySelectorAll("button")) { button.disabled = true; }
    card.querySelector(".pp-confirm-state").textContent = decision === "yes" ? "Confirmed" : "Cancelled";
    card.classList.add(`pp-confirm-${decision === "yes" ? "confirmed" : "declined"}`);
    await this.stream(`/api/v1/chat/${this.thread}/resume`, { decision });
  }

  confirmCard(data) {
    const state = el("p", { class: "pp-confirm-state" });
    // Without its summary a confirmation is named generically: the tool behind it is no word for people.
    const card = el("div", { class: "pp-confirm", role: "group", "aria-label": "Confirm this action" },
      el("p", { class: "pp-confirm-summary", text: data.summary || "Confirm this action?" }), state);
    if (data.state && data.state !== "pending") {
      state.textContent = { confirmed: "Confirmed", declined: "Cancelled", changed: "Changed" }[data.state] || "Answered";
      card.classList.add(`pp-confirm-${data.state}`);
      if (!data.summary) { card.querySelector(".pp-confirm-summary").textContent = "Requested action"; }
      return { card, confirm: null };
    }
    const confirm = el("button", { type: "button", class: "pp-yes", text: "Confirm" });
    const cancel = el("button", { type: "button", class: "pp-no", text: "Cancel" });
    confirm.addEventListener("click", () => this.answer(card, "yes"));
    cancel.addEventListener("click", () => this.answer(card, "no"));
    card.append(el("div", { class: "pp-actions" }, confirm, cancel));
    return { card, confirm };
  }

  async loadHistory() {
    try {
      const response = await this.api(`/api/v1/chat/${this.thread}`);
      if (response.status === 404) { return; }
      const history = await (await checked(response)).json();
      const views = history.messages.map((message) => {
        const view = new AssistantView(this, message.role);
        view.replay(message);
        return view;
      });
      const last = views[views.length - 1];
      if (last && last.role === "assistant" && !history.pending) { last.enableChoices(); }  // still unanswered
      this.scroll();
    } catch (err) {
      this.setError(explain(err));
    }
  }
}

export function mount(options) {
  const host = el("div", { class: "partpilot-chat" });
  const target = options.target && document.querySelector(options.target);
  (target || document.body).append(host);
  const shadow = host.attachShadow({ mode: "open" });
  // Unstyled, the launcher would flash at the end of the host page (and a tap there would miss it once styled).
  host.style.visibility = "hidden";
  const styles = el("link", { rel: "stylesheet", href: `${options.assets}widget.css` });
  const reveal = () => { host.style.visibility = ""; };
  styles.addEventListener("load", reveal);
  styles.addEventListener("error", reveal);
  shadow.append(styles);
  const widget = new ChatWidget(options, shadow);
  if (options.mode !== "inline") {
    const launcher = el("button", { type: "button", class: "pp-launcher", "aria-expanded": "false", text: `Chat with ${options.title}` });
    const show = (open) => {
      widget.panel.hidden = !open;
      launcher.setAttribute("aria-expanded", String(open));
      (open ? widget.input : launcher).focus();
    };
    widget.panel.hidden = true;
    launcher.addEventListener("click", () => show(widget.panel.hidden));
    widget.closeButton.addEventListener("click", () => show(false));
    widget.panel.addEventListener("keydown", (e) => { if (e.key === "Escape") { show(false); } });
    shadow.append(launcher);
  }
  widget.loadHistory();
  widget.inbox.listen();
  return widget;
}
