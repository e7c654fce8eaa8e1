import { EngramError } from "../errors.ts";

/**
 * Offline mode is on and a call would have left this computer (the OpenAI-compatible endpoint). Background jobs that
 * meet it wait, unharmed, until offline mode is turned off; a chat reply fails with this message.
 */
export class OfflineError extends EngramError {
  constructor(
    message = "Offline mode is on, so Engram does not contact the chat endpoint. Turn offline mode off in Settings, or pick a local model.",
  ) {
    super("forbidden", message);
    this.name = "OfflineError";
  }
}
