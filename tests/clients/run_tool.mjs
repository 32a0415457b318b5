// Drives the official Kontent.ai tools as libraries against two emulators (tests/clients/).
// Usage: node run_tool.mjs <task> '<json params>'; prints one JSON line with the result.
//   migrate: {source: env, target: env, language, items: [codename], zip}   export -> zip -> import
//   backup:  {source: env, zip, include?: [entity]}                         data-ops backup
//   restore: {target: env, zip, include?: [entity]}                         data-ops restore
// env = {baseUrl: "http://127.0.0.1:PORT/v2", environmentId, apiKey}
// data-ops' own client always builds an https URL (https://manage.<kontentUrl>/v2), so its
// backup/restore functions are called with a management client on the emulator's plain-http URL.
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import path from "node:path";

const require = createRequire(import.meta.url);
const [task, raw] = process.argv.slice(2);
const params = JSON.parse(raw);
const quiet = { log: () => {}, logWithSpinnerAsync: async (f) => f(() => {}) };

async function dataOps(relative) {
  const root = path.dirname(require.resolve("@kontent-ai/data-ops"));
  return import(pathToFileURL(path.join(root, "modules/backupRestore", relative)).href);
}

async function managementClient(env) {
  const { createManagementClient } = await import("@kontent-ai/management-sdk");
  return createManagementClient({
    environmentId: env.environmentId,
    apiKey: env.apiKey,
    baseUrl: env.baseUrl,
    retryStrategy: { maxAttempts: 3 },
  });
}

async function migrate() {
  const mt = await import("@kontent-ai/migration-toolkit");
  const { source, target, language, items, zip } = params;
  const exported = await mt.exportAsync({
    environmentId: source.environmentId,
    apiKey: source.apiKey,
    baseUrl: source.baseUrl,
    exportItems: items.map((codename) => ({ itemCodename: codename, languageCodename: language })),
    logger: quiet,
  });
  await mt.storeAsync({ data: exported, filename: zip, logger: quiet });
  const data = await mt.extractAsync({ filename: zip, logger: quiet });
  const result = await mt.importAsync({
    environmentId: target.environmentId,
    apiKey: target.apiKey,
    baseUrl: target.baseUrl,
    data,
    logger: quiet,
  });
  const failed = (list) => list.filter((r) => r.state !== "valid").map((r) => describe(r.error));
  return {
    exported: { items: exported.items.length, assets: exported.assets.length },
    imported: {
      assets: result.uploadedAssets.filter((r) => r.state === "valid").length,
      editedAssets: result.editedAssets.filter((r) => r.state === "valid").length,
      items: result.contentItems.filter((r) => r.state === "valid").length,
      variants: result.languageVariants.filter((r) => r.state === "valid").length,
    },
    errors: [
      ...failed(result.uploadedAssets),
      ...failed(result.editedAssets),
      ...failed(result.contentItems),
      ...failed(result.languageVariants),
    ],
  };
}

async function backup() {
  const { backupEnvironmentInternal } = await dataOps("backup.js");
  const { source, zip, include } = params;
  await backupEnvironmentInternal(await managementClient(source), {
    environmentId: source.environmentId,
    apiKey: source.apiKey,
    fileName: zip,
    ...(include ? { include } : {}),
    logLevel: "none",
  });
  return { zip };
}

async function restore() {
  const { restoreEnvironmentInternal } = await dataOps("restore.js");
  const { target, zip, include } = params;
  await restoreEnvironmentInternal(await managementClient(target), {
    environmentId: target.environmentId,
    apiKey: target.apiKey,
    fileName: zip,
    ...(include ? { include } : {}),
    logLevel: "none",
  });
  return { zip };
}

function describe(err) {
  if (err && typeof err === "object") {
    const { message, validationErrors, errorCode } = err;
    return JSON.stringify({ message: String(message), errorCode, validationErrors });
  }
  return String(err);
}

const tasks = { migrate, backup, restore };
try {
  const result = await tasks[task]();
  process.stdout.write(JSON.stringify({ ok: true, ...result }) + "\n");
} catch (err) {
  process.stdout.write(JSON.stringify({ ok: false, error: describe(err) }) + "\n");
  process.exitCode = 1;
}
