/**
 * electron-builder's `afterPack` hook (package.json `build.afterPack`), bundled by `npm run build:electron` into
 * build/packaging/afterPack.mjs, outside what is packaged.
 */
import { flipEngramFuses, type AfterPackContext } from "./fuses.ts";

export default async function afterPack(context: AfterPackContext): Promise<void> {
  await flipEngramFuses(context);
}
