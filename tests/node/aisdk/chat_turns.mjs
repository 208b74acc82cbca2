// The AI SDK's own client against Partpilot's chat endpoint: `node chat_turns.mjs <base-url> <api-key>`.
// (1) a search turn through DefaultChatTransport.sendMessages + readUIMessageStream, the thread in the path;
// (2) an approval turn through the SDK's Chat machinery (AbstractChat, as useChat runs it) at `/api/v1/chat`
// with the chat id as the thread: the WRITE's tool-approval-request, addToolApprovalResponse, and the
// automatic follow-up request that lastAssistantMessageIsCompleteWithApprovalResponses sends.
// Prints one JSON object; tests/test_api_chat_aisdk_node.py asserts on it.
import {
  AbstractChat,
  DefaultChatTransport,
  lastAssistantMessageIsCompleteWithApprovalResponses,
  readUIMessageStream,
} from "ai";

const [base, key] = process.argv.slice(2);
const headers = { Authorization: `Bearer ${key}` };
const newId = () => Math.random().toString(36).slice(2, 10) + Date.now().toString(36);

const summary = (message) => ({
  id: message?.id,
  text: (message?.parts ?? []).filter((p) => p.type === "text").map((p) => p.text).join("\n"),
  tools: (message?.parts ?? []).filter((p) => p.type.startsWith("tool-") || p.type === "dynamic-tool")
    .map((p) => ({ type: p.type, toolCallId: p.toolCallId, state: p.state, input: p.input, output: p.output, approval: p.approval })),
  data: (message?.parts ?? []).filter((p) => p.type.startsWith("data-")).map((p) => p.type),
});

async function searchTurn(text) {
  const thread = newId();
  const transport = new DefaultChatTransport({ api: `${base}/api/v1/chat/${thread}`, headers });
  const stream = await transport.sendMessages({
    chatId: thread, trigger: "submit-message", messageId: undefined,
    messages: [{ id: newId(), role: "user", parts: [{ type: "text", text }] }],
  });
  let last;
  for await (const message of readUIMessageStream({ stream, onError: (e) => { throw e; } })) { last = message; }
  return summary(last);
}

class PlainState {
  constructor() { this.status = "ready"; this.error = undefined; this.messages = []; }
  pushMessage(message) { this.messages = [...this.messages, message]; }
  popMessage() { this.messages = this.messages.slice(0, -1); }
  replaceMessage(index, message) { this.messages = this.messages.map((m, i) => (i === index ? message : m)); }
  snapshot(value) { return structuredClone(value); }
}

class NodeChat extends AbstractChat {
  constructor(options) { super({ ...options, state: new PlainState() }); }
}

async function settled(chat, timeoutMs = 60000) {
  const deadline = Date.now() + timeoutMs;
  await new Promise((r) => setTimeout(r, 20));
  while (chat.status === "submitted" || chat.status === "streaming") {
    if (Date.now() > deadline) { throw new Error(`chat still ${chat.status}`); }
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function approvalTurn(text, approved) {
  const errors = [];
  const requests = [];
  const chat = new NodeChat({
    id: newId(),
    transport: new DefaultChatTransport({
      api: `${base}/api/v1/chat`, headers,
      fetch: async (url, init) => { requests.push(JSON.parse(init.body)); return fetch(url, init); },
    }),
    sendAutomaticallyWhen: lastAssistantMessageIsCompleteWithApprovalResponses,
    onError: (error) => errors.push(String(error)),
  });
  await chat.sendMessage({ text });
  await settled(chat);
  const asked = summary(chat.messages.at(-1));
  const waiting = asked.tools.find((t) => t.state === "approval-requested");
  if (waiting) {
    await chat.addToolApprovalResponse({ id: waiting.approval.id, approved });
    await settled(chat);
  }
  return {
    chatId: chat.id, asked, errors, status: chat.status,
    answerRequest: requests[1] ? { trigger: requests[1].trigger, lastRole: requests[1].messages.at(-1).role } : null,
    messages: chat.messages.map(summary),
  };
}

const out = {
  search: await searchTurn("door operator gen2"),
  approval: await approvalTurn("post a wanted request for 2 GAA26800LC1, max $5000 each", true),
};
process.stdout.write(JSON.stringify(out));
