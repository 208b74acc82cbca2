// localStorage can be off (privacy modes, sandboxed frames): then what the widget keeps lasts for the page only.
const memory = new Map();
export const store = {
  get(key) { try { return localStorage.getItem(key); } catch (_) { return memory.has(key) ? memory.get(key) : null; } },
  set(key, value) { try { localStorage.setItem(key, value); } catch (_) { memory.set(key, value); } },
};
