import type {
  ApiError,
  ErrorCode,
  EventName,
  EventPayload,
  MethodInput,
  MethodName,
  MethodOutput,
} from "../../core/api/index.ts";
import type { Transport } from "./transport.ts";

/** A failed call, with the contract's error code so the UI can explain it (no_model, not_found, ...). */
export class ApiCallError extends Error {
  readonly code: ErrorCode;

  constructor(error: ApiError) {
    super(error.message);
    this.name = "ApiCallError";
    this.code = error.code;
  }
}

/**
 * The renderer's only way to the app: typed from the contract, over whichever transport was picked at start. Calls
 * resolve with the method's output or throw an ApiCallError; validation happens on the other side, in dispatch.
 */
export class ApiClient {
  readonly #transport: Transport;

  constructor(transport: Transport) {
    this.#transport = transport;
  }

  /** Whether this is the desktop app (Electron's bridge) rather than a browser on the headless server. */
  get desktop(): boolean {
    return this.#transport.kind === "desktop";
  }

  async call<M extends MethodName>(method: M, input: MethodInput<M>): Promise<MethodOutput<M>> {
    const reply = await this.#transport.call(method, input);
    if (!reply.ok) throw new ApiCallError(reply.error);
    return reply.data as MethodOutput<M>;
  }

  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void {
    return this.#transport.on(event, (payload) => listener(payload as EventPayload<E>));
  }

  dispose(): void {
    this.#transport.dispose();
  }
}
