// Kontent.ai's official tools as libraries, for bench/bench_peers.py (issue 37).
// Usage: node peers.mjs <task> '<json params>'; prints one JSON line: {ok, ...} or {ok: false, error}.
//   mt-upload:     {env, files: [path]}               migration toolkit importAsync of local files
//   mt-export:     {env, items: [codename], language, zip}  migration toolkit exportAsync + storeAsync
//                  (zip: a name relative to the working directory: storeAsync prefixes "./")
//   dataops-restore: {env, zip}                       data-ops restore (assets only) of a backup zip
//   dataops-backup:  {env, zip}                       data-ops backup (assets only) into a zip
// env = {baseUrl: "http://127.0.0.1:PORT/v2", environmentId, apiKey}
// The tools are loaded from tests/clients/node_modules (scripts/install-client-tools.sh).
// data-ops' own client always builds an https URL, so its backup and restore functions get a client
// configured as data-ops configures its own (same retry strategy, HTTP service and header) on the
// emulator's plain-http URL.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const clients = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../tests/clients");
const require = createRequire(path.join(clients, "package.json"));
const load = (specifier) => import(pathToFileURL(require.resolve(specifier)).href);
const [task, raw] = process.argv.slice(2);
const params = JSON.parse(raw);
const quiet = { log: () => {}, logWithSpinnerAsync: async (f) => f(() => {}) };

async function dataOpsModule(relative) {
  const root = path.dirname(require.resolve("@kontent-ai/data-ops"));
  return import(pathToFileURL(path.join(root, relative)).href);
}

async function dataOpsClient(env) {
  const { HttpService, retryHelper } = await load("@kontent-ai/core-sdk");
  const { ManagementClient } = await load("@kontent-ai/management-sdk");
  const { default: axios } = await load("axios");
  const main = path.dirname(require.resolve("@kontent-ai/data-ops")); // build/src
  const version = JSON.parse(readFileSync(path.join(main, "../../package.json"))).version;
  // build/src/utils/client.js: the default retry strategy, plus every 5xx
  const retryStrategy = {
    ...retryHelper.defaultRetryStrategy,
    canRetryError: (error) =>
      retryHelper.defaultRetryStrategy.canRetryError(error) ||
      (axios.isAxiosError(error) && !!error.response?.status.toString().startsWith("5")),
  };
  return new ManagementClient({
    environmentId: env.environmentId,
    apiKey: env.apiKey,
    retryStrategy,
    headers: [{ header: "X-KC-SOURCE", value: `@kontent-ai/data-ops;${version};bench` }],
    httpService: new HttpService({ logErrorsToConsole: false }),
    baseUrl: env.baseUrl,
  });
}

const dataOpsParams = (env, zip) => ({
  environmentId: env.environmentId,
  apiKey: env.apiKey,
  fileName: zip,
  include: ["assets"],
  logLevel: "none",
});

async function dataOpsRestore() {
  const { restoreEnvironmentInternal } = await dataOpsModule("modules/backupRestore/restore.js");
  const { env, zip } = params;
  await restoreEnvironmentInternal(await dataOpsClient(env), dataOpsParams(env, zip));
  return {};
}

async function dataOpsBackup() {
  const { backupEnvironmentInternal } = await dataOpsModule("modules/backupRestore/backup.js");
  const { env, zip } = params;
  await backupEnvironmentInternal(await dataOpsClient(env), dataOpsParams(env, zip));
  return {};
}

const codenameOf = (file) =>
  path.basename(file, path.extname(file)).toLowerCase().replace(/[^a-z0-9]+/g, "_");

async function mtUpload() {
  const mt = await load("@kontent-ai/migration-toolkit");
  const { env, files } = params;
  const assets = files.map((file) => ({
    codename: codenameOf(file),
    filename: path.basename(file),
    title: path.basename(file, path.extname(file)),
    binary_data: new Blob([readFileSync(file)]),
  }));
  const result = await mt.importAsync({ ...env, data: { items: [], assets }, logger: quiet });
  const valid = (list) => list.filter((r) => r.state === "valid").length;
  const errors = [...result.uploadedAssets, ...result.editedAssets]
    .filter((r) => r.state !== "valid")
    .map((r) => describe(r.error));
  return {
    uploaded: valid(result.uploadedAssets),
    edited: valid(result.editedAssets),
    errors: errors.slice(0, 5),
    failed: errors.length,
  };
}

async function mtExport() {
  const mt = await load("@kontent-ai/migration-toolkit");
  const { env, items, language, zip } = params;
  const exportItems = items.map((codename) => ({ itemCodename: codename, languageCodename: language }));
  const data = await mt.exportAsync({ ...env, exportItems, logger: quiet });
  await mt.storeAsync({ data, filename: zip, logger: quiet });
  return { items: data.items.length, assets: data.assets.length };
}

function describe(err) {
  if (err && typeof err === "object") {
    const { message, validationErrors, errorCode } = err;
    return JSON.stringify({ message: String(message).slice(0, 600), errorCode, validationErrors });
  }
  return String(err).slice(0, 600);
}

const tasks = {
  "mt-upload": mtUpload,
  "mt-export": mtExport,
  "dataops-restore": dataOpsRestore,
  "dataops-backup": dataOpsBackup,
};
try {
  const result = await tasks[task]();
  const failed = (result.failed ?? 0) > 0;
  process.stdout.write(JSON.stringify({ ok: !failed, ...result }) + "\n");
  process.exitCode = failed ? 1 : 0;
} catch (err) {
  process.stdout.write(JSON.stringify({ ok: false, error: describe(err) }) + "\n");
  process.exitCode = 1;
}
