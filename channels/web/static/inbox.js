// The widget's inbox: what Partpilot told you (offers, bids, holds, orders…), live over
// GET /api/v1/notifications/stream (Server-Sent Events read from a fetch body, so the API key stays a header).
// A notice's answer buttons ("Accept $380", "Counter $415") send that answer into the chat with the notice, so
// "accept" means its offer; the write still waits for Confirm there.
import { el } from "./cards.js";
import { checked, readEvents } from "./sse.js";

const RETRY_MS = [2000, 5000, 15000, 30000];

const ago = (iso) => {
  const minutes = Math.max(0, Math.round((Date.now() - Date.parse(iso)) / 60000));
  if (minutes < 1) { return "just now"; }
  if (minutes < 60) { return `${minutes} min ago`; }
  const hours = Math.round(minutes / 60);
  return hours < 24 ? `${hours} h ago` : `${Math.round(hours / 24)} d ago`;
};

export class Inbox {
  constructor(widget) {
    this.w = widget;
    this.items = new Map();
    this.count = el("span", { class: "pp-count", hidden: "" });
    this.button = el("button", { type: "button", class: "pp-bell", "aria-expanded": "false", "aria-label": "Inbox" },
      el("span", { text: "Inbox" }), this.count);
    this.list = el("ul", { class: "pp-inbox-list" });
    this.panel = el("section", { class: "pp-inbox", hidden: "", "aria-label": "Notifications" },
      el("p", { class: "pp-muted pp-inbox-empty", text: "Nothing yet." }), this.list);
    this.button.addEventListener("click", () => this.toggle());
    this.retries = 0;
  }

  toggle(open = this.panel.hidden) {
    this.panel.hidden = !open;
    this.button.setAttribute("aria-expanded", String(open));
  }

  setUnread(unread) {
    this.count.textContent = String(unread);
    this.count.toggleAttribute("hidden", !unread);
    this.button.setAttribute("aria-label", unread ? `Inbox, ${unread} unread` : "Inbox");
  }

  add(notices, newestFirst) {
    for (const notice of newestFirst ? notices : [...notices].reverse()) {
      if (this.items.has(notice.id)) { continue; }
      const row = this.row(notice);
      this.items.set(notice.id, row);
      if (newestFirst) { this.list.append(row); } else { this.list.prepend(row); }
    }
    this.panel.querySelector(".pp-inbox-empty").toggleAttribute("hidden", this.items.size > 0);
  }

  row(notice) {
    const row = el("li", { class: `pp-notice${notice.read_at ? "" : " pp-unread"}`, "data-notification-id": notice.id },
      el("p", { class: "pp-notice-title", text: notice.title }),
      el("p", { class: "pp-notice-body", text: notice.body }),
      el("p", { class: "pp-muted", text: ago(notice.created_at) }));
    const actions = (notice.actions || []).map((action) => {
      const button = el("button", { type: "button", class: "pp-choice", text: action.label });
      button.addEventListener("click", () => this.answer(notice, action, row));
      return button;
    });
    if (actions.length) { row.append(el("div", { class: "pp-choices" }, ...actions)); }
    return row;
  }

  async answer(notice, action, row) {
    if (this.w.busy) { return; }
    row.querySelectorAll("button").forEach((b) => { b.disabled = true; });
    row.classList.remove("pp-unread");
    this.toggle(false);
    this.w.api(`/api/v1/notifications/${notice.id}/read`, { method: "POST" }).catch(() => {});
    await this.w.post(action.say, [], () => {}, { notification_id: notice.id });
  }

  async listen() {
    for (;;) {
      try {
        const response = await checked(await this.w.api("/api/v1/notifications/stream"));
        this.retries = 0;
        let first = true;
        await readEvents(response, (name, raw) => {
          if (name !== "notifications") { return false; }
          const data = JSON.parse(raw);
          this.setUnread(data.unread);
          this.add(data.notifications, first);
          first = false;
          return false;
        });
      } catch (err) {
        if (err && err.status === 401) { return; }  // the chat says why; a bad key will not get better
      }
      await new Promise((r) => setTimeout(r, RETRY_MS[Math.min(this.retries++, RETRY_MS.length - 1)]));
    }
  }
}
