/**
 * Small exports written by the tests themselves, in each source's real structure (as ChatGPT and Claude lay out
 * their conversations.json), with the parts a real export has that an import must see through: a ChatGPT tree with
 * an empty system root, hidden custom instructions, a tool call, and an edited message whose old branch is not the
 * current one; Claude messages with thinking and text blocks.
 */

export interface FixtureTurn {
  role: "user" | "assistant" | "system" | "tool";
  text: string;
  /** Seconds since the epoch. */
  at: number;
  hidden?: boolean;
  recipient?: string;
  contentType?: string;
}

let nodeCounter = 0;
const nodeId = () => `node-${(nodeCounter += 1).toString(16).padStart(8, "0")}-aaaa-bbbb-cccc`;

function chatGptMessage(id: string, turn: FixtureTurn) {
  return {
    id,
    author: { role: turn.role, name: null, metadata: {} },
    create_time: turn.at,
    update_time: null,
    content: { content_type: turn.contentType ?? "text", parts: [turn.text] },
    status: "finished_successfully",
    end_turn: turn.role === "assistant" ? true : null,
    weight: 1,
    metadata: turn.hidden ? { is_visually_hidden_from_conversation: true } : { model_slug: "gpt-4o" },
    recipient: turn.recipient ?? "all",
  };
}

/**
 * A ChatGPT conversation: an empty root, then the turns in a chain. `abandoned` turns hang off the turn before
 * `branchAt` as a sibling branch that is not current (as editing a message leaves the old one).
 */
export function chatGptConversation(options: {
  id?: string;
  title: string;
  createTime: number;
  updateTime: number;
  turns: FixtureTurn[];
  abandoned?: { branchAt: number; turns: FixtureTurn[] };
}) {
  const mapping: Record<string, unknown> = {};
  const root = nodeId();
  mapping[root] = { id: root, message: null, parent: null, children: [] };
  const ids: string[] = [];
  let parent = root;
  for (const turn of options.turns) {
    const id = nodeId();
    ids.push(id);
    mapping[id] = { id, message: chatGptMessage(id, turn), parent, children: [] };
    (mapping[parent] as { children: string[] }).children.push(id);
    parent = id;
  }
  if (options.abandoned) {
    let branchParent = options.abandoned.branchAt === 0 ? root : ids[options.abandoned.branchAt - 1]!;
    for (const turn of options.abandoned.turns) {
      const id = nodeId();
      mapping[id] = { id, message: chatGptMessage(id, turn), parent: branchParent, children: [] };
      // The abandoned branch comes first among the children, as the older one does.
      (mapping[branchParent] as { children: string[] }).children.unshift(id);
      branchParent = id;
    }
  }
  return {
    title: options.title,
    create_time: options.createTime,
    update_time: options.updateTime,
    mapping,
    moderation_results: [],
    current_node: parent,
    plugin_ids: null,
    conversation_id: options.id ?? null,
    conversation_template_id: null,
    gizmo_id: null,
    is_archived: false,
    safe_urls: [],
    default_model_slug: "gpt-4o",
    id: options.id ?? null,
  };
}

const t = (iso: string) => Date.parse(iso) / 1000;

/** A two-conversation ChatGPT conversations.json with an edited branch, hidden context and a tool call. */
export function chatGptExport() {
  return [
    chatGptConversation({
      id: "6650a1b2-0000-4000-8000-000000000001",
      title: "Moving house",
      createTime: t("2024-03-01T09:00:00Z"),
      updateTime: t("2024-03-01T09:10:00Z"),
      turns: [
        { role: "system", text: "", at: t("2024-03-01T09:00:00Z") },
        { role: "user", text: "About me: I am a translator.", at: t("2024-03-01T09:00:01Z"), hidden: true },
        { role: "user", text: "I just moved to Porto with my cat Miso.", at: t("2024-03-01T09:01:00Z") },
        {
          role: "assistant",
          text: "Congratulations on the move to Porto! How is Miso settling in?",
          at: t("2024-03-01T09:01:30Z"),
        },
        {
          role: "assistant",
          text: 'search("Porto vets")',
          at: t("2024-03-01T09:02:00Z"),
          recipient: "browser",
          contentType: "code",
        },
        { role: "tool", text: "Results: ...", at: t("2024-03-01T09:02:10Z") },
        { role: "user", text: "Miso hides under the sofa all day.", at: t("2024-03-01T09:05:00Z") },
        {
          role: "assistant",
          text: "Give her a quiet room and time; cats often need a week or two.",
          at: t("2024-03-01T09:05:20Z"),
        },
      ],
      abandoned: {
        branchAt: 2,
        turns: [
          { role: "user", text: "I just moved to Lisbon zzqx.", at: t("2024-03-01T09:00:30Z") },
          { role: "assistant", text: "Lisbon is lovely zzqx.", at: t("2024-03-01T09:00:40Z") },
        ],
      },
    }),
    chatGptConversation({
      id: "6650a1b2-0000-4000-8000-000000000002",
      title: "Sourdough",
      createTime: t("2024-04-02T18:00:00Z"),
      updateTime: t("2024-04-02T18:20:00Z"),
      turns: [
        {
          role: "user",
          text: "My sourdough starter is called Gerald and smells of acetone.",
          at: t("2024-04-02T18:00:00Z"),
        },
        {
          role: "assistant",
          text: "Acetone means Gerald is hungry: feed him twice a day.",
          at: t("2024-04-02T18:00:30Z"),
        },
      ],
    }),
  ];
}

/** A Claude conversations.json: two conversations, one with thinking blocks beside the text. */
export function claudeExport() {
  return [
    {
      uuid: "0b6e2f9c-1111-4a2b-9c3d-000000000001",
      name: "Marathon training",
      summary: "",
      created_at: "2024-05-10T07:00:00.123456Z",
      updated_at: "2024-05-10T07:30:00.654321Z",
      account: { uuid: "acct-0001" },
      chat_messages: [
        {
          uuid: "msg-0001",
          text: "I am training for the Berlin marathon in September.",
          content: [{ type: "text", text: "I am training for the Berlin marathon in September." }],
          sender: "human",
          created_at: "2024-05-10T07:00:00.123456Z",
          updated_at: "2024-05-10T07:00:00.123456Z",
          attachments: [],
          files: [],
        },
        {
          uuid: "msg-0002",
          text: "",
          content: [
            { type: "thinking", thinking: "The user wants a plan." },
            { type: "text", text: "Great goal! Build up to 32 km long runs by August." },
          ],
          sender: "assistant",
          created_at: "2024-05-10T07:00:20.000000Z",
          updated_at: "2024-05-10T07:00:20.000000Z",
          attachments: [],
          files: [],
        },
        {
          uuid: "msg-0003",
          text: "",
          content: [],
          sender: "human",
          created_at: "2024-05-10T07:01:00.000000Z",
          updated_at: "2024-05-10T07:01:00.000000Z",
          attachments: [],
          files: [],
        },
      ],
    },
    {
      uuid: "0b6e2f9c-1111-4a2b-9c3d-000000000002",
      name: "",
      created_at: "2024-06-01T12:00:00Z",
      updated_at: "2024-06-01T12:05:00Z",
      account: { uuid: "acct-0001" },
      chat_messages: [
        {
          uuid: "msg-0101",
          text: "My knee hurts after long runs, around the kneecap.",
          content: [{ type: "text", text: "My knee hurts after long runs, around the kneecap." }],
          sender: "human",
          created_at: "2024-06-01T12:00:00Z",
          updated_at: "2024-06-01T12:00:00Z",
          attachments: [],
          files: [],
        },
        {
          uuid: "msg-0102",
          text: "That sounds like runner's knee; rest and see a physiotherapist.",
          content: [{ type: "text", text: "That sounds like runner's knee; rest and see a physiotherapist." }],
          sender: "assistant",
          created_at: "2024-06-01T12:00:30Z",
          updated_at: "2024-06-01T12:00:30Z",
          attachments: [],
          files: [],
        },
      ],
    },
  ];
}

/** A Markdown transcript of two conversations, with named speakers, timestamps, a code block and a "Note:" line. */
export const markdownTranscript = `# Planning the garden
Date: 2024-02-11 10:00

**Caroline** (2024-02-11 10:00): I want raised beds for tomatoes this year.

**Melanie** (2024-02-11 10:02): Cedar lasts longest. Note: it costs more up front.

**Caroline** (2024-02-11 10:05): Fine, cedar it is.

---

# A script
User: How do I list files in Python?
Assistant: Use pathlib:

\`\`\`python
User: this line is code, not a speaker
print(list(Path(".").iterdir()))
\`\`\`

User: Thanks, that works.
`;

/** JSONL turns, one object a line. */
export const jsonlTurns = [
  { speaker: "user", text: "My bike was stolen outside the library on Tuesday.", at: "2024-07-02T08:00:00Z" },
  {
    speaker: "assistant",
    text: "I am sorry! Report it to the police with the frame number.",
    at: "2024-07-02T08:00:10Z",
  },
  { speaker: "user", text: "The frame number is WTU123456.", at: "2024-07-02T08:01:00Z" },
]
  .map((turn) => JSON.stringify(turn))
  .join("\n");
