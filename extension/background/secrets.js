// settings.secrets in the sealed vault holds what must never reach a page: the automatic
// backup key and each destination's grant (Drive refresh token, server token). Everything a
// page receives as settings (the popup's View, SETTINGS_GET/SET replies) goes through
// publicSettings first.

/** A copy of settings without secrets (and without the accounts' digests autobackup keeps). */
export function publicSettings(settings) {
  if (!settings || typeof settings !== "object") return settings;
  const { secrets, ...rest } = settings;
  if (rest.auto && typeof rest.auto === "object") {
    const dests = {};
    for (const [id, d] of Object.entries(rest.auto.dests ?? {})) {
      const { digest, ...shown } = d ?? {};
      dests[id] = shown;
    }
    rest.auto = { ...rest.auto, dests };
  }
  return rest;
}
