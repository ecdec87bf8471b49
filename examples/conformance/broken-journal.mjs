// A deliberately broken journal.mjs, for `sferum-sim conformance` to catch: it ignores `state`, shows a 500 on
// access_denied, and crashes when VK ID's token endpoint fails or stays silent. Configured as journal.mjs is.
import { start } from "./journal.mjs";

start({ ignoresState: true, crashesOnRefusal: true, crashesOnVkIdFailure: true });
