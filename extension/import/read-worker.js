// A dedicated worker of the import page: reads one encrypted file from another
// authenticator (formatImport in the tools, build/codeward-tools.wasm), which runs the
// file's KDF — scrypt per Aegis password slot, PBKDF2 for andOTP and 2FAS, Argon2id for
// Stratum — and answers with the parsed accounts. The page ends the worker after one answer,
// which gives its WASM memory back at once; and while it works, the background answers
// every other message, because it runs no importer's KDF. The page hands the result to the
// background (IMPORT_HOLD), which checks every account again before holding it.
//
// Message in: {data: string (base64), format: string, password: string}. Result (protocol:
// shared/worker-call.js): {ok: true, value: ImportRead} or {ok: false, error: {code, message}}.
import { startGoProgram } from "../shared/go-program.js";
import { answerCalls } from "../shared/worker-call.js";

const tools = startGoProgram(new URL("../../build/codeward-tools.wasm", import.meta.url), "codewardTools");
answerCalls(tools, "the import tools", (bridge, { data, format, password }) => bridge.formatImport(data, format, password));
