import { join } from "node:path";
import { FuseV1Options, FuseVersion, flipFuses, getCurrentFuseWire, type FuseV1Config } from "@electron/fuses";

/**
 * The Electron fuses of a packaged Engram (flipped in the binary itself, so no launch flag or environment variable
 * can turn them back): the app cannot be started as a plain Node (RunAsNode), NODE_OPTIONS and --inspect cannot inject
 * code into it, and it loads its code only from its own asar archive, whose integrity is checked at start.
 */
export const engramFuses = {
  [FuseV1Options.RunAsNode]: false,
  [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
  [FuseV1Options.EnableNodeCliInspectArguments]: false,
  [FuseV1Options.OnlyLoadAppFromAsar]: true,
  [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
} as const satisfies Partial<Record<FuseV1Options, boolean>>;

/** How a fuse reads in the binary's fuse wire: the ASCII digits 1 and 0 (@electron/fuses does not export its enum). */
const fuseByte = { enabled: 0x31, disabled: 0x30 } as const;

/** What electron-builder hands an `afterPack` hook (the part of its context this hook reads). */
export interface AfterPackContext {
  appOutDir: string;
  electronPlatformName: string;
  packager: { appInfo: { productFilename: string }; executableName?: string };
}

export type FuseFlipper = (pathToElectron: string, config: FuseV1Config) => Promise<unknown>;
export type FuseReader = (pathToElectron: string) => Promise<Record<string, unknown>>;

/** The packaged app's Electron binary (the .app bundle on macOS, which @electron/fuses resolves to its framework). */
export function packagedElectronPath(context: AfterPackContext): string {
  const product = context.packager.appInfo.productFilename;
  switch (context.electronPlatformName) {
    case "darwin":
    case "mas":
      return join(context.appOutDir, `${product}.app`);
    case "win32":
      return join(context.appOutDir, `${product}.exe`);
    default:
      return join(context.appOutDir, context.packager.executableName ?? product.toLowerCase());
  }
}

/**
 * electron-builder 25 has no `electronFuses` option, so the fuses are flipped in its `afterPack` hook (before it
 * signs), then read back: a binary whose fuses did not take fails the package instead of shipping unprotected.
 */
export async function flipEngramFuses(
  context: AfterPackContext,
  flip: FuseFlipper = flipFuses,
  read: FuseReader = getCurrentFuseWire as FuseReader,
): Promise<void> {
  const binary = packagedElectronPath(context);
  await flip(binary, {
    version: FuseVersion.V1,
    // Flipping changes the binary, which voids macOS's ad-hoc signature; electron-builder signs properly afterwards.
    resetAdHocDarwinSignature: context.electronPlatformName === "darwin",
    ...engramFuses,
  });
  const wire = await read(binary);
  for (const [option, enabled] of Object.entries(engramFuses)) {
    const expected = enabled ? fuseByte.enabled : fuseByte.disabled;
    if (wire[option] !== expected) {
      throw new Error(`Electron fuse ${FuseV1Options[Number(option)]} did not take in ${binary}.`);
    }
  }
}
