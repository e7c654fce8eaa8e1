import type { ErrorCode } from "../api/index.ts";

/**
 * The HTTP status of every contract error code, in one table so the mapping is reviewed in one place. 4xx says the
 * caller (or the app's current state) is the reason; 5xx is reserved for faults of the app or its model host.
 * An unknown method is 404 (the resource `/api/<method>` does not exist), like a missing entity.
 */
export const httpStatusOfErrorCode: Record<ErrorCode, number> = {
  bad_input: 400,
  unauthorized: 401,
  forbidden: 403,
  unknown_method: 404,
  not_found: 404,
  // The app has no chat model loaded: a state the user fixes in Settings, not a server fault.
  no_model: 409,
  conflict: 409,
  // The caller cancelled (chat.stop, models.cancel) what this request was waiting for.
  cancelled: 409,
  busy: 409,
  payload_too_large: 413,
  // The downloaded or imported file is unusable; the request was understood but cannot be carried out.
  checksum_mismatch: 422,
  model_load_failed: 422,
  internal: 500,
  download_failed: 502,
  model_crashed: 503,
  insufficient_memory: 507,
  insufficient_disk: 507,
  // The app cannot write its data folder right now (read-only disk); the same request may work later.
  storage_unavailable: 503,
};
