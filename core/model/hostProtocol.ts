import { z } from "zod";
import { ErrorCode } from "../api/index.ts";

/**
 * The message protocol between the app and the model host process. Both sides parse every message with these
 * schemas, so a version skew or a corrupted message fails loudly at the edge instead of deep in a handler.
 */

const RequestId = z.number().int().nonnegative();

export const HostChatMessage = z.object({
  role: z.enum(["system", "user", "assistant"]),
  content: z.string(),
});

/** Which KV-cache slot a generation uses: chat keeps its stable prompt prefix warm; background jobs use their own. */
export const HostSequence = z.enum(["chat", "background"]);
export type HostSequence = z.infer<typeof HostSequence>;

export const LoadModelRequest = z.object({
  modelPath: z.string().min(1),
  /** Tokens of context per sequence; absent means the model's training context fitted to memory (capped). */
  contextSize: z.number().int().min(256).optional(),
  /** CPU threads; absent means the number of cores useful for math (never more than the machine has). */
  threads: z.number().int().min(1).max(256).optional(),
  /** Use a GPU when node-llama-cpp finds one. */
  gpu: z.boolean(),
  /** Upper bound on RAM the model and its context may use, on top of what is free (a user limit, and for tests). */
  maxRamBytes: z.number().int().positive().optional(),
});
export type LoadModelRequest = z.infer<typeof LoadModelRequest>;

export const GenerateRequest = z.object({
  sequence: HostSequence,
  messages: z.array(HostChatMessage).min(1),
  maxTokens: z.number().int().positive().optional(),
  temperature: z.number().min(0).max(5).optional(),
  /** When present the output is constrained by node-llama-cpp's JSON-schema grammar. */
  jsonSchema: z.record(z.string(), z.unknown()).optional(),
});
export type GenerateRequest = z.infer<typeof GenerateRequest>;

export const LoadEmbedderRequest = z.object({
  /** Folder that holds the embedder's files (config.json, tokenizer.json, onnx/...). */
  directory: z.string().min(1),
  /** Recorded with every vector; also the folder name under the models directory. */
  embedderId: z.string().min(1),
});

/** App -> host. `id` correlates replies; abort names the request to stop. */
export const HostRequest = z.discriminatedUnion("type", [
  z.object({ type: z.literal("load"), id: RequestId, options: LoadModelRequest }),
  z.object({ type: z.literal("unload"), id: RequestId }),
  z.object({ type: z.literal("generate"), id: RequestId, options: GenerateRequest }),
  z.object({ type: z.literal("abort"), id: RequestId, target: RequestId }),
  z.object({ type: z.literal("countTokens"), id: RequestId, text: z.string() }),
  /** Tokens of a whole prompt in the model's chat template, as generate would evaluate it. */
  z.object({ type: z.literal("countPromptTokens"), id: RequestId, messages: z.array(HostChatMessage).min(1) }),
  z.object({ type: z.literal("loadEmbedder"), id: RequestId, options: LoadEmbedderRequest }),
  z.object({ type: z.literal("unloadEmbedder"), id: RequestId }),
  z.object({ type: z.literal("embed"), id: RequestId, texts: z.array(z.string()) }),
]);
export type HostRequest = z.infer<typeof HostRequest>;
export type HostRequestType = HostRequest["type"];

export const LoadedModelInfo = z.object({
  contextSize: z.number().int(),
  trainContextSize: z.number().int(),
  threads: z.number().int(),
  gpu: z.string(),
  chatWrapper: z.string(),
  ramBytes: z.number().nonnegative(),
});
export type LoadedModelInfo = z.infer<typeof LoadedModelInfo>;

export const GenerateOutcome = z.object({
  text: z.string(),
  stopped: z.boolean(),
  stopReason: z.string(),
  /** Prompt tokens that were already in the KV cache and so were not evaluated again. */
  reusedPromptTokens: z.number().int().nonnegative(),
  promptTokens: z.number().int().nonnegative(),
  generatedTokens: z.number().int().nonnegative(),
});
export type GenerateOutcome = z.infer<typeof GenerateOutcome>;

export const EmbedderInfo = z.object({ dimensions: z.number().int().positive() });

/** Host -> app. */
export const HostReply = z.discriminatedUnion("type", [
  /** Sent once when the host process is up and listening. */
  z.object({ type: z.literal("started"), pid: z.number().int() }),
  z.object({ type: z.literal("token"), id: RequestId, text: z.string() }),
  z.object({ type: z.literal("result"), id: RequestId, value: z.unknown() }),
  z.object({ type: z.literal("error"), id: RequestId, code: ErrorCode, message: z.string() }),
]);
export type HostReply = z.infer<typeof HostReply>;
