// A dedicated worker of the restore page: runs the one costly step of opening a backup,
// Argon2id at the parameters the file asks for (backupKeyFor in the Go core), and answers
// with the file's key (protocol: shared/worker-call.js). The page ends the worker after one
// answer, which gives its WASM memory (up to the 256 MiB a file may ask for) back at once;
// and while it works, the background answers every other message.
//
// Message in: {file: string, password: string}. Result: {ok: true, value: keyJSON} or
// {ok: false, error: {code, message}}.
import { startGoProgram } from "../shared/go-program.js";
import { answerCalls } from "../shared/worker-call.js";

const core = startGoProgram(new URL("../../build/codeward.wasm", import.meta.url), "codeward");
answerCalls(core, "the core", (bridge, { file, password }) => bridge.backupKeyFor(file, password));
