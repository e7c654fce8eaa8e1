import type { Episode } from "../../../core/api/index.ts";
import { formatDateTime } from "../../shell/formatting.ts";
import { MessageMarkdown } from "./MessageMarkdown.tsx";

/** The chat roles a remembered speaker maps to; any other name (an import's people) sits on the user's side. */
const roleOfSpeaker = (speaker: string) =>
  /^(assistant|engram|chatgpt|claude|ai|bot)$/i.test(speaker.trim()) ? "assistant" : "user";

/** One remembered turn of an imported conversation: who said it, when it was said, and what. */
export function TranscriptTurn({ episode, highlighted }: { episode: Episode; highlighted: boolean }) {
  const role = roleOfSpeaker(episode.speaker);
  return (
    <article
      className={`message ${role} transcript-turn`}
      data-testid="message"
      data-role={role}
      data-speaker={episode.speaker}
      data-archived={episode.archived || undefined}
      data-highlighted={highlighted || undefined}
    >
      <header className="message-author">
        <span>{episode.speaker}</span>
        <time dateTime={episode.at}>{formatDateTime(episode.at)}</time>
      </header>
      <MessageMarkdown text={episode.text} />
    </article>
  );
}
