// A stand-in for R2's storage, for tests of the built Worker under workerd.
//
// workerd implements the R2 binding itself (the R2Bucket object the Worker calls, with its
// argument checks and conditional requests), but turns each call into an HTTP request to a
// service; on Cloudflare that service is R2, here it is this module, keeping objects in
// memory for as long as the workerd process runs. It speaks the subset of that protocol
// the backup server uses: head, get, list, put and delete.

const objects = new Map(); // key -> {meta, value}
const encoder = new TextEncoder();
const decoder = new TextDecoder();

function reply(meta, value) {
  const head = encoder.encode(JSON.stringify(meta));
  const body = new Uint8Array(head.length + (value ? value.length : 0));
  body.set(head, 0);
  if (value) body.set(value, head.length);
  return new Response(body, {
    headers: { "cf-r2-metadata-size": String(head.length), "content-type": "application/json" },
  });
}

function failure(status, v4code, message) {
  return new Response(message, {
    status,
    headers: { "cf-r2-error": JSON.stringify({ version: 0, v4code, message }) },
  });
}

async function md5(bytes) {
  const digest = new Uint8Array(await crypto.subtle.digest("MD5", bytes));
  return Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
}

function exists(onlyIf) {
  // etagDoesNotMatch with a wildcard is If-None-Match: *.
  const list = onlyIf && onlyIf.etagDoesNotMatch;
  return Array.isArray(list) && list.some((e) => e.type === "wildcard");
}

export default {
  async fetch(request) {
    if (request.method === "GET") {
      const op = JSON.parse(request.headers.get("cf-r2-request") || "{}");
      if (op.method === "list") {
        const prefix = op.prefix || "";
        const keys = [...objects.keys()].filter((k) => k.startsWith(prefix)).sort();
        return reply({
          objects: keys.map((k) => objects.get(k).meta),
          truncated: false,
          delimitedPrefixes: [],
        });
      }
      const found = objects.get(op.object);
      if (!found) return failure(404, 10007, "The specified key does not exist.");
      if (op.method === "head") return reply(found.meta);
      if (op.method === "get") return reply(found.meta, found.value);
      return failure(501, 10001, "not supported by the test store: " + op.method);
    }
    if (request.method === "PUT") {
      const all = new Uint8Array(await request.arrayBuffer());
      const size = parseInt(request.headers.get("cf-r2-metadata-size"), 10);
      const op = JSON.parse(decoder.decode(all.subarray(0, size)));
      if (op.method === "delete") {
        for (const k of op.objects || [op.object]) objects.delete(k);
        return new Response(null);
      }
      if (op.method === "put") {
        if (exists(op.onlyIf) && objects.has(op.object)) {
          return failure(412, 10031, "At least one of the pre-conditions you specified did not hold.");
        }
        const value = all.slice(size);
        const etag = await md5(value);
        const meta = {
          name: op.object,
          version: crypto.randomUUID().replaceAll("-", ""),
          size: value.length,
          etag,
          uploaded: Date.now(),
          httpFields: op.httpFields || {},
          customFields: op.customFields || [],
          checksums: { 0: etag },
        };
        objects.set(op.object, { meta, value });
        return reply(meta);
      }
      return failure(501, 10001, "not supported by the test store: " + op.method);
    }
    return failure(405, 10001, "method not allowed");
  },
};
