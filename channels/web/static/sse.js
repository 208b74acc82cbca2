// Reading an AI SDK UI-message stream (Server-Sent Events over a fetch response body).

export class HttpError extends Error {
  constructor(status, detail) {
    super(detail || `HTTP ${status}`);
    this.status = status;
  }
}

async function errorDetail(response) {
  try {
    const body = await response.json();
    if (typeof body.message === "string") { return body.message; }
    if (typeof body.detail === "string") { return body.detail; }
    if (Array.isArray(body.detail)) { return body.detail.map((d) => d.msg).join("; "); }
  } catch (_) { /* not JSON */ }
  return "";
}

export async function checked(response) {
  if (!response.ok) { throw new HttpError(response.status, await errorDetail(response)); }
  return response;
}

// Calls onEvent(name, data) for every Server-Sent Event ("message" when unnamed) until it returns true (then
// resolves true) or the stream ends (false).
export async function readEvents(response, onEvent) {
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  for (;;) {
    const { value, done } = await reader.read();
    buffer += decoder.decode(value || new Uint8Array(), { stream: !done });
    buffer = buffer.replace(/\r\n/g, "\n");
    let cut;
    while ((cut = buffer.indexOf("\n\n")) >= 0) {
      const lines = buffer.slice(0, cut).split("\n");
      buffer = buffer.slice(cut + 2);
      const name = (lines.find((l) => l.startsWith("event:")) || "event: message").slice(6).trim();
      const data = lines.filter((l) => l.startsWith("data:")).map((l) => l.slice(5).trim()).join("\n");
      if (data && onEvent(name, data)) { return true; }
    }
    if (done) { return false; }
  }
}

// Calls onChunk(chunk) for every JSON frame; resolves when [DONE] arrives or the stream ends.
export async function readUIMessageStream(response, onChunk) {
  await checked(response);
  return readEvents(response, (_, data) => {
    if (data === "[DONE]") { return true; }
    onChunk(JSON.parse(data));
    return false;
  });
}
