import type { Handlers } from "../boundary.ts";
import { EngramError } from "../errors.ts";
import type { ModelMethodName } from "../model/modelService.ts";
import type { Services } from "../services.ts";

const unavailable = async (): Promise<never> => {
  throw new EngramError("no_model", "The model runtime is not running in this session, so models cannot be managed.");
};

/** The models.* methods: the model service's when one runs, otherwise an empty list and a clear refusal. */
export function modelHandlers(s: Services): Pick<Handlers, ModelMethodName> {
  if (s.models) return s.models.handlers;
  return {
    "models.list": async () => ({ models: [] }),
    "models.download": unavailable,
    "models.cancel": unavailable,
    "models.delete": unavailable,
    "models.use": unavailable,
    "models.import": unavailable,
  };
}
